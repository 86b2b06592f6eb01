"""Awarding: who may, what may be awarded, idempotency under retries and concurrency."""

import asyncio

import pytest

from tests.helpers import (
    AWARD,
    BADGE,
    ORG,
    Api,
    complete_badge,
    published_badge,
    register,
    verified_issuer,
)

# These run on both SQL stores: the ledger's guarantees must hold on each.
pytestmark = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)

MY_AWARDS = "{ me { awards { totalCount edges { node { status revokeReason } } } } }"


async def test_only_staff_of_the_issuer_award(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    outsider, learner = await register(api), await register(api)
    refused = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD, outsider.token
    )
    assert refused["__typename"] == "PermissionDeniedError"
    anonymous = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD
    )
    assert anonymous["code"] == "UNAUTHENTICATED"

    staff = await register(api)
    added = await api.mutate(
        "addOrganizationStaff",
        {"organizationId": issuer.org_id, "userId": staff.id, "role": "ISSUER"},
        ORG,
        issuer.owner.token,
    )
    assert added["__typename"] == "Organization"
    award = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD, staff.token
    )
    assert award["__typename"] == "Award"
    # An ISSUER may award but not manage staff.
    denied = await api.mutate(
        "addOrganizationStaff",
        {"organizationId": issuer.org_id, "userId": outsider.id, "role": "ADMIN"},
        ORG,
        staff.token,
    )
    assert denied["__typename"] == "PermissionDeniedError"


async def test_nobody_awards_themselves_and_drafts_cannot_be_awarded(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    own = await api.mutate(
        "awardBadge",
        {"badgeId": badge_id, "recipientId": issuer.owner.id},
        AWARD,
        issuer.owner.token,
    )
    assert own["__typename"] == "PermissionDeniedError"
    draft = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": complete_badge()},
        BADGE,
        issuer.owner.token,
    )
    learner = await register(api)
    refused = await api.mutate(
        "awardBadge", {"badgeId": draft["id"], "recipientId": learner.id}, AWARD, issuer.owner.token
    )
    assert refused["__typename"] == "ConflictError"


async def test_a_retry_with_the_same_key_returns_the_same_award(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)
    request = {
        "badgeId": badge_id,
        "recipientId": learner.id,
        "idempotencyKey": "retry-key-123",
        "evidence": [{"url": "https://example.org/project", "narrative": "Projekt"}],
    }
    first = await api.mutate("awardBadge", request, AWARD, issuer.owner.token)
    second = await api.mutate("awardBadge", request, AWARD, issuer.owner.token)
    assert first["id"] == second["id"]
    other = await api.mutate(
        "awardBadge", request | {"idempotencyKey": "another-key-1"}, AWARD, issuer.owner.token
    )
    assert other["__typename"] == "ConflictError"  # already holds it
    me = await api.query(MY_AWARDS, token=learner.token)
    assert me["me"]["awards"]["totalCount"] == 1


async def test_concurrent_double_clicks_make_one_award(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)
    request = {"badgeId": badge_id, "recipientId": learner.id, "idempotencyKey": "double-click-1"}
    results = await asyncio.gather(
        *(api.mutate("awardBadge", request, AWARD, issuer.owner.token) for _ in range(6))
    )
    assert {r["__typename"] for r in results} == {"Award"}
    assert len({r["id"] for r in results}) == 1
    rows = await api.runtime.services.stores.graph.read("MATCH (a:Award) RETURN count(a) AS n")
    assert rows[0]["n"] == 1


async def test_revocation_keeps_the_record_with_its_reason(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)
    award = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD, issuer.owner.token
    )
    short = await api.mutate(
        "revokeAward", {"awardId": award["id"], "reason": ""}, AWARD, issuer.owner.token
    )
    assert short["fields"][0]["field"] == "reason"
    learner_try = await api.mutate(
        "revokeAward", {"awardId": award["id"], "reason": "bo tak"}, AWARD, learner.token
    )
    assert learner_try["__typename"] == "PermissionDeniedError"
    revoked = await api.mutate(
        "revokeAward",
        {"awardId": award["id"], "reason": "Plagiat w projekcie"},
        AWARD,
        issuer.owner.token,
    )
    assert revoked["status"] == "REVOKED"
    twice = await api.mutate(
        "revokeAward", {"awardId": award["id"], "reason": "znowu"}, AWARD, issuer.owner.token
    )
    assert twice["__typename"] == "ConflictError"
    me = await api.query(MY_AWARDS, token=learner.token)
    assert me["me"]["awards"]["edges"][0]["node"] == {
        "status": "REVOKED",
        "revokeReason": "Plagiat w projekcie",
    }


async def test_unknown_ids_are_typed_errors(api: Api) -> None:
    issuer = await verified_issuer(api)
    bogus = await api.mutate(
        "awardBadge", {"badgeId": "nonsense", "recipientId": "nope"}, AWARD, issuer.owner.token
    )
    assert bogus["__typename"] == "ValidationError"
    assert {f["field"] for f in bogus["fields"]} == {"badgeId"}
