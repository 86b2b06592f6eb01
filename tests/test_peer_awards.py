"""Peer badges and awards: a club of friends creates a badge, nominates and vouches, the
award arrives exactly once at the threshold, and the limits and refusals hold."""

import asyncio

import pytest
import sqlalchemy as sa

from odznaka_graph.ids import from_global
from odznaka_graph.ledger.tables import awards, outbox
from tests.club_helpers import (
    AWARD,
    CLUB,
    PEER_BADGE,
    club_of,
    create_club,
    join,
    nominate,
    peer_badge,
    vouch,
)
from tests.helpers import Api, published_badge, register, verified_issuer

# The ledger's guarantees (one award per nomination) must hold on both SQL stores.
pytestmark = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)

MY_AWARDS = """{ me { awards { totalCount edges { node { id status
  badge { kind issuer { id } club { id } } } } } } }"""
BADGE = "query($id: ID!) { badge(id: $id) { id kind status } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
NOMINATIONS = """query($id: ID!, $status: NominationStatus) { club(id: $id) {
  nominations(status: $status) { totalCount edges { node { id status vouchCount
  vouches { totalCount edges { node { user { handle } } } } } } } } }"""


async def _ledger_awards(api: Api) -> int:
    async with api.runtime.services.stores.ledger.reading() as conn:
        return int((await conn.execute(sa.select(sa.func.count()).select_from(awards))).scalar())


async def test_friends_award_a_peer_badge_at_the_threshold(api: Api) -> None:
    ala, bartek, celina, daniel = [await register(api) for _ in range(4)]
    club_id = await club_of(api, ala, [bartek, celina, daniel], vouchThreshold=2)
    badge_id = await peer_badge(api, club_id, bartek)
    badge = await api.query(
        "query($id: ID!) { badge(id: $id) { kind status issuer { id } club { id } howToObtain } }",
        {"id": badge_id},
    )
    assert badge["badge"] == {
        "kind": "PEER",
        "status": "PUBLISHED",
        "issuer": None,
        "club": {"id": club_id},
        "howToObtain": "Poprowadził trzy wieczory gier.",
    }

    nominated = await nominate(api, badge_id, ala, celina, reason="Trzy świetne wieczory.")
    assert (nominated["status"], nominated["vouchCount"], nominated["vouchThreshold"]) == (
        "OPEN",
        1,
        2,
    )
    assert nominated["viewerVouched"] is True and nominated["award"] is None

    # The refusals: the nominee, the nominator (whose nomination is their vouch), outsiders.
    outsider = await register(api)
    assert (await vouch(api, nominated["id"], celina))["__typename"] == "PermissionDeniedError"
    assert (await vouch(api, nominated["id"], ala))["__typename"] == "ConflictError"
    hidden = await vouch(api, nominated["id"], outsider)
    assert hidden["__typename"] in {"NotFoundError", "PermissionDeniedError"}

    done = await vouch(api, nominated["id"], bartek)
    assert (done["status"], done["vouchCount"]) == ("AWARDED", 2)
    assert done["award"]["status"] == "VALID"
    assert done["award"]["awardedBy"]["handle"] == ala.handle
    assert done["award"]["evidence"] == [{"narrative": "Trzy świetne wieczory."}]
    assert (await vouch(api, nominated["id"], bartek))["__typename"] == "ConflictError"
    late = await vouch(api, nominated["id"], daniel)
    assert late["__typename"] == "ConflictError"  # awarded already: no second award

    mine = await api.query(MY_AWARDS, token=celina.token)
    assert mine["me"]["awards"]["totalCount"] == 1
    held = mine["me"]["awards"]["edges"][0]["node"]
    assert held["badge"] == {"kind": "PEER", "issuer": None, "club": {"id": club_id}}
    assert await _ledger_awards(api) == 1

    # Held already: no new nomination; only owners and moderators revoke.
    again = await nominate(api, badge_id, daniel, celina)
    assert again["__typename"] == "ConflictError"
    award_id = done["award"]["id"]
    by_member = await api.mutate(
        "revokePeerAward", {"awardId": award_id, "reason": "bo tak"}, AWARD, daniel.token
    )
    assert by_member["__typename"] == "PermissionDeniedError"
    revoked = await api.mutate(
        "revokePeerAward", {"awardId": award_id, "reason": "Pomyłka w nominacji"}, AWARD, ala.token
    )
    assert (revoked["status"], revoked["revokeReason"]) == ("REVOKED", "Pomyłka w nominacji")
    listed = await api.query(NOMINATIONS, {"id": club_id, "status": "REVOKED"}, bartek.token)
    nominations = listed["club"]["nominations"]
    assert nominations["totalCount"] == 1
    assert nominations["edges"][0]["node"]["vouches"]["totalCount"] == 2
    # Once revoked, the badge may be earned again by a new nomination.
    renewed = await nominate(api, badge_id, daniel, celina)
    assert (renewed["__typename"], renewed["status"]) == ("Nomination", "OPEN")


