"""Progress of event handlers in the SQL store: claims with leases, done, failed, parked.

A handler claims due events by writing its row per (event, handler) with a random claim
token and a lease: a conditional INSERT (ON CONFLICT DO NOTHING) for events it never saw, a
conditional UPDATE for leases run out and retries due. Both are atomic on PostgreSQL and
SQLite alike, so two instances never hold the same claim; on PostgreSQL the candidates are
read `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass each other instead of waiting.
`finish` marks the claimed events done in the caller's transaction (the one holding the
handler's own effect) and refuses when the claim was lost, which rolls the effect back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ids import new_id
from odznaka_graph.ledger.journal import OutboxEvent, as_event
from odznaka_graph.ledger.tables import event_handling as handling
from odznaka_graph.ledger.tables import handler_floors, outbox

CLAIMED, FAILED, PARKED, DONE = "claimed", "failed", "parked", "done"
OUTAGE_RETRY = timedelta(seconds=2)
EVERY = "*"  # the floor row that holds for every handler (set when the table was made)
GRAPH = "graph"  # how the projection into Neo4j shows among the handlers


class LostClaim(Exception):
    """The lease ran out and another worker took the event: this work must roll back."""


@dataclass(frozen=True)
class Claim:
    token: str
    events: list[OutboxEvent]


def topic_filter(topics: tuple[str, ...] | None) -> sa.ColumnElement[bool]:
    """Exact topics, or families named by their prefix ending in '.'; None: every topic."""
    if topics is None:
        return sa.true()
    return sa.or_(
        *(outbox.c.topic.startswith(t) if t.endswith(".") else outbox.c.topic == t for t in topics)
    )


async def floor(conn: AsyncConnection, handler: str) -> int:
    """Events at or below this id came before the handler existed: it leaves them be."""
    rows = await conn.execute(
        sa.select(handler_floors.c.handler, handler_floors.c.above).where(
            handler_floors.c.handler.in_([handler, EVERY])
        )
    )
    found: dict[str, int] = {row[0]: int(row[1]) for row in rows}
    return found.get(handler, found.get(EVERY, 0))


def _due(handler: str, topics: tuple[str, ...] | None, above: int, at: datetime) -> sa.Select[Any]:
    busy = (
        sa.select(handling.c.outbox_id)
        .where(
            handling.c.outbox_id == outbox.c.id,
            handling.c.handler == handler,
            sa.or_(handling.c.state == DONE, handling.c.due_at > at),
        )
        .exists()
    )
    return sa.select(outbox).where(
        outbox.c.id > above, outbox.c.projected_at.is_not(None), topic_filter(topics), ~busy
    )


async def claim(
    conn: AsyncConnection,
    handler: str,
    topics: tuple[str, ...] | None,
    limit: int,
    at: datetime,
    lease: timedelta,
) -> Claim:
    """Claim up to `limit` due events, oldest first, until `at + lease`."""
    above = await floor(conn, handler)
    query = _due(handler, topics, above, at).order_by(outbox.c.id).limit(limit)
    rows = await conn.execute(query.with_for_update(of=outbox, skip_locked=True))
    candidates = [as_event(row) for row in rows]
    if not candidates:
        return Claim("", [])
    token, ids = new_id(), [event.id for event in candidates]
    values = {"handler": handler, "state": CLAIMED, "claim": token, "due_at": at + lease}
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(
        dialect.insert(handling)
        .values([values | {"outbox_id": i} for i in ids])
        .on_conflict_do_nothing()
    )
    await conn.execute(
        handling.update()
        .where(
            handling.c.handler == handler,
            handling.c.outbox_id.in_(ids),
            handling.c.state != DONE,
            handling.c.due_at <= at,
        )
        .values(state=CLAIMED, claim=token, due_at=at + lease)
    )
    mine = await conn.execute(
        sa.select(handling.c.outbox_id).where(
            handling.c.handler == handler, handling.c.outbox_id.in_(ids), handling.c.claim == token
        )
    )
    held = set(mine.scalars())
    return Claim(token, [event for event in candidates if event.id in held])


async def finish(
    conn: AsyncConnection, handler: str, ids: list[int], token: str, at: datetime
) -> None:
    """Mark the events done, in the transaction that holds the handler's effect."""
    result = await conn.execute(
        handling.update()
        .where(
            handling.c.handler == handler,
            handling.c.outbox_id.in_(ids),
            handling.c.claim == token,
            handling.c.state == CLAIMED,
        )
        .values(state=DONE, claim=None, due_at=None, done_at=at, last_error=None)
    )
    if result.rowcount != len(ids):
        raise LostClaim(handler)


