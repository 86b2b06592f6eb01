"""Progress of event handlers in the SQL store: due, claimed with leases, done, failed,
parked.

An event becomes due for a handler when it is projected into the graph: the projection's
own transaction writes one `pending` row per (event, handler whose topics match), so
finding what is due reads an index of the handling table and never scans the outbox. A
handler claims due rows by giving them a random claim token and a lease with one
conditional UPDATE, atomic on PostgreSQL and SQLite alike, so two instances never hold the
same claim; on PostgreSQL the candidates are read `FOR UPDATE SKIP LOCKED`, so concurrent
claimers pass each other instead of waiting. `finish` marks the claimed events done in the
caller's transaction (the one holding the handler's own effect) and refuses when the claim
was lost, which rolls the effect back.

A sweep, at start and now and then, writes the rows an event missed (projected by a
process that did not have the handler, or before this table existed), from the handler's
floor up; the floor then moves to the newest event seen. A handler without a floor starts
at the newest event: it does not act on history written before it existed. Done rows are
purged after a retention, only at or below their handler's floor, where the sweep never
writes again: a purged event is not handled twice.
"""

from collections.abc import Mapping
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

PENDING, CLAIMED, FAILED, PARKED, DONE = "pending", "claimed", "failed", "parked", "done"
OPEN = (PENDING, CLAIMED, FAILED, PARKED)  # not done: due once `due_at` has come
OUTAGE_RETRY = timedelta(seconds=2)
GRAPH = "graph"  # how the projection into Neo4j shows among the handlers
Topics = tuple[str, ...] | None  # exact topics, "family." prefixes; None: every event


class LostClaim(Exception):
    """The lease ran out and another worker took the event: this work must roll back."""


@dataclass(frozen=True)
class Claim:
    token: str
    events: list[OutboxEvent]


def matches(topic: str, topics: Topics) -> bool:
    if topics is None:
        return True
    return any(topic.startswith(t) if t.endswith(".") else topic == t for t in topics)


def topic_filter(topics: Topics) -> sa.ColumnElement[bool]:
    """`matches` as SQL."""
    if topics is None:
        return sa.true()
    return sa.or_(
        *(outbox.c.topic.startswith(t) if t.endswith(".") else outbox.c.topic == t for t in topics)
    )


def _insert(conn: AsyncConnection) -> Any:
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(handling)


async def schedule(
    conn: AsyncConnection, handlers: Mapping[str, Topics], events: list[OutboxEvent], at: datetime
) -> None:
    """Make the events due for every handler they concern (in the projection's transaction)."""
    rows = [
        {"outbox_id": event.id, "handler": name, "state": PENDING, "due_at": at}
        for event in events
        for name, topics in handlers.items()
        if matches(event.topic, topics)
    ]
    if rows:
        await conn.execute(_insert(conn).values(rows).on_conflict_do_nothing())


async def due_handlers(conn: AsyncConnection, at: datetime) -> set[str]:
    """The handlers with something due now: one read of the handling table's index."""
    rows = await conn.execute(
        sa.select(handling.c.handler)
        .where(handling.c.state.in_(OPEN), handling.c.due_at <= at)
        .group_by(handling.c.handler)
    )
    return set(rows.scalars())


async def sweep(conn: AsyncConnection, handlers: Mapping[str, Topics], at: datetime) -> int:
    """Write the rows projected events missed, from each handler's floor to the newest
    event, and move the floors there; how many rows it wrote."""
    newest = int(await conn.scalar(sa.select(sa.func.max(outbox.c.id))) or 0)
    rows = await conn.execute(sa.select(handler_floors.c.handler, handler_floors.c.above))
    floors = {row[0]: int(row[1]) for row in rows}
    written = 0
    for name, topics in handlers.items():
        above = floors.get(name)
        if above is not None and above < newest:
            missed = sa.select(
                outbox.c.id, sa.literal(name), sa.literal(PENDING), sa.literal(at)
            ).where(
                outbox.c.id > above,
                outbox.c.id <= newest,
                outbox.c.projected_at.is_not(None),
                topic_filter(topics),
            )
            insert = _insert(conn).from_select(["outbox_id", "handler", "state", "due_at"], missed)
            written += max((await conn.execute(insert.on_conflict_do_nothing())).rowcount, 0)
        if above is None or above < newest:
            await _set_floor(conn, name, newest, exists=above is not None)
    return written