async def test_self_nomination_non_members_and_formal_badges_are_refused(api: Api) -> None:
    ala, bartek, outsider = await register(api), await register(api), await register(api)
    club_id = await club_of(api, ala, [bartek])
    badge_id = await peer_badge(api, club_id, ala)
    assert (await nominate(api, badge_id, ala, ala))["__typename"] == "PermissionDeniedError"
    by_outsider = await nominate(api, badge_id, outsider, bartek)
    assert by_outsider["__typename"] == "PermissionDeniedError"
    of_outsider = await nominate(api, badge_id, ala, outsider)
    assert [f["field"] for f in of_outsider["fields"]] == ["nomineeId"]
    not_member_badge = await api.mutate(
        "createPeerBadge",
        {
            "clubId": club_id,
            "name": [{"lang": "PL", "text": "X"}],
            "description": [{"lang": "PL", "text": "Y"}],
            "imageUrl": "https://img.example.org/x.png",
            "criteria": [{"lang": "PL", "text": "Z"}],
        },
        PEER_BADGE,
        outsider.token,
    )
    assert not_member_badge["__typename"] == "PermissionDeniedError"
    missing = await api.mutate(
        "createPeerBadge",
        {
            "clubId": club_id,
            "name": [{"lang": "PL", "text": "X"}],
            "description": [],
            "imageUrl": "not a url",
            "criteria": [],
        },
        PEER_BADGE,
        ala.token,
    )
    assert {f["field"] for f in missing["fields"]} == {"imageUrl"}

    issuer = await verified_issuer(api)
    formal = await published_badge(api, issuer)
    refused = await nominate(api, formal, ala, bartek)
    assert [f["field"] for f in refused["fields"]] == ["badgeId"]
    # ...and a peer badge is never awarded the formal way.
    direct = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": bartek.id}, AWARD, ala.token
    )
    assert [f["field"] for f in direct["fields"]] == ["badgeId"]


async def test_the_daily_limit_is_a_clear_rate_limit(api: Api) -> None:
    ala, bartek, celina = [await register(api) for _ in range(3)]
    club_id = await club_of(api, ala, [bartek, celina], vouchThreshold=3, dailyPeerAwardLimit=2)
    first, second, third = [await peer_badge(api, club_id, ala, f"Odznaka {i}") for i in range(3)]
    assert (await nominate(api, first, ala, bartek))["__typename"] == "Nomination"
    assert (await nominate(api, second, ala, bartek))["__typename"] == "Nomination"
    limited = await nominate(api, third, ala, celina)
    assert limited["__typename"] == "RateLimitedError"
    assert 0 < limited["retryAfterSeconds"] <= 24 * 3600
    assert limited["reason"] == "NOMINATION_LIMIT_REACHED"
    # The limit is per member: someone else still nominates.
    assert (await nominate(api, third, bartek, celina))["__typename"] == "Nomination"
    # One open nomination per badge and nominee: vouch for it instead.
    dup = await nominate(api, first, celina, bartek)
    assert dup["__typename"] == "ConflictError"


