"""Points from credentials (and their reversal), XP and levels, streaks, achievements."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.points import PointEvent
from odznaka_graph.ledger.tables import point_events
from odznaka_graph.services import points
from odznaka_graph.services.achievements import achievements
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer

both_stores = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)

ME = """{ me { xp level { number xp startsAtXp nextLevelAtXp percent }
  pointHistory(first: 10) { totalCount edges { node { amount reason sourceId } } }
  achievements { code achievedAt current target } streak { currentWeeks bestWeeks } } }"""
CREDENTIAL = 10 + 2 * 12  # complete_badge() has a workload of 12 hours


async def _me(api: Api, token: str) -> dict:  # type: ignore[type-arg]
    return (await api.query(ME, token=token))["me"]  # type: ignore[no-any-return]


@both_stores
async def test_an_award_brings_points_and_a_revocation_takes_them_back(sql: str, api: Api) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    badge_id = await published_badge(api, issuer)
    award = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD, issuer.owner.token
    )
    me = await _me(api, learner.token)
    assert me["xp"] == CREDENTIAL
    [earned] = [edge["node"] for edge in me["pointHistory"]["edges"]]
    assert earned == {"amount": CREDENTIAL, "reason": "CREDENTIAL_EARNED", "sourceId": award["id"]}
    assert me["achievements"][0]["code"] == "FIRST_CREDENTIAL"
    assert me["achievements"][0]["achievedAt"] is not None
    assert me["streak"] == {"currentWeeks": 1, "bestWeeks": 1}

    revoked = await api.mutate(
        "revokeAward", {"awardId": award["id"], "reason": "Błąd"}, AWARD, issuer.owner.token
    )
    assert revoked["__typename"] == "Award", revoked
    me = await _me(api, learner.token)
    assert me["xp"] == 0
    assert [e["node"]["amount"] for e in me["pointHistory"]["edges"]] == [-CREDENTIAL, CREDENTIAL]
    assert me["pointHistory"]["edges"][0]["node"]["reason"] == "CREDENTIAL_REVOKED"
    # the history is kept: the milestone stays reached
    assert me["achievements"][0]["achievedAt"] is not None


@both_stores
async def test_parallel_awards_and_retries_give_exact_totals(sql: str, api: Api) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    badge_ids = [await published_badge(api, issuer) for _ in range(6)]

    async def give(badge_id: str) -> dict:  # type: ignore[type-arg]
        data = {"badgeId": badge_id, "recipientId": learner.id, "idempotencyKey": badge_id}
        return await api.mutate("awardBadge", data, AWARD, issuer.owner.token)

    # every badge twice, all at once: the retries replay, nothing counts twice
    results = await asyncio.gather(*(give(b) for b in badge_ids + badge_ids))
    assert {r["__typename"] for r in results} == {"Award"}
    me = await _me(api, learner.token)
    assert me["xp"] == 6 * CREDENTIAL
    assert me["pointHistory"]["totalCount"] == 6
    async with api.runtime.services.stores.ledger.reading() as conn:
        keys = (await conn.execute(sa.select(point_events.c.source_key))).scalars().all()
    assert len(keys) == len(set(keys)) == 6
    await _pages_both_ways(api, learner.token)


async def _pages_both_ways(api: Api, token: str) -> None:
    """The history pages backwards too: the oldest two, then the two before them."""
    page = (
        "pointHistory(%s) { edges { cursor node { sourceId } } "
        "pageInfo { hasNextPage hasPreviousPage } }"
    )
    every = (await api.query("{ me { %s } }" % (page % "first: 6"), token=token))["me"]
    ids = [edge["node"]["sourceId"] for edge in every["pointHistory"]["edges"]]
    oldest = (await api.query("{ me { %s } }" % (page % "last: 2"), token=token))["me"]
    edges = oldest["pointHistory"]["edges"]
    assert [edge["node"]["sourceId"] for edge in edges] == ids[4:]
    assert oldest["pointHistory"]["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}
    query = "query($c: String!) { me { %s } }" % (page % "last: 2, before: $c")
    earlier = (await api.query(query, {"c": edges[0]["cursor"]}, token))["me"]["pointHistory"]
    assert [edge["node"]["sourceId"] for edge in earlier["edges"]] == ids[2:4]
    assert earlier["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": True}


@both_stores
async def test_points_are_private_but_the_level_is_on_the_profile(sql: str, api: Api) -> None:
    owner, other = await register(api), await register(api)
    query = """query($h: String!) { user(handle: $h) { xp level { number }
      pointHistory { totalCount } streak { currentWeeks } achievements { code } } }"""
    seen = (await api.query(query, {"h": owner.handle}, other.token))["user"]
    assert seen == {
        "xp": 0,
        "level": {"number": 1},
        "pointHistory": None,
        "streak": None,
        "achievements": [],
    }


def test_levels_follow_the_documented_formula() -> None:
    assert [points.level_of(xp).number for xp in (0, 99, 100, 299, 300, 600, 1000)] == [
        1,
        1,
        2,
        2,
        3,
        4,
        5,
    ]
    level = points.level_of(450)
    assert (level.start, level.next_start) == (300, 600)
    assert points.credential_points("FORMAL", {"workload_hours": 1000}) == 250
    assert points.credential_points("PEER", {}) == 5


def test_weeks_are_polish_weeks_across_a_clock_change() -> None:
    # 2026-10-25: clocks go back in Poland; Sunday 23:30 local is still that week
    sunday_night = datetime(2026, 10, 25, 22, 30, tzinfo=UTC)  # 23:30 in Warsaw
    monday_morning = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)  # 00:30 Monday
    assert points.week_key(sunday_night) == "2026-W43"
    assert points.week_key(monday_morning) == "2026-W44"
    streak = points.streak_of([sunday_night, monday_morning], monday_morning)
    assert (streak.current, streak.best, streak.active_this_week) == (2, 2, True)
    gap = points.streak_of([sunday_night], monday_morning + timedelta(days=8))
    assert (gap.current, gap.best) == (0, 1)


@both_stores
async def test_a_streak_bonus_is_given_once_per_week(sql: str, api: Api) -> None:
    learner = await register(api)
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    async with api.runtime.services.stores.ledger.reading() as conn:
        badge = await _badge(conn, badge_id)
    now, account = datetime.now(UTC), local_id(learner.id, "User") or ""
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await points.credential_earned(conn, "a-last-week", account, badge, now - timedelta(7))
        await points.credential_earned(conn, "a-this-week", account, badge, now)
        await points.credential_earned(conn, "a-this-week-2", account, badge, now)
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = (await conn.execute(sa.select(point_events))).all()
    streaks = [row for row in rows if row.reason == points.STREAK]
    assert [row.amount for row in streaks] == [10]  # 5 × a streak of 2 weeks, once
    me = await _me(api, learner.token)
    assert me["streak"] == {"currentWeeks": 2, "bestWeeks": 2}
    assert me["xp"] == 3 * CREDENTIAL + 10


def test_achievements_are_reached_once_and_stay() -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    events = [
        PointEvent(str(i), "u", 34, points.EARNED, f"award:{i}", str(i), start + timedelta(i))
        for i in range(5)
    ]
    found = {a.milestone.code: a for a in achievements(events)}
    assert found["FIVE_CREDENTIALS"].achieved_at == start + timedelta(4)
    assert found["TEN_CREDENTIALS"].achieved_at is None
    assert found["TEN_CREDENTIALS"].current == 5
    assert found["LEVEL_5"].achieved_at is None


async def _badge(conn, badge_id: str):  # type: ignore[no-untyped-def]
    from odznaka_graph.ledger import credentials

    return await credentials.badge(conn, local_id(badge_id, "Badge") or "")
