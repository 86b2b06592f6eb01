"""Reports and the moderation queue (issue 15): anyone signed in reports what they can see;
club matters go to the club's owners and moderators, profiles and organisation awards to the
platform moderators; a report is decided once; hidden content disappears."""

import asyncio
from typing import Any

import sqlalchemy as sa

from odznaka_graph.ledger.reports import reports
from odznaka_graph.services.reports import grant_platform_moderator
from tests.club_helpers import CLUB, club_of, nominate, peer_badge, vouch
from tests.helpers import Api, Person, register

REPORT = "... on Report { id targetId targetType scope reportReason note status decision }"
QUEUE = """query($status: ReportStatus!) {
  moderationQueue(status: $status) { totalCount edges { node { id targetId scope } } }
}"""


async def platform_moderator(api: Api) -> Person:
    person = await register(api)
    await grant_platform_moderator(api.runtime.services.stores.ledger, person.email)
    return person


async def report(api: Api, by: Person, target: str, **more: Any) -> dict[str, Any]:
    data = {"targetId": target, "reason": "SPAM", **more}
    return await api.mutate("report", data, REPORT, by.token)


async def decide(api: Api, by: Person, report_id: str, decision: str) -> dict[str, Any]:
    data = {"reportId": report_id, "decision": decision}
    return await api.mutate("decideReport", data, REPORT, by.token)


async def queue(api: Api, by: Person, status: str = "OPEN") -> dict[str, Any]:
    found = await api.query(QUEUE, {"status": status}, by.token)
    return found["moderationQueue"]  # type: ignore[no-any-return]


async def _count(api: Api) -> int:
    async with api.runtime.services.stores.ledger.reading() as conn:
        return int((await conn.execute(sa.select(sa.func.count()).select_from(reports))).scalar())


async def _club(api: Api, **settings: Any) -> tuple[str, Person, Person, Person]:
    """A public club: its owner, a moderator and a member."""
    owner, moderator, member = await register(api), await register(api), await register(api)
    club_id = await club_of(api, owner, [moderator, member], **settings)
    role = {"clubId": club_id, "userId": moderator.id, "role": "MODERATOR"}
    assert (await api.mutate("setClubRole", role, CLUB, owner.token))["__typename"] == "Club"
    return club_id, owner, moderator, member


async def test_a_report_is_kept_once_and_bad_input_stores_nothing(api: Api) -> None:
    club_id, _, _, member = await _club(api)
    first = await report(api, member, club_id, note="Reklamy kasyna.")
    assert (first["status"], first["scope"], first["targetType"]) == ("OPEN", "CLUB", "Club")
    again = await report(api, member, club_id, reason="ABUSE")
    assert again["id"] == first["id"], again
    before = await _count(api)
    too_long = await report(api, member, club_id, note="x" * 1001)
    assert too_long["__typename"] == "ValidationError", too_long
    not_an_id = await report(api, member, "nonsense")
    assert not_an_id["__typename"] == "ValidationError", not_an_id
    members_only = await register(api)
    hidden_club = await club_of(api, members_only, [], visibility="MEMBERS")
    unseen = await report(api, member, hidden_club)
    assert unseen["reason"] == "REPORT_TARGET_NOT_FOUND", unseen
    anonymous = await api.mutate("report", {"targetId": club_id, "reason": "SPAM"}, REPORT)
    assert anonymous["code"] == "UNAUTHENTICATED", anonymous
    assert await _count(api) == before


async def test_reports_reach_the_right_queue(api: Api) -> None:
    club_id, owner, moderator, member = await _club(api)
    badge_id = await peer_badge(api, club_id, owner)
    platform, stranger = await platform_moderator(api), await register(api)
    about_badge = await report(api, member, badge_id)
    about_profile = await report(api, member, owner.id)
    assert (about_badge["scope"], about_profile["scope"]) == ("CLUB", "PLATFORM")
    club_queue = await queue(api, moderator)
    assert [e["node"]["id"] for e in club_queue["edges"]] == [about_badge["id"]], club_queue
    assert club_queue["totalCount"] == 1
    seen = {e["node"]["id"] for e in (await queue(api, platform))["edges"]}
    assert {about_badge["id"], about_profile["id"]} <= seen
    assert await queue(api, stranger) == {"totalCount": 0, "edges": []}
    refused = await decide(api, stranger, about_badge["id"], "DISMISS")
    assert refused["reason"] == "REPORT_NOT_FOUND", refused
    by_club = await decide(api, moderator, about_profile["id"], "DISMISS")
    assert by_club["reason"] == "REPORT_NOT_FOUND", by_club
    escalated = await decide(api, moderator, about_badge["id"], "ESCALATE")
    assert (escalated["scope"], escalated["status"]) == ("PLATFORM", "OPEN"), escalated
    assert (await queue(api, moderator))["totalCount"] == 0
    dismissed = await decide(api, platform, about_badge["id"], "DISMISS")
    assert (dismissed["status"], dismissed["decision"]) == ("DECIDED", "DISMISS"), dismissed
    decided = {e["node"]["id"] for e in (await queue(api, platform, "DECIDED"))["edges"]}
    assert about_badge["id"] in decided


