"""The points ledger: append-only, each event keyed by its source so nothing counts twice."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ids import new_id
from odznaka_graph.ledger.challenges import each, from_each
from odznaka_graph.ledger.inserts import insert_new
from odznaka_graph.ledger.journal import enqueue, enqueue_many
from odznaka_graph.ledger.pages import newest_page
from odznaka_graph.ledger.tables import point_events
from odznaka_graph.paging import Page, Window


@dataclass(frozen=True)
class PointEvent:
    id: str
    account_id: str
    amount: int
    reason: str
    source_key: str
    source_id: str | None
    at: datetime
    note: str | None = None


def _event(row: sa.Row[Any]) -> PointEvent:
    return PointEvent(
        row.id,
        row.account_id,
        row.amount,
        row.reason,
        row.source_key,
        row.source_id,
        row.at,
        row.note,
    )


async def add(
    conn: AsyncConnection,
    *,
    account_id: str,
    amount: int,
    reason: str,
    source_key: str,
    source_id: str | None,
    at: datetime,
    note: str | None = None,
) -> PointEvent | None:
    """Append one event, or nothing when its source was counted already (by a retry or a
    concurrent transaction: the unique source key decides, under any isolation)."""
    event = PointEvent(new_id(), account_id, amount, reason, source_key, source_id, at, note)
    if not await insert_new(conn, point_events, _values(event)):
        return None
    await enqueue(conn, "points.recorded", _announced(event))
    return event


async def add_many(conn: AsyncConnection, events: list[PointEvent]) -> list[PointEvent]:
    """Append several events in a fixed number of statements, skipping those whose source
    was counted already; the ones appended now."""
    if not events:
        return []
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(point_events)
        .values([_values(event) for event in events])
        .on_conflict_do_nothing()
        .returning(point_events.c.id)
    )
    added = set((await conn.execute(statement)).scalars())
    appended = [event for event in events if event.id in added]
    await enqueue_many(conn, "points.recorded", [_announced(event) for event in appended])
    return appended


async def by_sources(conn: AsyncConnection, source_keys: list[str]) -> list[PointEvent]:
    query = sa.select(point_events).where(point_events.c.source_key.in_(source_keys))
    return [_event(row) for row in await conn.execute(query)]


async def by_id(conn: AsyncConnection, event_id: str) -> PointEvent | None:
    row = (await conn.execute(sa.select(point_events).where(point_events.c.id == event_id))).first()
    return _event(row) if row else None


def _values(event: PointEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "account_id": event.account_id,
        "amount": event.amount,
        "reason": event.reason,
        "source_key": event.source_key,
        "source_id": event.source_id,
        "at": event.at,
        "note": event.note,
    }


def _announced(event: PointEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "accountId": event.account_id,
        "amount": event.amount,
        "reason": event.reason,
        "sourceKey": event.source_key,
        "at": event.at.isoformat(),
    }


async def by_source(conn: AsyncConnection, source_key: str) -> PointEvent | None:
    row = (
        await conn.execute(sa.select(point_events).where(point_events.c.source_key == source_key))
    ).first()
    return _event(row) if row else None


async def events_of(
    conn: AsyncConnection, account_id: str, since: datetime | None = None
) -> list[PointEvent]:
    """One account's events, oldest first."""
    query = sa.select(point_events).where(point_events.c.account_id == account_id)
    if since is not None:
        query = query.where(point_events.c.at >= since)
    rows = await conn.execute(query.order_by(point_events.c.at, point_events.c.id))
    return [_event(row) for row in rows]


async def totals(
    conn: AsyncConnection,
    account_ids: Collection[str],
    since: datetime | None = None,
    until: datetime | None = None,
    reasons: Collection[str] | None = None,
    since_each: Mapping[str, datetime] | None = None,
    as_of: Mapping[str, datetime] | None = None,
) -> dict[str, tuple[int, datetime | None]]:
    """Each account's sum of points in a window, with the time of its last counted event
    (the tie-break: who got there first); `since_each`: from each account's own start;
    `as_of`: up to each account's own moment (included)."""
    if not account_ids:
        return {}
    query = sa.select(
        point_events.c.account_id,
        sa.func.sum(point_events.c.amount),
        sa.func.max(point_events.c.at),
    ).where(point_events.c.account_id.in_(list(account_ids)))
    if since is not None:
        query = query.where(point_events.c.at >= since)
    if until is not None:
        query = query.where(point_events.c.at < until)
    if reasons is not None:
        query = query.where(point_events.c.reason.in_(list(reasons)))
    if since_each is not None:
        query = query.where(from_each(point_events.c.at, point_events.c.account_id, since_each))
    if as_of is not None:
        moment = each(point_events.c.at, point_events.c.account_id, as_of)
        query = query.where(point_events.c.at <= moment)
    rows = await conn.execute(query.group_by(point_events.c.account_id))
    return {row[0]: (int(row[1] or 0), row[2]) for row in rows}


async def page_of(conn: AsyncConnection, account_id: str, window: Window) -> Page[PointEvent]:
    """Newest first, in either direction, with the count."""
    mine = point_events.c.account_id == account_id
    query, counted = sa.select(point_events).where(mine), sa.select(sa.func.count()).where(mine)
    return await newest_page(
        conn, query, point_events.c.at, point_events.c.id, window, counted, _event
    )
