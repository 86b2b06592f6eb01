"""The points ledger: append-only, each event keyed by its source so nothing counts twice."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ids import new_id
from odznaka_graph.ledger.inserts import insert_new
from odznaka_graph.ledger.journal import enqueue
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


def _event(row: sa.Row[Any]) -> PointEvent:
    return PointEvent(
        row.id, row.account_id, row.amount, row.reason, row.source_key, row.source_id, row.at
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
) -> PointEvent | None:
    """Append one event, or nothing when its source was counted already (by a retry or a
    concurrent transaction: the unique source key decides, under any isolation)."""
    values: dict[str, Any] = {
        "id": new_id(),
        "account_id": account_id,
        "amount": amount,
        "reason": reason,
        "source_key": source_key,
        "source_id": source_id,
        "at": at,
    }
    if not await insert_new(conn, point_events, values):
        return None
    payload = {
        "id": values["id"],
        "accountId": account_id,
        "amount": amount,
        "reason": reason,
        "sourceKey": source_key,
        "at": at.isoformat(),
    }
    await enqueue(conn, "points.recorded", payload)
    return PointEvent(**values)


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
) -> dict[str, tuple[int, datetime | None]]:
    """Each account's sum of points in a window, with the time of its last counted event
    (the tie-break: who got there first)."""
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
    rows = await conn.execute(query.group_by(point_events.c.account_id))
    return {row[0]: (int(row[1] or 0), row[2]) for row in rows}


async def page_of(conn: AsyncConnection, account_id: str, window: Window) -> Page[PointEvent]:
    """Newest first, in either direction, with the count."""
    mine = point_events.c.account_id == account_id
    query, counted = sa.select(point_events).where(mine), sa.select(sa.func.count()).where(mine)
    return await newest_page(
        conn, query, point_events.c.at, point_events.c.id, window, counted, _event
    )
