"""Team and club activity and leaderboard changes, live over real WebSockets from real
uvicorn processes: two API instances sharing one SQL store and one real Redis. Live updates
cross instances, and survive a Redis restart within seconds (the last test)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import websockets

from odznaka_graph.settings import Settings
from tests.api_process import (
    AWARD,
    api_process,
    gql,
    verified_reviewer,
)
from tests.api_process import (
    published_badge as published_badge_on,
)
from tests.api_process import (
    register as register_on,
)
from tests.club_helpers import club_of, nominate, peer_badge, vouch
from tests.helpers import Api, Issuer, Person, published_badge, register
from tests.live_helpers import live, remote, remote_issuer, settled
from tests.profile_helpers import set_visibility
from tests.redis_server import RedisServer
from tests.team_helpers import award, create_team, join

TEAM_ACTIVITY = """subscription($id: ID!) { teamActivity(teamId: $id) {
  eventId at kind role member { handle } actor { handle } award { id badge { name } }
  team { id } } }"""
CLUB_ACTIVITY = """subscription($id: ID!) { clubActivity(clubId: $id) {
  eventId kind member { handle } actor { handle } nomination { id status }
  badge { id } award { id } club { id } } }"""
LEADERBOARD = """subscription($id: ID!, $challenge: ID) {
  leaderboardChanged(teamId: $id, challengeId: $challenge) {
    eventId at team { id } challengeId } }"""


@pytest.fixture(scope="module")
def instances(
    settings: Settings, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    var = tmp_path_factory.mktemp("instances")  # one SQL store for both, as in production
    with (
        api_process(settings, var, REDIS_URL=redis_server.url) as a,
        api_process(settings, var, REDIS_URL=redis_server.url) as b,
    ):
        yield a, b


@pytest.fixture(scope="module")
def server(instances: tuple[str, str]) -> str:
    return instances[0]


@pytest.fixture
async def api(server: str) -> AsyncIterator[Api]:
    async with remote(server) as client:
        yield client


async def _class(api: Api, pupils: int) -> tuple[Issuer, dict[str, Any], list[Person]]:
    issuer = await remote_issuer(api)
    team = await create_team(api, issuer)
    people = [await register(api) for _ in range(pupils)]
    for person in people:
        assert (await join(api, team["joinCode"], person))["viewerRole"] == "STUDENT"
    return issuer, team, people


def _kind(kind: str) -> Any:
    return lambda item: item["kind"] == kind


async def test_a_member_sees_a_classmates_award_and_an_outsider_is_refused(
    api: Api, server: str
) -> None:
    issuer, team, (ola, jan) = await _class(api, 2)
    outsider = await register(api)
    badge_id = await published_badge(api, issuer)
    async with live(server, ola.token) as ola_live, live(server, outsider.token) as out_live:
        await ola_live.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        await out_live.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        refused = await out_live.message("t")
        await settled()
        award_id = await award(api, issuer, badge_id, jan)
        item = await ola_live.item("t", "teamActivity", _kind("AWARD_RECEIVED"))
        assert (await out_live.message("t"))["type"] == "complete"
    assert refused["type"] == "next"
    assert refused["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert item["award"] == {"id": award_id, "badge": {"name": "Analiza danych"}}
    assert item["member"]["handle"] == jan.handle
    assert item["actor"]["handle"] == issuer.owner.handle
    assert item["team"] == {"id": team["id"]} and item["eventId"] and item["at"]


CATCH_UP = """subscription($id: ID!, $since: Int) { teamActivity(teamId: $id, since: $since) {
  eventId sequence kind award { id } } }"""


async def test_a_member_catches_up_on_the_team_stream(api: Api, server: str) -> None:
    """Items carry a sequence; subscribing again with `since` delivers what the stream
    carried meanwhile (routed as live: a stranger's award elsewhere stays out), then live
    items, each once."""
    issuer, team, (ola, jan) = await _class(api, 2)
    badges = [await published_badge(api, issuer) for _ in range(3)]
    elsewhere = await register(api)  # an award to someone outside the class
    async with live(server, ola.token) as ola_live:
        await ola_live.subscribe("t", CATCH_UP, {"id": team["id"]})
        await settled()
        first = await award(api, issuer, badges[0], jan)
        seen = await ola_live.item("t", "teamActivity", _kind("AWARD_RECEIVED"))
    await award(api, issuer, badges[0], elsewhere)
    missed = await award(api, issuer, badges[1], jan)  # while ola is away
    async with live(server, ola.token) as ola_live:
        await ola_live.subscribe("t", CATCH_UP, {"id": team["id"], "since": seen["sequence"]})
        caught = await ola_live.item("t", "teamActivity", _kind("AWARD_RECEIVED"))
        await settled()
        later = await award(api, issuer, badges[2], jan)
        pushed = await ola_live.item("t", "teamActivity", _kind("AWARD_RECEIVED"))
        nothing_more = await ola_live.quiet("t", 1)
    assert seen["award"] == {"id": first} and isinstance(seen["sequence"], int)
    assert caught["award"] == {"id": missed} and caught["sequence"] > seen["sequence"]
    assert pushed["award"] == {"id": later}
    again = [m for m in nothing_more if m["payload"]["data"]["teamActivity"]["award"]]
    assert again == []  # no award twice (points of the last one may follow)


async def test_an_award_the_member_may_not_see_is_not_delivered(api: Api, server: str) -> None:
    issuer, team, (ola, hidden, shown) = await _class(api, 3)
    await set_visibility(api, hidden, awards="PRIVATE")
    badge_id = await published_badge(api, issuer)
    async with live(server, ola.token) as ola_live:
        await ola_live.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        await settled()
        await award(api, issuer, badge_id, hidden)
        shown_award = await award(api, issuer, badge_id, shown)
        item = await ola_live.item("t", "teamActivity", _kind("AWARD_RECEIVED"))
    assert item["award"]["id"] == shown_award and item["member"]["handle"] == shown.handle


async def test_the_stream_ends_when_the_member_is_removed(api: Api, server: str) -> None:
    issuer, team, (ola, jan) = await _class(api, 2)
    async with live(server, ola.token) as ola_live:
        await ola_live.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        await ola_live.subscribe("l", LEADERBOARD, {"id": team["id"]})
        await settled()
        await api.mutate("leaveTeam", {"teamId": team["id"]}, "", jan.token)
        left = await ola_live.item("t", "teamActivity", _kind("MEMBER_LEFT"))
        removed = await api.mutate(
            "removeTeamMember", {"teamId": team["id"], "userId": ola.id}, "", issuer.owner.token
        )
        last = await ola_live.item("t", "teamActivity", _kind("MEMBER_REMOVED"))
        ended = await ola_live.message("t")
        leaderboard = [m["type"] for m in await ola_live.quiet("l", 2)]
    assert removed["__typename"] == "Team"
    assert left["member"]["handle"] == jan.handle and left["actor"]["handle"] == jan.handle
    assert last["member"]["handle"] == ola.handle and last["team"] is None
    assert ended["type"] == "complete"
    assert leaderboard[-1] == "complete"  # its changes (jan leaving) came before it ended


async def test_leaderboard_changed_fires_on_an_award_to_a_member(api: Api, server: str) -> None:
    issuer, team, (ola, jan) = await _class(api, 2)
    badge_id = await published_badge(api, issuer)
    async with live(server, ola.token) as ola_live:
        await ola_live.subscribe("l", LEADERBOARD, {"id": team["id"]})
        await settled()
        await award(api, issuer, badge_id, jan)
        change = await ola_live.item("l", "leaderboardChanged", lambda item: True)
        # The award and the points it brings come together: one change, not several.
        rest = await ola_live.quiet("l", 1)
    assert change["team"] == {"id": team["id"]} and change["challengeId"] is None
    assert change["eventId"] and rest == []


async def test_club_activity_shows_nominations_vouches_and_the_peer_award(
    api: Api, server: str
) -> None:
    owner, ala, ben, cyd, outsider = [await register(api) for _ in range(5)]
    club_id = await club_of(api, owner, [ala, ben, cyd], vouchThreshold=2)
    badge_id = await peer_badge(api, club_id, owner)
    async with live(server, cyd.token) as cyd_live, live(server, outsider.token) as out_live:
        await cyd_live.subscribe("c", CLUB_ACTIVITY, {"id": club_id})
        await out_live.subscribe("c", CLUB_ACTIVITY, {"id": club_id})
        refused = await out_live.message("c")
        await settled()
        nomination = await nominate(api, badge_id, ala, ben)
        nominated = await cyd_live.item("c", "clubActivity", _kind("NOMINATED"))
        await vouch(api, nomination["id"], owner)
        vouched = await cyd_live.item("c", "clubActivity", _kind("VOUCHED"))
        awarded = await cyd_live.item("c", "clubActivity", _kind("AWARD_RECEIVED"))
        await api.mutate("leaveClub", {"clubId": club_id}, "", cyd.token)
        left = await cyd_live.item("c", "clubActivity", _kind("MEMBER_LEFT"))
        ended = await cyd_live.message("c")
    assert refused["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert nominated["nomination"]["id"] == nomination["id"]
    assert nominated["member"]["handle"] == ben.handle
    assert nominated["actor"]["handle"] == ala.handle
    assert nominated["badge"] == {"id": badge_id} and nominated["club"] == {"id": club_id}
    assert vouched["actor"]["handle"] == owner.handle
    assert vouched["nomination"]["id"] == nomination["id"]
    assert awarded["member"]["handle"] == ben.handle and awarded["badge"] == {"id": badge_id}
    assert left["member"]["handle"] == cyd.handle and ended["type"] == "complete"


async def test_a_member_on_instance_a_sees_an_award_made_through_b(
    instances: tuple[str, str],
) -> None:
    a, b = instances
    async with remote(b) as api_b:
        issuer, team, (ola, jan) = await _class(api_b, 2)
        badge_id = await published_badge(api_b, issuer)
        async with live(a, ola.token) as ola_live:
            await ola_live.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
            await settled()
            award_id = await award(api_b, issuer, badge_id, jan)
            item = await ola_live.item("t", "teamActivity", _kind("AWARD_RECEIVED"))
    assert item["award"]["id"] == award_id and item["member"]["handle"] == jan.handle


CHALLENGE_BOARD = """subscription($id: ID!, $challenge: ID) {
  leaderboardChanged(teamId: $id, challengeId: $challenge) { eventId leaderboard {
    entries { edges { node { handle rank score target completedAt } } } } } }"""


async def test_a_challenge_board_moves_live_across_instances(
    instances: tuple[str, str],
) -> None:
    """The issue's story: a teacher sets a challenge through B; a pupil watching on A sees
    a classmate climb the board as badges are awarded, then complete it."""
    a, b = instances
    async with remote(b) as api_b:
        issuer, team, (ola, jan) = await _class(api_b, 2)
        goal = [await published_badge(api_b, issuer) for _ in range(2)]
        challenge = await api_b.mutate(
            "createChallenge",
            {
                "teamId": team["id"],
                "title": "Dwie odznaki w tydzień",
                "endsAt": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
                "goal": {"kind": "BADGES", "badgeIds": goal},
                "rewardPoints": 25,
            },
            "... on Challenge { id }",
            issuer.owner.token,
        )
        variables = {"id": team["id"], "challenge": challenge["id"]}
        async with live(a, ola.token) as ola_live:
            await ola_live.subscribe("c", CHALLENGE_BOARD, variables)
            await settled()
            rows = []
            for earned, badge_id in enumerate(goal, start=1):
                await award(api_b, issuer, badge_id, jan)
                change = await ola_live.item(
                    "c", "leaderboardChanged", lambda item, n=earned: _top(item)[2] >= n
                )
                rows.append(_top(change))
            # the completion follows the second award (it may come in the same change)
            if rows[-1][3] is None:
                rows.append(
                    _top(
                        await ola_live.item(
                            "c", "leaderboardChanged", lambda item: _top(item)[3] is not None
                        )
                    )
                )
    assert [row[:3] for row in rows[:2]] == [(jan.handle, 1, 1), (jan.handle, 1, 2)]
    assert rows[-1][0] == jan.handle and rows[-1][3] is not None


def _top(change: dict[str, Any]) -> tuple[str, int, int, str | None]:
    node = change["leaderboard"]["entries"]["edges"][0]["node"]
    return node["handle"], node["rank"], node["score"], node["completedAt"]


SUBSCRIBE = "subscription { awardReceived { id badge { name } } }"


async def _subscribed(base: str, token: str, query: str = SUBSCRIBE) -> Any:
    ws = await websockets.connect(f"ws://{base}/graphql", subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
    await asyncio.sleep(0.5)
    return ws


async def _next_award(ws: Any) -> dict[str, Any]:
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "next":
            return message["payload"]["data"]["awardReceived"]  # type: ignore[no-any-return]


def _award(base: str, badge_id: str, learner: dict[str, str], owner: dict[str, str]) -> str:
    data = gql(
        base,
        AWARD,
        {"i": {"badgeId": badge_id, "recipientId": learner["userId"]}},
        owner["accessToken"],
    )
    return data["awardBadge"]["id"]  # type: ignore[no-any-return]


async def test_a_client_on_a_receives_an_award_made_through_b(instances: tuple[str, str]) -> None:
    a, b = instances
    learner, owner = register_on(a, "ola.instances"), register_on(b, "szef.instances")
    badge_id = published_badge_on(b, owner["accessToken"], _reviewer_token(b))
    ws = await _subscribed(a, learner["accessToken"])
    try:
        award_id = await asyncio.to_thread(_award, b, badge_id, learner, owner)
        received = await asyncio.wait_for(_next_award(ws), 10)
    finally:
        await ws.close()
    assert received["id"] == award_id and received["badge"]["name"] == "Analiza danych"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_after_a_redis_restart_a_stream_says_it_has_a_gap_and_a_new_one_receives(
    instances: tuple[str, str], redis_server: RedisServer
) -> None:
    """What was published while Redis was away is lost to a live stream: `awardReceived`
    (no catch-up of its own) ends with LIVE_GAP instead of staying open in silence, and a
    new subscription receives within seconds of the restart."""
    a, b = instances
    learner, owner = register_on(a, "kuba.restart"), register_on(b, "szefowa.restart")
    ws = await _subscribed(a, learner["accessToken"])
    try:
        redis_server.stop()
        redis_server.start()
        restarted = time.monotonic()
        ended = await asyncio.wait_for(_ended(ws), 15)
    finally:
        await ws.close()
    assert ended["payload"]["errors"][0]["extensions"]["code"] == "LIVE_GAP", ended
    ws = await _subscribed(a, learner["accessToken"])
    try:
        badge_id = await asyncio.to_thread(
            published_badge_on, b, owner["accessToken"], _reviewer_token(b)
        )
        award_id = await asyncio.to_thread(_award, b, badge_id, learner, owner)
        received = await asyncio.wait_for(_next_award(ws), 10)
    finally:
        await ws.close()
    assert received["id"] == award_id
    assert time.monotonic() - restarted < 25


NOTIFIED = "subscription { notifications { id kind sequence } }"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_the_notification_stream_fills_its_own_gap_after_a_redis_outage(
    instances: tuple[str, str], redis_server: RedisServer
) -> None:
    """A notification stream that delivered something reads what it missed while Redis
    was away from the store itself: every award's notification arrives once, no error."""
    a, b = instances
    learner, owner = register_on(a, "ewa.outage"), register_on(b, "szef.outage")
    badge_ids = [
        await asyncio.to_thread(published_badge_on, b, owner["accessToken"], _reviewer_token(b))
        for _ in range(3)
    ]
    ws = await _subscribed(a, learner["accessToken"], NOTIFIED)
    try:
        first = await asyncio.to_thread(_award, b, badge_ids[0], learner, owner)
        seen = [await asyncio.wait_for(_next_note(ws), 10)]
        redis_server.stop()
        during = await asyncio.to_thread(_award, b, badge_ids[1], learner, owner)
        await asyncio.sleep(1.0)
        redis_server.start()
        after = await asyncio.to_thread(_award, b, badge_ids[2], learner, owner)
        while len(seen) < 3:
            seen.append(await asyncio.wait_for(_next_note(ws), 20))
        await asyncio.sleep(1.0)  # anything more would be a duplicate
        assert not await _pending_note(ws)
    finally:
        await ws.close()
    assert len({note["id"] for note in seen}) == 3, seen
    assert first and during and after


async def _next_note(ws: Any) -> dict[str, Any]:
    message = json.loads(await ws.recv())
    assert message["type"] == "next", message
    return message["payload"]["data"]["notifications"]  # type: ignore[no-any-return]


async def _pending_note(ws: Any) -> bool:
    try:
        await asyncio.wait_for(ws.recv(), 0.2)
    except TimeoutError:
        return False
    return True


async def _ended(ws: Any) -> dict[str, Any]:
    """The stream's last result: its error (a `next` whose payload has `errors`)."""
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] != "next" or message["payload"].get("errors"):
            return message


def _reviewer_token(base: str) -> str:
    return verified_reviewer(base, "checker")["accessToken"]
