"""Challenges, their completions, and the awards that count towards them."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.inserts import insert_new
from odznaka_graph.ledger.pages import newest_page
from odznaka_graph.ledger.tables import awards, challenge_completions, challenges
from odznaka_graph.paging import Page, Window


@dataclass(frozen=True)
class ChallengeRow:
    id: str
    team_id: str
    title: str
    description: str
    goal_kind: str  # BADGES, PATH or POINTS
    goal_badge_ids: list[str]
    goal_path_id: str | None
    goal_points: int | None
    starts_at: datetime
    ends_at: datetime
    reward_points: int
    reward_badge_id: str | None
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None = None
    requires_challenge_id: str | None = None  # quests (issue 15): what unlocks it
    requires_badge_id: str | None = None
    requires_path_id: str | None = None


def _challenge(row: sa.Row[Any]) -> ChallengeRow:
    values = row._mapping
    return ChallengeRow(**{name: values[name] for name in ChallengeRow.__dataclass_fields__})


async def insert(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(challenges.insert().values(**values))


async def update(conn: AsyncConnection, challenge_id: str, **values: Any) -> bool:
    """Change a challenge that is neither cancelled nor past its deadline; False when it
    is (checked in the same statement, so a race with the deadline cannot slip through)."""
    still_open = sa.and_(
        challenges.c.id == challenge_id,
        challenges.c.cancelled_at.is_(None),
        challenges.c.ends_at > values.pop("now"),
    )
    result = await conn.execute(challenges.update().where(still_open).values(**values))
    return bool(result.rowcount == 1)


async def by_key(conn: AsyncConnection, created_by: str, key: str) -> ChallengeRow | None:
    query = sa.select(challenges).where(
        challenges.c.created_by == created_by, challenges.c.idempotency_key == key
    )
    row = (await conn.execute(query)).first()
    return _challenge(row) if row else None


async def by_ids(conn: AsyncConnection, ids: Collection[str]) -> dict[str, ChallengeRow]:
    rows = await conn.execute(sa.select(challenges).where(challenges.c.id.in_(list(ids))))
    return {row.id: _challenge(row) for row in rows}


async def of_team(conn: AsyncConnection, team_id: str, window: Window) -> Page[ChallengeRow]:
    """A page of the team's challenges, newest first, in either direction, with the count."""
    where = challenges.c.team_id == team_id
    query, counted = sa.select(challenges).where(where), sa.select(sa.func.count()).where(where)
    created, ids = challenges.c.created_at, challenges.c.id
    return await newest_page(conn, query, created, ids, window, counted, _challenge)


async def running(
    conn: AsyncConnection, team_ids: Collection[str], since: datetime, until: datetime
) -> list[ChallengeRow]:
    """The teams' challenges open at some moment between `since` and `until`: started,
    not ended and not cancelled yet then (one cancelled later still counts for what
    happened before its cancellation: `open_at` tells the moments)."""
    if not team_ids:
        return []
    query = sa.select(challenges).where(
        challenges.c.team_id.in_(list(team_ids)),
        challenges.c.starts_at <= until,
        challenges.c.ends_at > since,
        sa.or_(challenges.c.cancelled_at.is_(None), challenges.c.cancelled_at > since),
    )
    return [_challenge(row) for row in await conn.execute(query)]


def open_at(challenge: ChallengeRow, at: datetime) -> bool:
    """Whether the challenge was running at that moment: started, not ended, not cancelled."""
    cancelled = challenge.cancelled_at
    return challenge.starts_at <= at < challenge.ends_at and (cancelled is None or at < cancelled)


async def completions(
    conn: AsyncConnection, challenge_ids: Collection[str], account_ids: Collection[str] | None
) -> dict[tuple[str, str], datetime]:
    query = sa.select(challenge_completions).where(
        challenge_completions.c.challenge_id.in_(list(challenge_ids))
    )
    if account_ids is not None:
        query = query.where(challenge_completions.c.account_id.in_(list(account_ids)))
    rows = await conn.execute(query)
    return {(row.challenge_id, row.account_id): row.completed_at for row in rows}


