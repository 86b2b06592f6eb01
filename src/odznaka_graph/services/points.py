"""Points, XP, levels and weekly streaks: the rules, and the ledger writes that follow them.

Points (= XP):
- a credential earned: 10 + 2 per hour of its workload, at most 250 (a peer badge: 5);
  revoking it appends the same amount negated;
- a challenge completed: the reward its teacher set;
- given by hand: what a teacher (or a team's leader) gives or takes, with a note; a
  correction takes it back by a new entry;
- a streak kept: in a week (Monday to Sunday, Polish time) with activity, when the week
  before had activity too, 5 points per week of the streak, at most 50.
Levels: level L starts at 50·L·(L−1) XP (1 at 0, 2 at 100, 3 at 300, 4 at 600, 5 at 1000),
so each level needs 100 more than the one before.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger import points

WARSAW = ZoneInfo("Europe/Warsaw")
EARNED, REVOKED = "CREDENTIAL_EARNED", "CREDENTIAL_REVOKED"
CHALLENGE, STREAK = "CHALLENGE_COMPLETED", "STREAK_KEPT"
TEACHER, TEACHER_CORRECTION = "GIVEN_BY_TEACHER", "CORRECTED_BY_TEACHER"
ACTIVITY = (EARNED, CHALLENGE)  # what keeps a streak going
PEER_POINTS, BASE_POINTS, PER_HOUR, MAX_CREDENTIAL_POINTS = 5, 10, 2, 250
STREAK_POINTS_PER_WEEK, MAX_STREAK_POINTS = 5, 50


def credential_points(kind: str, content: dict[str, Any]) -> int:
    if kind == "PEER":
        return PEER_POINTS
    hours = float(content.get("workload_hours") or 0)
    return min(BASE_POINTS + round(PER_HOUR * hours), MAX_CREDENTIAL_POINTS)


def level_start(level: int) -> int:
    return 50 * level * (level - 1)


@dataclass(frozen=True)
class Level:
    number: int
    xp: int
    start: int
    next_start: int


def level_of(xp: int) -> Level:
    number = 1
    while level_start(number + 1) <= xp:
        number += 1
    return Level(number, xp, level_start(number), level_start(number + 1))


def week_of(at: datetime) -> datetime:
    """Monday 00:00 (Polish time) of the week `at` falls in."""
    local = at.astimezone(WARSAW)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=WARSAW)


def week_key(at: datetime) -> str:
    year, week, _ = week_of(at).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive active weeks up to this week (or last week, if not yet)
    best: int
    active_this_week: bool


def streak_of(activity: list[datetime], now: datetime) -> Streak:
    weeks = sorted({week_of(at) for at in activity})
    best = run = 0
    previous: datetime | None = None
    for week in weeks:
        run = run + 1 if previous is not None and next_week(previous) == week else 1
        best, previous = max(best, run), week
    this_week = week_of(now)
    active_now = bool(weeks) and weeks[-1] == this_week
    live = bool(weeks) and (active_now or next_week(weeks[-1]) == this_week)
    return Streak(run if live else 0, best, active_now)


def next_week(week: datetime) -> datetime:
    # Add days on the calendar, not hours: a week with a clock change is 167 or 169 hours.
    day = week.date() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, tzinfo=WARSAW)


async def credential_earned(
    conn: AsyncConnection, award_id: str, account_id: str, badge: Any, at: datetime
) -> None:
    amount = credential_points(badge.kind, badge.content or {})
    await _activity(conn, account_id, amount, EARNED, f"award:{award_id}", award_id, at)


async def credential_revoked(conn: AsyncConnection, award_id: str, at: datetime) -> None:
    """Reverse what the award brought, by a new event; nothing if it brought nothing."""
    earned = await points.by_source(conn, f"award:{award_id}")
    if earned is None:
        return
    await points.add(
        conn,
        account_id=earned.account_id,
        amount=-earned.amount,
        reason=REVOKED,
        source_key=f"award-revoked:{award_id}",
        source_id=award_id,
        at=at,
    )


async def challenge_completed(
    conn: AsyncConnection, challenge_id: str, account_id: str, amount: int, at: datetime
) -> None:
    key = f"challenge:{challenge_id}:{account_id}"
    await _activity(conn, account_id, amount, CHALLENGE, key, challenge_id, at)


async def _activity(
    conn: AsyncConnection,
    account_id: str,
    amount: int,
    reason: str,
    key: str,
    source_id: str,
    at: datetime,
) -> None:
    added = await points.add(
        conn,
        account_id=account_id,
        amount=amount,
        reason=reason,
        source_key=key,
        source_id=source_id,
        at=at,
    )
    if added is not None:
        await _keep_streak(conn, account_id, at)


async def _keep_streak(conn: AsyncConnection, account_id: str, at: datetime) -> None:
    """The first activity of a week that continues a streak earns the streak bonus once
    (keyed by the week, so concurrent activities cannot both earn it)."""
    since = week_of(at) - timedelta(weeks=60)
    history = await points.events_of(conn, account_id, since)
    activity = [e.at for e in history if e.reason in ACTIVITY and e.amount > 0]
    streak = streak_of(activity, at)
    if streak.current < 2:
        return
    await points.add(
        conn,
        account_id=account_id,
        amount=min(STREAK_POINTS_PER_WEEK * streak.current, MAX_STREAK_POINTS),
        reason=STREAK,
        source_key=f"streak:{account_id}:{week_key(at)}",
        source_id=None,
        at=at,
    )


async def totals_between(
    conn: AsyncConnection,
    account_ids: list[str],
    since: datetime | None,
    until: datetime | None,
    reasons: tuple[str, ...] | None = None,
    since_each: Mapping[str, datetime] | None = None,
    as_of: Mapping[str, datetime] | None = None,
) -> dict[str, int]:
    found = await points.totals(conn, account_ids, since, until, reasons, since_each, as_of)
    return {account_id: total for account_id, (total, _) in found.items()}
