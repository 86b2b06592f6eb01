"""Profiles: skills map, filters and groups, featured credentials, endorsements and
credential verification, against the real stores (visibility: test_profile_visibility.py)."""

from typing import Any

import pytest

from odznaka_graph.ids import new_id, to_global
from odznaka_graph.observability import RoundTrips
from odznaka_graph.services.profiles import skill_level
from tests.helpers import AWARD, Api, Person, published_badge, register, verified_issuer
from tests.profile_helpers import (
    ENDORSEMENT,
    SECTIONS,
    audit,
    award,
    badge_teaching,
    befriend,
    expire,
    feature,
    outcome,
    revoke,
    set_visibility,
)

FILTERED = """query($f: AwardFilter) {
  me { awards(filter: $f) { totalCount edges { node { id } } } } }"""


def test_skill_level_formula() -> None:
    assert skill_level(1, None) == 1
    assert skill_level(2, 3) == 2
    assert skill_level(3, 4) == 4
    assert skill_level(9, 4) == 4  # more credentials add at most +2
    assert skill_level(1, 6) == 3
    assert skill_level(5, 8) == 5


async def test_the_skills_map_comes_from_valid_credentials_only(api: Api) -> None:
    issuer, learner = await verified_issuer(api), await register(api)
    data = outcome("Analiza danych", "Data analysis", "Czyści dane.")
    talk = outcome("Komunikacja", "Communication", "Prezentuje wyniki.")
    basic = await badge_teaching(api, issuer, data, eqfLevel=4)
    advanced = await badge_teaching(
        api,
        issuer,
        outcome("Analiza danych", "Data analysis", "Modeluje dane."),
        talk,
        eqfLevel=6,
    )
    revoked = await badge_teaching(api, issuer, outcome("Programowanie", "Coding", "Pisze kod."))
    expired = await badge_teaching(api, issuer, outcome("Prezentacja", "Slides", "Robi slajdy."))
    await award(api, issuer, basic, learner)
    await award(api, issuer, advanced, learner)
    await revoke(api, issuer, await award(api, issuer, revoked, learner))
    await expire(api, await award(api, issuer, expired, learner))

    data_map = await api.query(
        """{ me { skills { level credentialCount maxEqfLevel skill { name }
        credentials { badge { id } } outcomes { description checkCriteria } } } }""",
        token=learner.token,
        headers={"Accept-Language": "pl"},
    )
    skills = data_map["me"]["skills"]
    assert [(s["skill"]["name"], s["level"], s["credentialCount"]) for s in skills] == [
        ("Analiza danych", 4, 2),  # 1 + 1 more credential + EQF ≥ 4 + EQF ≥ 6
        ("Komunikacja", 3, 1),
    ]
    analysis = skills[0]
    assert analysis["maxEqfLevel"] == 6
    assert {c["badge"]["id"] for c in analysis["credentials"]} == {basic, advanced}
    assert {o["description"] for o in analysis["outcomes"]} == {"Czyści dane.", "Modeluje dane."}
    assert analysis["outcomes"][0]["checkCriteria"][0].startswith("Sprawdzenie")