async def test_two_moderators_deciding_at_once_decide_once(api: Api) -> None:
    club_id, owner, moderator, member = await _club(api)
    opened = await report(api, member, club_id)
    answers = await asyncio.gather(
        decide(api, owner, opened["id"], "DISMISS"),
        decide(api, moderator, opened["id"], "HIDE"),
    )
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["ConflictError", "Report"], answers
    assert [a.get("reason") for a in answers].count("REPORT_DECIDED") == 1, answers
    again = await decide(api, owner, opened["id"], "HIDE")
    assert again["reason"] == "REPORT_DECIDED", again


NODE = "query($id: ID!) { node(id: $id) { id } }"
CLUBS = "{ clubs(first: 100) { edges { node { id } } } }"
AWARDS = """query($h: String!) { user(handle: $h) { id
  awards(first: 20) { totalCount edges { node { id badge { id } } } } } }"""


async def _node(api: Api, node_id: str, who: Person | None) -> Any:
    return (await api.query(NODE, {"id": node_id}, who.token if who else None))["node"]


async def _awards(api: Api, unplanned: Api, holder: Person, who: Person | None) -> Any:
    """`user(handle:) { awards }`, planned and field by field: the same answer."""
    token = who.token if who else None
    planned = await api.query(AWARDS, {"h": holder.handle}, token)
    assert planned == await unplanned.query(AWARDS, {"h": holder.handle}, token)
    return planned["user"]


async def _hide(api: Api, reporter: Person, moderator: Person, target: str) -> None:
    opened = await report(api, reporter, target)
    assert opened["status"] == "OPEN", opened
    hidden = await decide(api, moderator, opened["id"], "HIDE")
    assert hidden["decision"] == "HIDE", hidden


async def test_hidden_content_disappears_from_every_read_path(api: Api, unplanned: Api) -> None:
    club_id, owner, moderator, member = await _club(api, vouchThreshold=2)
    kept_badge, hidden_badge = (
        await peer_badge(api, club_id, owner),
        await peer_badge(api, club_id, owner, "Kronikarz"),
    )
    nomination = await nominate(api, kept_badge, member, moderator)
    award_id = (await vouch(api, nomination["id"], owner))["award"]["id"]
    other_club = await club_of(api, await register(api), [])
    person, platform = await register(api), await platform_moderator(api)
    stranger = await register(api)
    assert (await _awards(api, unplanned, moderator, stranger))["awards"]["totalCount"] == 1
    for target in (award_id, hidden_badge, other_club, person.id):
        await _hide(api, member, platform, target)

    for who in (None, stranger):  # the award's holder and giver keep seeing it
        for gone in (award_id, hidden_badge, other_club, person.id):
            assert await _node(api, gone, who) is None, (gone, who)
            assert await _node(unplanned, gone, who) is None, (gone, who)
        assert await _node(api, kept_badge, who) is not None
        listed = {
            e["node"]["id"]
            for e in (await api.query(CLUBS, {}, who and who.token))["clubs"]["edges"]
        }
        assert club_id in listed and other_club not in listed
        holder = await _awards(api, unplanned, moderator, who)
        assert holder["awards"] == {"totalCount": 0, "edges": []}, holder
        assert await _awards(api, unplanned, person, who) is None
    own = await _awards(api, unplanned, moderator, moderator)  # the holder still has it
    assert [e["node"]["id"] for e in own["awards"]["edges"]] == [award_id]


async def test_a_flood_of_reports_is_throttled(api: Api) -> None:
    """REPORT_MAX_PER_WINDOW (20) new reports per account; the next waits, storing nothing."""
    reporter = await register(api)
    people = [await register(api) for _ in range(21)]
    for person in people[:20]:
        assert (await report(api, reporter, person.id))["__typename"] == "Report"
    before = await _count(api)
    refused = await report(api, reporter, people[20].id)
    assert refused["__typename"] == "RateLimitedError", refused
    assert refused["retryAfterSeconds"] > 0
    again = await report(api, reporter, people[0].id)  # an open report still answers
    assert again["__typename"] == "Report", again
    assert await _count(api) == before


BOARD = """query($t: ID!) { leaderboard(teamId: $t) { entries { edges { node { handle } } } } }"""


async def test_a_hidden_profile_leaves_the_class_board_of_its_classmates(api: Api) -> None:
    from tests.helpers import verified_issuer
    from tests.team_helpers import create_team, pupils

    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ola, jan = await pupils(api, team["joinCode"], 2)
    moderator = await platform_moderator(api)

    async def board(who: Person) -> set[str]:
        found = await api.query(BOARD, {"t": team["id"]}, who.token)
        return {e["node"]["handle"] for e in found["leaderboard"]["entries"]["edges"]}

    assert jan.handle in await board(ola)
    await _hide(api, ola, moderator, jan.id)
    await api.runtime.services.stores.projector.flush()
    assert jan.handle not in await board(ola)  # a classmate no longer finds them
    assert jan.handle in await board(jan)  # their own place stays theirs
    assert {ola.handle, jan.handle} <= await board(issuer.owner)  # the class's teacher