async def test_concurrent_vouches_make_one_award(api: Api) -> None:
    people = [await register(api) for _ in range(6)]
    owner, nominee, *vouchers = people
    club_id = await club_of(api, owner, [nominee, *vouchers], vouchThreshold=2)
    badge_id = await peer_badge(api, club_id, owner)
    nomination = await nominate(api, badge_id, owner, nominee)
    results = await asyncio.gather(*(vouch(api, nomination["id"], v) for v in vouchers))
    # Each vouch counts (or, after the award, is refused as closed); one award in all.
    kinds = [r["__typename"] for r in results]
    assert set(kinds) <= {"Nomination", "ConflictError"} and "Nomination" in kinds
    award_ids = {r["award"]["id"] for r in results if r["__typename"] == "Nomination"}
    assert len(award_ids) == 1
    assert await _ledger_awards(api) == 1
    await api.runtime.services.stores.project_soon()
    graph = api.runtime.services.stores.graph
    rows = await graph.read("MATCH (a:Award) RETURN count(a) AS n")
    assert rows[0]["n"] == 1


async def test_the_ledger_alone_closes_an_awarded_nomination(api: Api) -> None:
    """The award and the nomination's closing travel in the vouch's one ledger transaction:
    a graph that lost the nomination's award gets it back by replaying the outbox."""
    stores = api.runtime.services.stores
    ala, bartek, celina = [await register(api) for _ in range(3)]
    club_id = await club_of(api, ala, [bartek, celina], vouchThreshold=2)
    badge_id = await peer_badge(api, club_id, ala)
    nomination = await nominate(api, badge_id, ala, celina)
    async with stores.ledger.reading() as conn:
        before = (await conn.execute(sa.select(sa.func.max(outbox.c.id)))).scalar_one()
    assert (await vouch(api, nomination["id"], bartek))["status"] == "AWARDED"

    decoded = from_global(nomination["id"])
    assert decoded is not None
    await stores.graph.write(
        "MATCH (n:Nomination {id: $id}) REMOVE n.awardId, n.awardedAt", id=decoded[1]
    )
    listed = await api.query(NOMINATIONS, {"id": club_id, "status": "OPEN"}, ala.token)
    assert listed["club"]["nominations"]["totalCount"] == 1
    async with stores.ledger.transaction() as conn:
        await conn.execute(outbox.update().where(outbox.c.id > before).values(projected_at=None))
    await stores.projector.flush()
    listed = await api.query(NOMINATIONS, {"id": club_id, "status": "AWARDED"}, ala.token)
    assert listed["club"]["nominations"]["totalCount"] == 1
    assert await _ledger_awards(api) == 1


async def test_double_clicks_never_make_two_awards(api: Api) -> None:
    owner, friend = await register(api), await register(api)
    club_id = await club_of(api, owner, [friend])  # threshold 1: the nomination awards
    badge_id = await peer_badge(api, club_id, owner)
    clicks = await asyncio.gather(
        *(nominate(api, badge_id, owner, friend, key="click-key-1234") for _ in range(5))
    )
    assert {c["__typename"] for c in clicks} == {"Nomination"}, clicks
    assert len({c["id"] for c in clicks}) == 1
    assert {c["award"]["id"] for c in clicks} == {clicks[0]["award"]["id"]}
    assert await _ledger_awards(api) == 1
    # Without a key, the second click finds the badge held (or nominated) already.
    other = await register(api)
    await join(api, club_id, other)
    no_key = await asyncio.gather(*(nominate(api, badge_id, owner, other) for _ in range(3)))
    assert sorted(r["__typename"] for r in no_key) == [
        "ConflictError",
        "ConflictError",
        "Nomination",
    ]
    assert await _ledger_awards(api) == 2