async def complete(conn: AsyncConnection, challenge_id: str, account_id: str, at: datetime) -> bool:
    """Record a completion; False when it was recorded already (by anyone, ever)."""
    values = {"challenge_id": challenge_id, "account_id": account_id, "completed_at": at}
    return await insert_new(conn, challenge_completions, values)


async def held_badges(
    conn: AsyncConnection,
    account_ids: Collection[str],
    badge_ids: Collection[str],
    since: datetime | None,
    until: datetime | None,
    now: datetime,
    since_each: Mapping[str, datetime] | None = None,
    as_of: Mapping[str, datetime] | None = None,
) -> dict[str, set[str]]:
    """Which of the badges each account holds through a valid award (issued in the window,
    when one is given; `since_each`: from each account's own start). `as_of`: what each
    account held at its own moment instead of now (issued by then, not revoked or expired
    then), so a judgement made later comes out the same."""
    if not account_ids or not badge_ids:
        return {}
    query = sa.select(awards.c.recipient_id, awards.c.badge_id).where(
        awards.c.recipient_id.in_(list(account_ids)),
        awards.c.badge_id.in_(list(badge_ids)),
    )
    if as_of is None:
        query = query.where(
            awards.c.revoked_at.is_(None),
            sa.or_(awards.c.expires_at.is_(None), awards.c.expires_at > now),
        )
    else:
        moment = each(awards.c.issued_at, awards.c.recipient_id, as_of)
        query = query.where(
            awards.c.issued_at <= moment,
            sa.or_(awards.c.revoked_at.is_(None), awards.c.revoked_at > moment),
            sa.or_(awards.c.expires_at.is_(None), awards.c.expires_at > moment),
        )
    if since is not None:
        query = query.where(awards.c.issued_at >= since)
    if since_each is not None:
        query = query.where(from_each(awards.c.issued_at, awards.c.recipient_id, since_each))
    if until is not None:
        query = query.where(awards.c.issued_at < until)
    held: dict[str, set[str]] = {}
    for account_id, badge_id in await conn.execute(query):
        held.setdefault(account_id, set()).add(badge_id)
    return held


def from_each(
    at: sa.ColumnElement[datetime], account: sa.ColumnElement[str], since: Mapping[str, datetime]
) -> sa.ColumnElement[bool]:
    """`at` is at or after the account's own start (a quest counts from its unlocking);
    accounts without one never match. One condition whatever their number."""
    if not since:
        return sa.false()
    return at >= each(at, account, since)


def each(
    like: sa.ColumnElement[datetime], account: sa.ColumnElement[str], times: Mapping[str, datetime]
) -> sa.ColumnElement[datetime]:
    """Each account's own moment, as one SQL expression (NULL for accounts not given)."""
    moments = {a: sa.literal(t, like.type) for a, t in times.items()}
    return sa.case(moments, value=account)


async def first_held(
    conn: AsyncConnection, account_ids: Collection[str], badge_ids: Collection[str], now: datetime
) -> dict[tuple[str, str], datetime]:
    """When each account received each of the badges it holds through a valid award (the
    first such award), by (account, badge)."""
    if not account_ids or not badge_ids:
        return {}
    query = (
        sa.select(awards.c.recipient_id, awards.c.badge_id, sa.func.min(awards.c.issued_at))
        .where(
            awards.c.recipient_id.in_(list(account_ids)),
            awards.c.badge_id.in_(list(badge_ids)),
            awards.c.revoked_at.is_(None),
            sa.or_(awards.c.expires_at.is_(None), awards.c.expires_at > now),
        )
        .group_by(awards.c.recipient_id, awards.c.badge_id)
    )
    return {(account_id, badge_id): at for account_id, badge_id, at in await conn.execute(query)}


async def requirements(conn: AsyncConnection, team_id: str) -> dict[str, str | None]:
    """Each challenge of the team and the challenge that unlocks it (quests)."""
    query = sa.select(challenges.c.id, challenges.c.requires_challenge_id).where(
        challenges.c.team_id == team_id
    )
    return {row.id: row.requires_challenge_id for row in await conn.execute(query)}
