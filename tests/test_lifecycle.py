"""The microcredential core end to end, through GraphQL."""

import pytest

from tests.helpers import (
    AWARD,
    BADGE,
    Api,
    complete_badge,
    published_badge,
    register,
    verified_issuer,
)

# These run on both SQL stores: the ledger's guarantees must hold on each.
pytestmark = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)

ME = "{ me { handle awards(first: 10) { totalCount edges { node { status badge { name } } } } } }"


async def test_register_describe_review_publish_award_and_see_it(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)

    award = await api.mutate(
        "awardBadge",
        {"badgeId": badge_id, "recipientId": learner.id, "idempotencyKey": "first-award-0001"},
        AWARD,
        issuer.owner.token,
    )
    assert award["__typename"] == "Award" and award["status"] == "VALID"
    assert award["expiresAt"] is not None

    me = (await api.query(ME, token=learner.token))["me"]
    assert me["awards"]["totalCount"] == 1
    assert me["awards"]["edges"][0]["node"]["badge"]["name"] == "Analiza danych"

    catalogue = await api.query("{ badges(first: 5) { totalCount edges { node { id name } } } }")
    assert catalogue["badges"]["totalCount"] == 1
    assert catalogue["badges"]["edges"][0]["node"]["id"] == badge_id


async def test_submit_lists_every_missing_mandatory_field(api: Api) -> None:
    issuer = await verified_issuer(api)
    draft = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": {"name": [{"lang": "PL", "text": "X"}]}},
        BADGE,
        issuer.owner.token,
    )
    assert draft["status"] == "DRAFT"
    result = await api.mutate(
        "submitBadgeForReview", {"badgeId": draft["id"]}, BADGE, issuer.owner.token
    )
    assert result["__typename"] == "ValidationError"
    fields = {item["field"] for item in result["fields"]}
    assert fields == {
        "description",
        "assessment",
        "howToObtain",
        "qualityAssurance",
        "imageUrl",
        "outcomes",
        "identityVerification",
        "workloadHours",
        "form",
    }


async def test_invalid_content_is_refused_per_field_and_nothing_is_stored(api: Api) -> None:
    issuer = await verified_issuer(api)
    content = complete_badge() | {"eqfLevel": 9, "imageUrl": "not a url", "workloadHours": -1}
    result = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": content},
        BADGE,
        issuer.owner.token,
    )
    assert result["__typename"] == "ValidationError"
    assert {f["field"] for f in result["fields"]} == {"eqfLevel", "imageUrl", "workloadHours"}
    rows = await api.runtime.services.stores.graph.read("MATCH (b:Badge) RETURN count(b) AS n")
    assert rows[0]["n"] == 0


async def test_paid_badge_needs_price(api: Api) -> None:
    issuer = await verified_issuer(api)
    content = complete_badge() | {"cost": {"kind": "PAID"}}
    result = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": content},
        BADGE,
        issuer.owner.token,
    )
    assert result["__typename"] == "ValidationError"
    assert result["fields"][0]["field"] == "cost"
