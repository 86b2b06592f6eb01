"""Plain organisation badges (issue 15): a BADGE kind for sports clubs, NGOs and schools,
with a lighter set of fields, published by the organisation's staff without review, found
in the catalogue by kind (planned and field by field alike), awarded as an Open Badges
3.0 credential that is still schema-valid."""

import json
from typing import Any

from tests.credential_helpers import export, schema_errors
from tests.helpers import (
    BADGE,
    ORG,
    Api,
    Issuer,
    Person,
    published_badge,
    register,
    tx,
    verified_issuer,
)
from tests.profile_helpers import award

PLAIN = {
    "name": tx("Pływak – brąz", "Swimmer – bronze"),
    "description": tx("Przepłynął 400 m.", "Swam 400 m."),
    "imageUrl": "https://img.example.org/swim.png",
    "howToObtain": tx("Przepłyń 400 m stylem dowolnym.", "Swim 400 m freestyle."),
}
CATALOGUE = """query($kind: BadgeKind) { badges(filter: {kind: $kind}, first: 50) {
  totalCount edges { node { id kind status name } } } }"""


async def _plain(api: Api, org_id: str, person: Person, **content: Any) -> dict[str, Any]:
    badge = await api.mutate(
        "createBadge",
        {"organizationId": org_id, "kind": "BADGE", "content": PLAIN | content},
        BADGE + " ... on Badge { kind }",
        person.token,
    )
    return badge


async def _unverified_club(api: Api) -> tuple[Person, str]:
    """A sports club that accepted the issuer agreement; no reviewer has verified it."""
    owner = await register(api)
    org = await api.mutate(
        "createOrganization", {"kind": "NGO", "name": tx("UKS Delfin")}, ORG, owner.token
    )
    await api.mutate("acceptIssuerAgreement", {"organizationId": org["id"]}, ORG, owner.token)
    return owner, org["id"]


async def test_staff_publish_a_plain_badge_without_review(api: Api) -> None:
    owner, org_id = await _unverified_club(api)
    draft = await _plain(api, org_id, owner)
    assert (draft["kind"], draft["status"]) == ("BADGE", "DRAFT")
    stranger = await register(api)
    refused = await api.mutate("publishBadge", {"badgeId": draft["id"]}, BADGE, stranger.token)
    assert refused["reason"] == "ACTION_NOT_ALLOWED"
    review = await api.mutate("submitBadgeForReview", {"badgeId": draft["id"]}, BADGE, owner.token)
    assert review["reason"] == "BADGE_NOT_REVIEWED"

    published = await api.mutate("publishBadge", {"badgeId": draft["id"]}, BADGE, owner.token)
    assert published["status"] == "PUBLISHED", published
    again = await api.mutate("publishBadge", {"badgeId": draft["id"]}, BADGE, owner.token)
    assert again["reason"] == "BADGE_NOT_PUBLISHABLE"
    shown = await api.query(
        "query($id: ID!) { badge(id: $id) { kind status } }", {"id": draft["id"]}
    )
    assert shown["badge"] == {"kind": "BADGE", "status": "PUBLISHED"}


async def test_a_plain_badge_needs_only_its_lighter_fields(api: Api) -> None:
    owner, org_id = await _unverified_club(api)
    bare = await api.mutate(
        "createBadge",
        {"organizationId": org_id, "kind": "BADGE", "content": {"name": tx("Ratownik")}},
        BADGE,
        owner.token,
    )
    missing = await api.mutate("publishBadge", {"badgeId": bare["id"]}, BADGE, owner.token)
    assert missing["reason"] == "BADGE_BELOW_STANDARD"
    assert {f["field"] for f in missing["fields"]} == {"description", "howToObtain", "imageUrl"}

    peer = await api.mutate(
        "createBadge",
        {"organizationId": org_id, "kind": "PEER", "content": PLAIN},
        BADGE,
        owner.token,
    )
    assert peer["reason"] == "BADGE_KIND_NOT_ALLOWED"
    micro = await api.mutate(
        "createBadge", {"organizationId": org_id, "content": PLAIN}, BADGE, owner.token
    )
    refused = await api.mutate("publishBadge", {"badgeId": micro["id"]}, BADGE, owner.token)
    assert refused["reason"] == "BADGE_NEEDS_REVIEW"


async def test_the_catalogue_filters_by_kind_planned_or_not(api: Api, unplanned: Api) -> None:
    issuer: Issuer = await verified_issuer(api)
    micro = await published_badge(api, issuer)
    plain = await _plain(api, issuer.org_id, issuer.owner)
    await api.mutate("publishBadge", {"badgeId": plain["id"]}, BADGE, issuer.owner.token)
    for client in (api, unplanned):
        plain_ids = {
            edge["node"]["id"]
            for edge in (await client.query(CATALOGUE, {"kind": "BADGE"}))["badges"]["edges"]
        }
        micro_ids = {
            edge["node"]["id"]
            for edge in (await client.query(CATALOGUE, {"kind": "MICROCREDENTIAL"}))["badges"][
                "edges"
            ]
        }
        assert plain["id"] in plain_ids and micro not in plain_ids
        assert micro in micro_ids and plain["id"] not in micro_ids


async def test_an_award_of_a_plain_badge_is_a_valid_open_badge(api: Api) -> None:
    issuer = await verified_issuer(api)
    plain = await _plain(api, issuer.org_id, issuer.owner)
    await api.mutate("publishBadge", {"badgeId": plain["id"]}, BADGE, issuer.owner.token)
    learner = await register(api)
    award_id = await award(api, issuer, plain["id"], learner)
    signed = await export(api, award_id, learner)
    credential = json.loads(signed["document"])
    assert schema_errors(credential, api.runtime.settings.public_base_url) == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Badge"
    assert "Przepłyń 400 m" in achievement["criteria"]["narrative"]