async def test_a_members_only_clubs_badges_stay_with_its_members(api: Api) -> None:
    owner, member, outsider = await register(api), await register(api), await register(api)
    before = (await api.query("{ badges { totalCount } }"))["badges"]["totalCount"]
    club_id = await create_club(api, owner, join_policy="INVITE", visibility="MEMBERS")
    await api.mutate("inviteToClub", {"clubId": club_id, "userId": member.id}, CLUB, owner.token)
    await join(api, club_id, member)
    badge_id = await peer_badge(api, club_id, member)
    nomination = await nominate(api, badge_id, member, owner)  # threshold 1: awarded

    for token in (outsider.token, None):
        catalogue = await api.query("{ badges(filter: {kind: PEER}) { totalCount } }", token=token)
        assert catalogue["badges"]["totalCount"] == before
        assert (await api.query(BADGE, {"id": badge_id}, token))["badge"] is None
        assert (await api.query(NODE, {"id": badge_id}, token))["node"] is None
        assert (await api.query(NODE, {"id": nomination["id"]}, token))["node"] is None
    assert (await api.query(BADGE, {"id": badge_id}, member.token))["badge"]["kind"] == "PEER"
    assert (await api.query(NODE, {"id": nomination["id"]}, owner.token))["node"] is not None
    # The award is not on the holder's public profile for outsiders at all (its evidence
    # would tell the nomination's reason), nor in its counts; members see it.
    theirs = "query($id: ID!) { node(id: $id) { ... on User { awards { totalCount } } } }"
    seen = await api.query(theirs, {"id": owner.id}, outsider.token)
    assert seen["node"]["awards"]["totalCount"] == 0
    seen = await api.query(theirs, {"id": owner.id}, member.token)
    assert seen["node"]["awards"]["totalCount"] == 1
    # Outsiders cannot nominate for it either: it is not there for them.
    assert (await nominate(api, badge_id, outsider, owner))["__typename"] == "NotFoundError"


async def test_nominations_are_for_members_only(api: Api) -> None:
    owner, friend, outsider = await register(api), await register(api), await register(api)
    club_id = await club_of(api, owner, [friend], vouchThreshold=2)
    badge_id = await peer_badge(api, club_id, owner)
    nomination = await nominate(api, badge_id, owner, friend)
    listed = await api.query(NOMINATIONS, {"id": club_id, "status": None}, outsider.token)
    assert listed["club"]["nominations"] is None
    assert (await api.query(NODE, {"id": nomination["id"]}, outsider.token))["node"] is None
    inside = await api.query(NOMINATIONS, {"id": club_id, "status": "OPEN"}, friend.token)
    assert inside["club"]["nominations"]["totalCount"] == 1
    # A retried nomination (same key) returns the same one; a different one under the key
    # is refused.
    first = await nominate(api, badge_id, friend, owner, key="nominate-key-1")
    retry = await nominate(api, badge_id, friend, owner, key="nominate-key-1")
    assert first["id"] == retry["id"]
    other_badge = await peer_badge(api, club_id, owner, "Inna")
    misuse = await nominate(api, other_badge, friend, owner, key="nominate-key-1")
    assert misuse["__typename"] == "ConflictError"


async def test_a_public_clubs_badges_are_in_the_catalogue_as_peer_badges(api: Api) -> None:
    owner = await register(api)
    club_id = await create_club(api, owner)
    badge_id = await peer_badge(api, club_id, owner)
    issuer = await verified_issuer(api)
    formal = await published_badge(api, issuer)
    query = """query($kind: BadgeKind) { badges(filter: {kind: $kind}) { totalCount
      edges { node { id kind issuer { id } club { id } } } } }"""
    peer = (await api.query(query, {"kind": "PEER"}))["badges"]
    assert peer["totalCount"] == 1
    assert peer["edges"][0]["node"] == {
        "id": badge_id,
        "kind": "PEER",
        "issuer": None,
        "club": {"id": club_id},
    }
    formal_only = (await api.query(query, {"kind": "MICROCREDENTIAL"}))["badges"]
    assert [e["node"]["id"] for e in formal_only["edges"]] == [formal]
    everything = (await api.query(query, {"kind": None}))["badges"]
    assert everything["totalCount"] == len(everything["edges"]) == 2