async def purge_done(conn: AsyncConnection, before: datetime, limit: int) -> int:
    """Delete up to `limit` rows done before `before` (the oldest first, read from the index
    by state and time) whose events are at or below their handler's floor; how many."""
    old = handling.alias("old")
    floor = (
        sa.select(handler_floors.c.above)
        .where(handler_floors.c.handler == old.c.handler)
        .scalar_subquery()
    )
    batch = (
        sa.select(old.c.outbox_id, old.c.handler)
        .where(old.c.state == DONE, old.c.done_at < before, old.c.outbox_id <= floor)
        .order_by(old.c.done_at)
        .limit(limit)
    )
    key = sa.tuple_(handling.c.outbox_id, handling.c.handler)
    result = await conn.execute(handling.delete().where(key.in_(batch)))
    return max(result.rowcount, 0)


async def _set_floor(conn: AsyncConnection, handler: str, above: int, exists: bool) -> None:
    if exists:
        await conn.execute(
            handler_floors.update()
            .where(handler_floors.c.handler == handler, handler_floors.c.above < above)
            .values(above=above)
        )
        return
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(
        dialect.insert(handler_floors).values(handler=handler, above=above).on_conflict_do_nothing()
    )


async def claim(
    conn: AsyncConnection, handler: str, limit: int, at: datetime, lease: timedelta
) -> Claim:
    """Claim up to `limit` due events, oldest first, until `at + lease`."""
    due = (handling.c.handler == handler, handling.c.state.in_(OPEN), handling.c.due_at <= at)
    candidates = await conn.execute(
        sa.select(handling.c.outbox_id)
        .where(*due)
        .order_by(handling.c.outbox_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(candidates.scalars())
    if not ids:
        return Claim("", [])
    token = new_id()
    await conn.execute(
        handling.update()
        .where(handling.c.outbox_id.in_(ids), *due)
        .values(state=CLAIMED, claim=token, due_at=at + lease)
    )
    mine = await conn.execute(
        sa.select(outbox)
        .join(handling, handling.c.outbox_id == outbox.c.id)
        .where(handling.c.handler == handler, handling.c.claim == token)
        .order_by(outbox.c.id)
    )
    return Claim(token, [as_event(row) for row in mine])


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
        .where(
            handling.c.handler == handler,
            handling.c.outbox_id == event_id,
            handling.c.claim == token,
        )
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


async def backlog(conn: AsyncConnection, park_after: int) -> Backlog:
    """Events waiting for the graph or for a handler (not parked), the oldest one's time,
    and how many (event, handler) pairs are parked; read from indexes."""
    graph = await conn.execute(
        sa.select(sa.func.count(), sa.func.min(outbox.c.created_at)).where(
            outbox.c.projected_at.is_(None), sa.not_(graph_parked(park_after))
        )
    )
    waiting = await conn.execute(
        sa.select(sa.func.count(), sa.func.min(outbox.c.created_at))
        .select_from(handling.join(outbox, handling.c.outbox_id == outbox.c.id))
        .where(handling.c.state.in_((PENDING, CLAIMED, FAILED)))
    )
    parked_pairs = await conn.scalar(
        sa.select(sa.func.count()).select_from(handling).where(handling.c.state == PARKED)
    )
    parked_graph = await conn.scalar(
        sa.select(sa.func.count()).select_from(outbox).where(graph_parked(park_after))
    )
    (in_graph, first), (in_handlers, second) = graph.one(), waiting.one()
    oldest = min((t for t in (first, second) if t is not None), default=None)
    parked = int(parked_pairs or 0) + int(parked_graph or 0)
    return Backlog(int(in_graph) + int(in_handlers), oldest, parked)
