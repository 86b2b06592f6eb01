"""Notifications in the relational store: written once per (event, recipient), listed newest
first in keyset pages, counted and marked read by their owner."""

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.journal import outbox_rows
from odznaka_graph.ledger.pages import newest_page
from odznaka_graph.ledger.tables import (
    badges,
    notification_pushes,
    notifications,
    organization_staff,
    outbox,
)
from odznaka_graph.paging import Page, Window

# Ids derive from (event, recipient), so every instance names the same notification alike.
NOTIFICATION_IDS = uuid.UUID("0b8f3c52-7d1e-4f6a-9c2b-5e4d3a1f7c60")
CHUNK = 500  # rows per INSERT: 10 parameters each stays under SQLite's limit of 32,766


@dataclass(frozen=True)
class NotificationRecord:
    id: str
    event_id: str
    account_id: str
    kind: str
    actor_id: str | None
    subject_type: str | None
    subject_id: str | None
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None = None


def notification_id(event_id: str, account_id: str) -> str:
    return str(uuid.uuid5(NOTIFICATION_IDS, f"{event_id}:{account_id}"))


def _record(row: Any) -> NotificationRecord:
    return NotificationRecord(**{name: getattr(row, name) for name in notifications.c.keys()})


async def insert_new(conn: AsyncConnection, records: list[NotificationRecord]) -> set[str]:
    """Insert those not there yet (by event and recipient); the ids of the ones inserted."""
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    inserted: set[str] = set()
    for start in range(0, len(records), CHUNK):
        statement = (
            dialect.insert(notifications)
            .values([asdict(record) for record in records[start : start + CHUNK]])
            .on_conflict_do_nothing()
            .returning(notifications.c.id)
        )
        inserted |= {row.id for row in await conn.execute(statement)}
    return inserted


def _mine(account_id: str, unread_only: bool) -> sa.ColumnElement[bool]:
    condition = notifications.c.account_id == account_id
    if unread_only:
        condition = sa.and_(condition, notifications.c.read_at.is_(None))
    return condition


async def count(conn: AsyncConnection, account_id: str, unread_only: bool = False) -> int:
    statement = sa.select(sa.func.count()).where(_mine(account_id, unread_only))
    return int((await conn.execute(statement)).scalar_one())


async def page(
    conn: AsyncConnection, account_id: str, window: Window, unread_only: bool
) -> Page[NotificationRecord]:
    """Newest first, by (created_at, id) keyset."""
    mine = _mine(account_id, unread_only)
    query, counted = sa.select(notifications).where(mine), sa.select(sa.func.count()).where(mine)
    created, ids = notifications.c.created_at, notifications.c.id
    return await newest_page(conn, query, created, ids, window, counted, _record)


async def of_account(
    conn: AsyncConnection, account_id: str, ids: list[str]
) -> dict[str, NotificationRecord]:
    statement = sa.select(notifications).where(
        notifications.c.account_id == account_id, notifications.c.id.in_(ids)
    )
    return {row.id: _record(row) for row in await conn.execute(statement)}


async def mark_read(
    conn: AsyncConnection, account_id: str, ids: list[str] | None, at: datetime
) -> int:
    """Mark some (or, with `ids` None, all) of the account's unread notifications read."""
    condition = _mine(account_id, unread_only=True)
    if ids is not None:
        condition = sa.and_(condition, notifications.c.id.in_(ids))
    result = await conn.execute(notifications.update().where(condition).values(read_at=at))
    return int(result.rowcount)


async def push(conn: AsyncConnection, topic: str, messages: list[dict[str, Any]]) -> None:
    """The live messages of new notifications: outbox events of `topic` (their id is the
    live sequence) and, with them, whose each is, for `pushed_since`."""
    for start in range(0, len(messages), CHUNK):
        chunk = messages[start : start + CHUNK]
        rows = outbox_rows(topic, chunk)
        written = await conn.execute(
            outbox.insert().values(rows).returning(outbox.c.id, outbox.c.event_id)
        )
        sequence = {event_id: outbox_id for outbox_id, event_id in written}
        pushes = [
            {"account_id": message["account_id"], "outbox_id": sequence[row["event_id"]]}
            for row, message in zip(rows, chunk, strict=True)
        ]
        await conn.execute(notification_pushes.insert().values(pushes))


def pushed_since_statement(account_id: str, sequence: int, limit: int) -> sa.Select[Any]:
    pushes = notification_pushes
    return (
        sa.select(outbox.c.id, outbox.c.payload)
        .join(pushes, pushes.c.outbox_id == outbox.c.id)
        .where(pushes.c.account_id == account_id, pushes.c.outbox_id > sequence)
        .order_by(pushes.c.outbox_id)
        .limit(limit)
    )


async def pushed_since(
    conn: AsyncConnection, account_id: str, sequence: int, limit: int
) -> list[tuple[int, dict[str, Any]]]:
    """The account's live messages after `sequence`, oldest first, with their sequence:
    what a subscriber that was away missed; read by the account's key, never through
    other accounts' messages."""
    statement = pushed_since_statement(account_id, sequence, limit)
    return [(row.id, row.payload) for row in await conn.execute(statement)]


async def staff_of_badges(
    conn: AsyncConnection, badge_ids: list[str], roles: list[str]
) -> dict[str, list[str]]:
    """Badge id → the accounts holding one of `roles` in the badge's organisation."""
    if not badge_ids:
        return {}
    staff = organization_staff
    statement = (
        sa.select(badges.c.id, staff.c.account_id)
        .join(staff, staff.c.organization_id == badges.c.organization_id)
        .where(badges.c.id.in_(badge_ids), staff.c.role.in_(roles))
        .order_by(badges.c.id, staff.c.account_id)
    )
    found: dict[str, list[str]] = {}
    for row in await conn.execute(statement):
        found.setdefault(row.id, []).append(row.account_id)
    return found
