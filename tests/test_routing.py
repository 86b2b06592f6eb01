"""Routing projected events to user, team and club channels: every team of a member hears
of their awards and points, with one graph read per projected batch."""

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime

from odznaka_graph.fanout import Listener
from odznaka_graph.graph_model.audiences import Audience
from odznaka_graph.ids import local_id, new_id
from odznaka_graph.ledger import journal
from odznaka_graph.observability import RoundTrips
from odznaka_graph.pubsub import LiveEvent, live_event, team_channel
from odznaka_graph.routing import channels_for
from tests.helpers import Api, published_badge, register, verified_issuer
from tests.team_helpers import award, create_team, join


def test_channels_by_topic_and_payload() -> None:
    found = Audience(holders={"a1": "u1"}, clubs={"a1": "c1"}, teams={"u1": ["t1", "t2"]})
    assert channels_for("award.issued", {"id": "a1", "recipientId": "u1"}, found) == [
        "user.u1",
        "team.t1",
        "team.t2",
        "club.c1",
    ]
    assert channels_for("award.revoked", {"id": "a1", "reason": "x"}, found) == [
        "team.t1",
        "team.t2",
        "club.c1",
    ]
    assert channels_for("points.recorded", {"accountId": "u1", "amount": 5}, found) == [
        "team.t1",
        "team.t2",
    ]
    assert channels_for("challenge.completed", {"teamId": "t9", "accountId": "u1"}) == ["team.t9"]
    assert channels_for("team.member_removed", {"id": "t3", "userId": "u1"}) == ["team.t3"]
    assert channels_for("club.member_left", {"id": "c2", "userId": "u1"}) == ["club.c2"]
    assert channels_for("peer.vouched", {"id": "n1", "clubId": "c2"}) == ["club.c2"]
    assert channels_for("badge.peer_created", {"id": "b1", "clubId": "c2"}) == ["club.c2"]
    assert channels_for("badge.reviewed", {"id": "b1"}) == []


async def _received(listener: Listener, count: int) -> list[LiveEvent]:
    async with asyncio.timeout(20):  # a busy machine may project in the background
        return [live_event(await anext(listener)) for _ in range(count)]


async def test_awards_and_points_reach_every_team_of_the_member_in_one_graph_read(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    teams = [await create_team(api, issuer, name=name) for name in ("3a", "3b")]
    pupils = [await register(api) for _ in range(4)]
    for pupil in pupils:
        for team in teams:
            await join(api, team["joinCode"], pupil)
    runtime = api.runtime.services
    users = sorted(local_id(pupil.id, "User") or "" for pupil in pupils)
    async with AsyncExitStack() as stack:
        listeners = [
            await stack.enter_async_context(
                runtime.pubsub.listen(team_channel(local_id(team["id"], "Team") or ""))
            )
            for team in teams
        ]
        award_id = await award(api, issuer, badge_id, pupils[0])
        awarded = [await _awards(listener) for listener in listeners]
        await asyncio.sleep(0.2)
        for listener in listeners:
            listener.ready()  # whatever else the award brought

        round_trips.queries.clear()
        async with runtime.stores.ledger.transaction() as conn:
            for user in users:
                await journal.enqueue(conn, "points.recorded", _points(user))
        await runtime.stores.projector.drain()  # projected, then published by its handler
        reads = [query for query in round_trips.queries if "$awardIds" in query]
        heard = [await _received(listener, len(users)) for listener in listeners]

    assert awarded == [local_id(award_id, "Award")] * 2
    assert len(reads) == 1
    for events in heard:
        assert sorted(event.payload["accountId"] for event in events) == users
        assert {event.topic for event in events} == {"points.recorded"}


async def _awards(listener: Listener) -> str:
    """The id of the first award event on a channel (points for it may come too)."""
    while True:
        (event,) = await _received(listener, 1)
        if event.topic == "award.issued":
            return str(event.payload["id"])


def _points(user: str) -> dict[str, object]:
    at = datetime.now(UTC).isoformat()
    key = f"test:{new_id()}"
    return {
        "id": new_id(),
        "accountId": user,
        "amount": 5,
        "reason": "TEST",
        "sourceKey": key,
        "at": at,
    }