async def test_awards_filter_by_status_issuer_skill_and_kind_and_group(api: Api) -> None:
    first, second = await verified_issuer(api), await verified_issuer(api)
    learner = await register(api)
    data = outcome("Analiza danych", "Data analysis", "Czyści dane.")
    code = outcome("Programowanie", "Coding", "Pisze kod.")
    valid = await award(api, first, await badge_teaching(api, first, data), learner)
    gone = await award(api, first, await badge_teaching(api, first, code), learner)
    old = await award(api, second, await badge_teaching(api, second, data, code), learner)
    await revoke(api, first, gone)
    await expire(api, old)
    skill_id = (await api.query('{ skills(search: "programowanie") { id } }'))["skills"][0]["id"]

    async def ids(award_filter: dict[str, Any]) -> list[str]:
        result = await api.query(FILTERED, {"f": award_filter}, learner.token)
        found = [edge["node"]["id"] for edge in result["me"]["awards"]["edges"]]
        assert result["me"]["awards"]["totalCount"] == len(found)
        return found

    assert await ids({}) == [old, gone, valid]  # newest first
    assert await ids({"status": ["VALID"]}) == [valid]
    assert await ids({"status": ["REVOKED"]}) == [gone]
    assert await ids({"status": ["EXPIRED"]}) == [old]
    assert await ids({"status": ["VALID", "EXPIRED"]}) == [old, valid]
    assert await ids({"issuerId": second.org_id}) == [old]
    assert await ids({"skillId": skill_id}) == [old, gone]
    assert await ids({"skillId": skill_id, "status": ["REVOKED"]}) == [gone]
    assert await ids({"kind": "MICROCREDENTIAL"}) == [old, gone, valid]
    assert await ids({"kind": "PEER"}) == []
    bad = await api.raw(
        '{ me { awards(filter: {issuerId: "nonsense"}) { totalCount } } }', token=learner.token
    )
    assert bad.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    groups = await api.query(
        """{ me { byIssuer: awardGroups(by: ISSUER, preview: 1) {
             count issuer { id } skill { id } newest { id } }
           bySkill: awardGroups(by: SKILL, filter: {status: [VALID, EXPIRED]}) {
             count skill { name } newest { id } } } }""",
        token=learner.token,
        headers={"Accept-Language": "pl"},
    )
    by_issuer = groups["me"]["byIssuer"]
    assert [(g["issuer"]["id"], g["count"], g["skill"]) for g in by_issuer] == [
        (first.org_id, 2, None),
        (second.org_id, 1, None),
    ]
    assert by_issuer[0]["newest"] == [{"id": gone}]  # the preview is the newest only
    by_skill = {g["skill"]["name"]: g for g in groups["me"]["bySkill"]}
    assert {name: g["count"] for name, g in by_skill.items()} == {
        "Analiza danych": 2,
        "Programowanie": 1,
    }
    assert [a["id"] for a in by_skill["Analiza danych"]["newest"]] == [old, valid]


async def test_featured_credentials_keep_the_owners_order_and_refuse_others(api: Api) -> None:
    issuer, learner, other = await verified_issuer(api), await register(api), await register(api)
    mine = [await award(api, issuer, await published_badge(api, issuer), learner) for _ in range(3)]
    theirs = await award(api, issuer, await published_badge(api, issuer), other)

    done = await feature(api, learner, [mine[2], mine[0]])
    assert [a["id"] for a in done["featuredAwards"]] == [mine[2], mine[0]]
    shown = await api.query(
        "query($h: String!) { user(handle: $h) { featuredAwards { id } } }", {"h": learner.handle}
    )
    assert [a["id"] for a in shown["user"]["featuredAwards"]] == [mine[2], mine[0]]

    refused = await feature(api, learner, [mine[0], theirs])
    assert refused["__typename"] == "ValidationError"
    assert [f["field"] for f in refused["fields"]] == ["awardIds.1"]
    unknown = await feature(api, learner, [to_global("Award", new_id())])
    assert unknown["reason"] == refused["reason"] == "CREDENTIAL_NOT_FEATURABLE"
    assert unknown["fields"][0]["message"] == refused["fields"][0]["message"]  # no probing
    too_many = await feature(api, learner, mine * 3)
    assert too_many["__typename"] == "ValidationError"
    twice = await feature(api, learner, [mine[0], mine[0]])
    assert twice["fields"][0]["field"] == "awardIds"
    not_an_award = await feature(api, learner, [learner.id])
    assert not_an_award["fields"][0]["field"] == "awardIds.0"
    assert (await feature(api, None, [mine[0]]))["code"] == "UNAUTHENTICATED"

    await revoke(api, issuer, mine[1])
    revoked = await feature(api, learner, [mine[1]])
    assert revoked["reason"] == "CREDENTIAL_NOT_FEATURABLE"
    assert "revoked" in revoked["fields"][0]["message"]  # which problem, for the person
    await revoke(api, issuer, mine[2])  # featured earlier, revoked since: drops out
    me = await api.query("{ me { featuredAwards { id } } }", token=learner.token)
    assert [a["id"] for a in me["me"]["featuredAwards"]] == [mine[0]]
    cleared = await feature(api, learner, [])
    assert cleared["featuredAwards"] == []