async def failed(
    conn: AsyncConnection,
    handler: str,
    event_id: int,
    token: str,
    error: str,
    at: datetime,
    park_after: int,
    outage: bool = False,
) -> bool:
    """Note a failure and when to try again; True when the event is parked now. A store
    outage counts no attempt: the event is tried again soon, and never parked for it."""
    attempts = await conn.scalar(
        sa.select(handling.c.attempts).where(
            handling.c.handler == handler,
            handling.c.outbox_id == event_id,
            handling.c.claim == token,
        )
    )
    if attempts is None:
        return False  # the claim was lost: its new holder decides
    attempts = int(attempts) + (0 if outage else 1)
    parked: bool = attempts >= park_after
    await conn.execute(
        handling.update()
        .where(handling.c.handler == handler, handling.c.outbox_id == event_id)
        .values(
            state=PARKED if parked else FAILED,
            claim=None,
            attempts=attempts,
            last_error=error[:500],
            due_at=at + (OUTAGE_RETRY if outage else backoff(attempts)),
        )
    )
    return parked


def backoff(attempts: int) -> timedelta:
    """1 s after the first failure, doubling, at most an hour."""
    return timedelta(seconds=min(2 ** (attempts - 1), 3600))


@dataclass(frozen=True)
class Parked:
    outbox_id: int
    event_id: str
    topic: str
    handler: str
    attempts: int
    last_error: str | None
    due_at: datetime | None


async def parked(conn: AsyncConnection, park_after: int) -> list[Parked]:
    """Every parked (event, handler), the projection into the graph included, oldest first."""
    rows = await conn.execute(
        sa.select(outbox, handling.c.handler, handling.c.attempts.label("tries"))
        .add_columns(handling.c.last_error.label("error"), handling.c.due_at)
        .join(handling, handling.c.outbox_id == outbox.c.id)
        .where(handling.c.state == PARKED)
        .order_by(outbox.c.id)
    )
    found = [Parked(r.id, r.event_id, r.topic, r.handler, r.tries, r.error, r.due_at) for r in rows]
    graph = await conn.execute(
        sa.select(outbox).where(graph_parked(park_after)).order_by(outbox.c.id)
    )
    found += [
        Parked(r.id, r.event_id, r.topic, GRAPH, r.attempts, r.last_error, r.retry_at)
        for r in graph
    ]
    return found


def graph_parked(park_after: int) -> sa.ColumnElement[bool]:
    return sa.and_(outbox.c.projected_at.is_(None), outbox.c.attempts >= park_after)


async def replay(
    conn: AsyncConnection, at: datetime, handler: str | None = None, event_id: str | None = None
) -> int:
    """Make parked and failed events due now (all, or one handler's, or one event's)."""
    where: list[sa.ColumnElement[bool]] = [handling.c.state.in_([PARKED, FAILED])]
    if handler is not None:
        where.append(handling.c.handler == handler)
    if event_id is not None:
        where.append(handling.c.outbox_id.in_(_outbox_id(event_id)))
    result = await conn.execute(handling.update().where(*where).values(due_at=at))
    count = result.rowcount
    if handler in (None, GRAPH):
        graph: list[sa.ColumnElement[bool]] = [
            outbox.c.projected_at.is_(None),
            outbox.c.retry_at.is_not(None),
        ]
        if event_id is not None:
            graph.append(outbox.c.event_id == event_id)
        count += (await conn.execute(outbox.update().where(*graph).values(retry_at=at))).rowcount
    return count


def _outbox_id(event_id: str) -> sa.Select[Any]:
    return sa.select(outbox.c.id).where(outbox.c.event_id == event_id)


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest: datetime | None
    parked: int


async def backlog(
    conn: AsyncConnection,
    handlers: dict[str, tuple[str, ...] | None],
    at: datetime,
    park_after: int,
) -> Backlog:
    """Events waiting for the graph or for a handler (not parked), the oldest one's time,
    and how many (event, handler) pairs are parked."""
    pending, oldest = await _count(conn, sa.select(outbox).where(outbox.c.projected_at.is_(None)))
    for name, topics in handlers.items():
        found, first = await _count(conn, _due(name, topics, await floor(conn, name), at))
        pending += found
        oldest = min((t for t in (oldest, first) if t is not None), default=None)
    parked_pairs = await conn.scalar(
        sa.select(sa.func.count()).select_from(handling).where(handling.c.state == PARKED)
    )
    parked_graph = await conn.scalar(
        sa.select(sa.func.count()).select_from(outbox).where(graph_parked(park_after))
    )
    return Backlog(pending, oldest, int(parked_pairs or 0) + int(parked_graph or 0))


async def _count(conn: AsyncConnection, query: sa.Select[Any]) -> tuple[int, datetime | None]:
    inner = query.subquery()
    row = (await conn.execute(sa.select(sa.func.count(), sa.func.min(inner.c.created_at)))).one()
    return int(row[0]), row[1]
