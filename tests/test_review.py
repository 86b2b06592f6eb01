"""Issuer agreement, verification and badge review, with the audit trail."""

import pytest
import sqlalchemy as sa

from odznaka_graph.ledger.tables import audit_log
from tests.helpers import BADGE, ORG, Api, complete_badge, register, reviewer, tx

# These run on both SQL stores: the ledger's guarantees must hold on each.
pytestmark = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)


async def test_the_review_workflow_and_its_refusals(api: Api) -> None:
    owner, checker = await register(api), await reviewer(api)
    org = await api.mutate(
        "createOrganization", {"kind": "UNIVERSITY", "name": tx("Uczelnia")}, ORG, owner.token
    )
    badge = await api.mutate(
        "createBadge",
        {"organizationId": org["id"], "content": complete_badge()},
        BADGE,
        owner.token,
    )
    early = await api.mutate("submitBadgeForReview", {"badgeId": badge["id"]}, BADGE, owner.token)
    assert early["__typename"] == "ConflictError"  # agreement not accepted yet

    not_reviewer = await api.mutate(
        "reviewOrganization", {"organizationId": org["id"], "approve": True}, ORG, owner.token
    )
    assert not_reviewer["__typename"] == "PermissionDeniedError"
    unaccepted = await api.mutate(
        "reviewOrganization", {"organizationId": org["id"], "approve": True}, ORG, checker.token
    )
    assert unaccepted["__typename"] == "ConflictError"
    await api.mutate("acceptIssuerAgreement", {"organizationId": org["id"]}, ORG, owner.token)
    unverified = await api.mutate(
        "submitBadgeForReview", {"badgeId": badge["id"]}, BADGE, owner.token
    )
    assert unverified["__typename"] == "ConflictError"  # the issuer is not verified yet
    await api.mutate(
        "reviewOrganization", {"organizationId": org["id"], "approve": True}, ORG, checker.token
    )

    submitted = await api.mutate(
        "submitBadgeForReview", {"badgeId": badge["id"]}, BADGE, owner.token
    )
    assert submitted["status"] == "SUBMITTED"
    queue = "{ reviewQueue(first: 10) { totalCount edges { node { id } } } }"
    assert (await api.query(queue, token=checker.token))["reviewQueue"]["totalCount"] == 1
    assert (await api.query(queue, token=owner.token))["reviewQueue"]["totalCount"] == 0
    no_reason = await api.mutate(
        "reviewBadge", {"badgeId": badge["id"], "approve": False}, BADGE, checker.token
    )
    assert no_reason["fields"][0]["field"] == "comment"
    rejected = await api.mutate(
        "reviewBadge",
        {"badgeId": badge["id"], "approve": False, "comment": "Brak kryteriów weryfikacji."},
        "... on Badge { status reviewComment }",
        checker.token,
    )
    assert rejected == {
        "__typename": "Badge",
        "status": "REJECTED",
        "reviewComment": "Brak kryteriów weryfikacji.",
    }
    edited = await api.mutate(
        "updateBadge",
        {
            "badgeId": badge["id"],
            "expectedVersion": 1,
            "content": complete_badge("Analiza danych II"),
        },
        BADGE,
        owner.token,
    )
    assert edited["status"] == "DRAFT" and edited["name"] == "Analiza danych II"
    stale = await api.mutate(
        "updateBadge",
        {"badgeId": badge["id"], "expectedVersion": 1, "content": complete_badge()},
        BADGE,
        owner.token,
    )
    assert stale["__typename"] == "ConflictError"

    await api.mutate("submitBadgeForReview", {"badgeId": badge["id"]}, BADGE, owner.token)
    published = await api.mutate(
        "reviewBadge", {"badgeId": badge["id"], "approve": True}, BADGE, checker.token
    )
    assert published["status"] == "PUBLISHED"
    locked = await api.mutate(
        "updateBadge", {"badgeId": badge["id"], "content": complete_badge()}, BADGE, owner.token
    )
    assert locked["__typename"] == "ConflictError"
    archived = await api.mutate("archiveBadge", {"badgeId": badge["id"]}, BADGE, owner.token)
    assert archived["status"] == "ARCHIVED"

    history = """query($id: ID!) { node(id: $id) { ... on Badge {
        reviewHistory { step comment actor { handle } }
        issuer { reviewHistory { step } } } } }"""
    seen = (await api.query(history, {"id": badge["id"]}, owner.token))["node"]
    assert [(e["step"], e["comment"]) for e in seen["reviewHistory"]] == [
        ("SUBMITTED", None),
        ("REJECTED", "Brak kryteriów weryfikacji."),
        ("SUBMITTED", None),
        ("APPROVED", None),
        ("ARCHIVED", None),
    ]
    assert seen["reviewHistory"][1]["actor"]["handle"] == checker.handle
    assert [e["step"] for e in seen["issuer"]["reviewHistory"]] == [
        "AGREEMENT_ACCEPTED",
        "APPROVED",
    ]
    stranger = (await api.query(history, {"id": badge["id"]}))["node"]
    assert stranger["reviewHistory"] == [] and stranger["issuer"]["reviewHistory"] == []

    async with api.runtime.services.stores.ledger.reading() as conn:
        actions = (
            (
                await conn.execute(
                    sa.select(audit_log.c.action)
                    .where(
                        audit_log.c.subject_id.in_(
                            [r for (r,) in await conn.execute(sa.text("SELECT id FROM badges"))]
                        )
                    )
                    .order_by(audit_log.c.id)
                )
            )
            .scalars()
            .all()
        )
    assert actions == [
        "badge.created",
        "badge.submitted",
        "badge.reviewed",
        "badge.updated",
        "badge.submitted",
        "badge.reviewed",
        "badge.archived",
    ]


async def test_non_staff_cannot_describe_badges(api: Api) -> None:
    owner, stranger = await register(api), await register(api)
    org = await api.mutate(
        "createOrganization", {"kind": "NGO", "name": tx("Fundacja")}, ORG, owner.token
    )
    result = await api.mutate(
        "createBadge",
        {"organizationId": org["id"], "content": complete_badge()},
        BADGE,
        stranger.token,
    )
    assert result["__typename"] == "PermissionDeniedError"