async def test_endorsements(api: Api) -> None:
    issuer, holder = await verified_issuer(api), await register(api)
    fan, critic = await register(api), await register(api)
    award_id = await award(api, issuer, await published_badge(api, issuer), holder)

    async def endorse(person: Person | None, comment: str | None = None) -> dict[str, Any]:
        token = person.token if person else None
        data = {"awardId": award_id, "comment": comment}
        return await api.mutate("endorseAward", data, ENDORSEMENT, token)

    assert (await endorse(holder))["__typename"] == "PermissionDeniedError"
    assert (await endorse(None))["code"] == "UNAUTHENTICATED"
    first = await endorse(fan, "Świetny projekt")
    assert first["endorser"]["handle"] == fan.handle
    again = await endorse(fan, "Naprawdę świetny projekt")  # replaces, never doubles
    assert again["comment"] == "Naprawdę świetny projekt"
    assert again["endorsedAt"] == first["endorsedAt"] and again["updatedAt"] > first["updatedAt"]
    await endorse(critic, "Solidnie")
    too_long = await endorse(critic, "x" * 1001)
    assert too_long["fields"][0]["field"] == "comment"

    query = """query($id: ID!, $after: String) { node(id: $id) { ... on Award {
      endorsementCount endorsements(first: 1, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { comment } } } } } }"""
    page = (await api.query(query, {"id": award_id}))["node"]
    assert page["endorsementCount"] == 2
    assert page["endorsements"]["edges"] == [{"node": {"comment": "Solidnie"}}]  # newest first
    assert page["endorsements"]["pageInfo"]["hasNextPage"]
    cursor = page["endorsements"]["pageInfo"]["endCursor"]
    rest = (await api.query(query, {"id": award_id, "after": cursor}))["node"]["endorsements"]
    assert rest["edges"] == [{"node": {"comment": "Naprawdę świetny projekt"}}]
    assert not rest["pageInfo"]["hasNextPage"] and rest["totalCount"] == 2

    endorsed = await audit(api, "Award", award_id, "Award", "award.endorsed")
    assert [row.data["created"] for row in endorsed] == [True, False, True]

    await set_visibility(api, holder, awards="PRIVATE")
    hidden = await endorse(await register(api), "?")
    assert hidden["__typename"] == "NotFoundError"  # an award you cannot see is not there
    unknown = await api.mutate(
        "endorseAward", {"awardId": to_global("Award", new_id())}, ENDORSEMENT, fan.token
    )
    assert unknown["__typename"] == "NotFoundError"
    await set_visibility(api, holder, awards="PUBLIC")
    await revoke(api, issuer, award_id)
    assert (await endorse(critic, "Jednak nie"))["__typename"] == "ConflictError"


VERIFY = """query($id: ID!) { verifyCredential(awardId: $id) {
  status reasons badgeName issuerName issuedAt expiresAt revokedAt revokeReason
  award { id recipient { handle } } } }"""


