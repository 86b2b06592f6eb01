"""Audit log and transactional outbox: written in the same transaction as the change."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.ids import new_id
from odznaka_graph.ledger.tables import audit_log, outbox
from odznaka_graph.observability import request_id_var


@dataclass(frozen=True)
class OutboxEvent:
    id: int
    event_id: str
    topic: str
    payload: dict[str, Any]
    created_at: datetime


async def record(
    conn: AsyncConnection,
    *,
    actor_id: str | None,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: dict[str, Any],
) -> str:
    """Write one audit row and one outbox event for a state change; return the event id."""
    at = now()
    await conn.execute(
        audit_log.insert().values(
            at=at,
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            data=payload,
            request_id=request_id_var.get(),
        )
    )
    return await enqueue(conn, action, payload)


async def enqueue(conn: AsyncConnection, topic: str, payload: dict[str, Any]) -> str:
    """An outbox event with no audit row (for messages such as mail that carry secrets)."""
    event_id = new_id()
    await conn.execute(
        outbox.insert().values(event_id=event_id, topic=topic, payload=payload, created_at=now())
    )
    return event_id


def outbox_rows(topic: str, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outbox rows of one topic, each with a new event id, made now."""
    at = now()
    return [
        {"event_id": new_id(), "topic": topic, "payload": payload, "created_at": at}
        for payload in payloads
    ]


async def enqueue_many(conn: AsyncConnection, topic: str, payloads: list[dict[str, Any]]) -> None:
    """Several outbox events of one topic in one statement."""
    if payloads:
        await conn.execute(outbox.insert(), outbox_rows(topic, payloads))


def as_event(row: Any) -> OutboxEvent:
    return OutboxEvent(row.id, row.event_id, row.topic, row.payload, row.created_at)


async def pending_events(
    conn: AsyncConnection, limit: int, park_after: int = 5
) -> list[OutboxEvent]:
    """Events not in the graph yet, in order; one the graph refused `park_after` times is
    parked (later events pass it) and comes back when its retry is due."""
    due = sa.or_(outbox.c.attempts < park_after, outbox.c.retry_at <= now())
    rows = await conn.execute(
        sa.select(outbox)
        .where(outbox.c.projected_at.is_(None), due)
        .order_by(outbox.c.id)
        .limit(limit)
    )
    return [as_event(r) for r in rows]


async def projected_after(
    conn: AsyncConnection, topics: list[str], sequence: int, limit: int
) -> list[OutboxEvent]:
    """Projected events of `topics` after the outbox id `sequence`, oldest first (the
    `(topic, id)` index serves it)."""
    rows = await conn.execute(
        sa.select(outbox)
        .where(
            outbox.c.topic.in_(topics),
            outbox.c.id > sequence,
            outbox.c.projected_at.is_not(None),
        )
        .order_by(outbox.c.id)
        .limit(limit)
    )
    return [as_event(r) for r in rows]


async def mark_projected(conn: AsyncConnection, ids: list[int]) -> None:
    if ids:
        await conn.execute(outbox.update().where(outbox.c.id.in_(ids)).values(projected_at=now()))


async def mark_failed(
    conn: AsyncConnection, event_id: int, error: str, delay: Callable[[int], timedelta]
) -> int:
    """Count a refusal and set when to try again (`delay(attempts)` from now); how many
    refusals there are now."""
    attempts = await conn.scalar(
        outbox.update()
        .where(outbox.c.id == event_id)
        .values(attempts=outbox.c.attempts + 1, last_error=error[:500])
        .returning(outbox.c.attempts)
    )
    found = int(attempts or 0)
    await conn.execute(
        outbox.update().where(outbox.c.id == event_id).values(retry_at=now() + delay(found))
    )
    return found


async def audit_of_subjects(
    conn: AsyncConnection, subject_type: str, subject_ids: list[str], actions: list[str]
) -> dict[str, list[sa.Row[Any]]]:
    """Audit rows of several subjects at once, oldest first, keyed by subject id."""
    rows = await conn.execute(
        sa.select(audit_log)
        .where(
            audit_log.c.subject_type == subject_type,
            audit_log.c.subject_id.in_(subject_ids),
            audit_log.c.action.in_(actions),
        )
        .order_by(audit_log.c.id)
    )
    found: dict[str, list[sa.Row[Any]]] = {subject_id: [] for subject_id in subject_ids}
    for row in rows:
        found[row.subject_id].append(row)
    return found