async def test_verify_credential(api: Api) -> None:
    issuer, holder = await verified_issuer(api), await register(api)
    badge_id = await published_badge(api, issuer)
    award_id = await award(api, issuer, badge_id, holder)

    async def verify(credential_id: str, token: str | None = None) -> dict[str, Any]:
        return (await api.query(VERIFY, {"id": credential_id}, token))["verifyCredential"]  # type: ignore[no-any-return]

    valid = await verify(award_id)
    assert valid["status"] == "AUTHENTIC_VALID"
    assert valid["award"]["recipient"]["handle"] == holder.handle
    assert (valid["badgeName"], valid["issuerName"]) == ("Analiza danych", "Akademia Testowa")
    assert valid["expiresAt"] and valid["revokedAt"] is None
    assert any("verified" in reason for reason in valid["reasons"])

    await set_visibility(api, holder, profile="PRIVATE")
    private = await verify(award_id)
    assert private["status"] == "AUTHENTIC_VALID" and private["award"] is None
    assert holder.handle not in " ".join(private["reasons"])
    assert any("holder is not shown" in reason for reason in private["reasons"])
    assert (await verify(award_id, holder.token))["award"]["id"] == award_id  # own view

    await revoke(api, issuer, award_id)
    revoked = await verify(award_id)
    assert revoked["status"] == "REVOKED"
    assert revoked["revokeReason"] == "Plagiat w projekcie" and revoked["revokedAt"]

    again = await award(api, issuer, badge_id, holder)
    await expire(api, again)
    assert (await verify(again))["status"] == "EXPIRED"

    pending = await api.mutate(
        "awardBadge",
        {"badgeId": badge_id, "recipientEmail": "nobody-yet@example.org"},
        AWARD,
        issuer.owner.token,
    )
    claim = await verify(pending["id"])
    assert claim["status"] == "PENDING_CLAIM" and claim["award"] is None
    assert "nobody-yet" not in " ".join(claim["reasons"])

    for unknown_id in (to_global("Award", new_id()), "garbage", holder.id):
        unknown = await verify(unknown_id)
        assert unknown["status"] == "UNKNOWN" and unknown["award"] is None
        assert unknown["badgeName"] is None and unknown["issuedAt"] is None


PAGE = """query($h: String!) { user(handle: $h) { displayName bio avatarUrl contactsCount
  skills { level skill { name } credentials { id badge { name } } outcomes { description } }
  featuredAwards { id badge { name issuer { name } } }
  awardGroups(by: ISSUER) { count issuer { name } newest { id } }
  awards(first: 50) { totalCount edges { node { status endorsementCount
    endorsements(first: 5) { totalCount edges { node { comment endorser { handle } } } }
    badge { name issuer { name } outcomes { skill { name } } } awardedBy { handle } } } } } }"""


@pytest.mark.parametrize("viewer", ["owner", "contact"])
async def test_a_profile_page_costs_the_same_for_2_and_10_credentials(
    api: Api, round_trips: RoundTrips, viewer: str
) -> None:
    issuer, learner, friend = await verified_issuer(api), await register(api), await register(api)
    await befriend(api, learner, friend)
    await set_visibility(api, learner, **dict.fromkeys(SECTIONS, "CONTACTS"))
    token = learner.token if viewer == "owner" else friend.token
    counts = []
    held: list[str] = []
    for size in (2, 10):
        while len(held) < size:
            held.append(await award(api, issuer, await published_badge(api, issuer), learner))
            await api.mutate(
                "endorseAward", {"awardId": held[-1], "comment": "ok"}, ENDORSEMENT, friend.token
            )
        await feature(api, learner, held[:6])
        # The fewest of five reads: loaders batch per event-loop tick, so a batch can split
        # in two when results arrive in another order; the fewest is the page's structure.
        trips = []
        for _ in range(5):
            round_trips.neo4j = 0
            data = await api.query(PAGE, {"h": learner.handle}, token)
            trips.append(round_trips.neo4j)
        counts.append(min(trips))
        assert data["user"]["awards"]["totalCount"] == size
        assert len(data["user"]["featuredAwards"]) == min(size, 6)
        assert data["user"]["contactsCount"] == 1
    # user; who blocks the viewer; contact check (contacts only); skills map; featured
    # awards; groups; awards page; contacts count; badges; organisations; endorsement
    # counts; endorsement pages; endorsers; awarding users; people whose blocks are
    # checked; outcomes; skills
    # A loader batch may still split in two (one more read), but an N+1 over ten
    # credentials would add eight or more.
    assert max(counts) <= (17 if viewer == "contact" else 16), counts
