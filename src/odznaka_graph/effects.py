"""Event handlers: every consequence of a committed outbox event, exactly once per
(event, handler), retried until it succeeds, on any number of instances.

A handler is one registration, `effects.register(EventHandler(name, topics, handle))`.
`handle(events, finish)` gets a batch of claimed events (projected into the graph already,
oldest first) and calls `await finish(work)` once: `work(conn)` (its SQL effect, or None)
runs in the same transaction that marks the events done for this handler, so the effect is
there exactly when the progress row says so, and a crash at any point leaves the events due
again. What it does outside SQL (graph writes, pub/sub, mail) must be idempotent or carry an
id the receiver drops duplicates by. A handler that raises has its batch retried event by
event; an event that keeps failing is parked with its error and retried with back-off
(`ledger/handling.py`), without holding back other events or other handlers.
"""

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.ledger import handling
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.observability import (
    EFFECT_FAILURES,
    EFFECTS_DONE,
    EVENTS_BACKLOG,
    EVENTS_OLDEST_PENDING,
    EVENTS_PARKED,
)
from odznaka_graph.store_outages import unavailable_store

log = logging.getLogger(__name__)
Work = Callable[[AsyncConnection], Awaitable[object]]
Finish = Callable[[Work | None], Awaitable[None]]
Handle = Callable[[list[OutboxEvent], Finish], Awaitable[None]]
# Set while handlers run: a commit made by a handler does not start a pass of its own
# (the pass that runs the handler goes round again for the events it added).
in_handler = contextvars.ContextVar("in_handler", default=False)


@dataclass(frozen=True)
class EventHandler:
    name: str
    topics: tuple[str, ...] | None  # exact topics, "family." prefixes; None: every event
    handle: Handle
    batch: int = 100


@dataclass(frozen=True)
class Policy:
    lease: timedelta = timedelta(seconds=60)
    park_after: int = 5  # failures before an event is parked (still retried, less often)
    sweep_every: timedelta = timedelta(minutes=1)  # backfill of rows events missed
    keep_done: timedelta = timedelta(days=7)  # done rows are purged after this
    purge_batch: int = 1000  # rows deleted per transaction
    purge_batches: int = 10  # transactions per sweep at most


class Effects:
    """The registered handlers and one pass over what is due for each."""

    def __init__(self, ledger: Ledger, policy: Policy | None = None) -> None:
        self.ledger = ledger
        self.policy = policy or Policy()
        self.handlers: dict[str, EventHandler] = {}
        self._swept_at: datetime | None = None

    def register(self, handler: EventHandler) -> None:
        if handler.name in self.handlers or handler.name == handling.GRAPH:
            raise ValueError(f"an event handler named {handler.name!r} exists already")
        self.handlers[handler.name] = handler

    def topics(self) -> dict[str, handling.Topics]:
        """What each handler listens to: the projection makes events due by it."""
        return {name: handler.topics for name, handler in self.handlers.items()}

    async def run_pass(self) -> int:
        """Each handler with something due takes it (concurrently); how many events they
        took. Nothing due costs one read."""
        token = in_handler.set(True)
        try:
            at = now()
            try:
                await self._sweep_if_due(at)
                async with self.ledger.reading() as conn:
                    due = await handling.due_handlers(conn, at)
            except Exception as error:  # the relay's next pass tries again
                log.warning("finding due events failed", extra=_fields(None, error=str(error)))
                return 0
            handlers = [h for name, h in self.handlers.items() if name in due]
            taken = await asyncio.gather(*(self._run(h) for h in handlers))
        finally:
            in_handler.reset(token)
        return sum(taken)

    async def _sweep_if_due(self, at: datetime) -> None:
        if self._swept_at is not None and at - self._swept_at < self.policy.sweep_every:
            return
        async with self.ledger.transaction() as conn:
            written = await handling.sweep(conn, self.topics(), at)
        self._swept_at = at
        if written:
            fields = {"fields": {"rows": written}}
            log.warning("events had no rows for their handlers", extra=fields)
        await self._purge(at)

    async def _purge(self, at: datetime) -> int:
        """Done rows older than the retention, a bounded batch per transaction, a bounded
        number of batches per sweep (the next sweep goes on)."""
        purged = 0
        for _ in range(self.policy.purge_batches):
            async with self.ledger.transaction() as conn:
                deleted = await handling.purge_done(
                    conn, at - self.policy.keep_done, self.policy.purge_batch
                )
            purged += deleted
            if deleted < self.policy.purge_batch:
                break
        return purged

    async def _run(self, handler: EventHandler) -> int:
        try:
            async with self.ledger.transaction() as conn:
                claim = await handling.claim(
                    conn, handler.name, handler.batch, now(), self.policy.lease
                )
        except Exception:
            log.exception("claiming events failed", extra=_fields(handler))
            return 0
        if not claim.events:
            return 0
        try:
            await self._handle(handler, claim.events, claim.token)
        except Exception as error:
            if len(claim.events) == 1 or unavailable_store(error) is not None:
                # A store away fails every event alike: one by one would only ask it again.
                for event in claim.events:
                    await self._failed(handler, event, claim.token, error)
            else:
                await self._one_by_one(handler, claim)
        return len(claim.events)

    async def _one_by_one(self, handler: EventHandler, claim: handling.Claim) -> None:
        for event in claim.events:
            try:
                await self._handle(handler, [event], claim.token)
            except Exception as error:
                await self._failed(handler, event, claim.token, error)

    async def _handle(self, handler: EventHandler, events: list[OutboxEvent], token: str) -> None:
        finished = False

        async def finish(work: Work | None) -> None:
            nonlocal finished
            async with self.ledger.transaction() as conn:
                if work is not None:
                    await work(conn)
                await handling.finish(conn, handler.name, [e.id for e in events], token, now())
            finished = True

        # An event whose payload an account's erasure blanked (issue 14) has nothing left
        # to act on: it is finished for the handler without it (a replay does not fail).
        live = [event for event in events if not event.payload.get("erased")]
        try:
            if live:
                await handler.handle(live, finish)
        except Exception:
            if finished:  # the effect and its progress stand; what failed after is lost
                log.exception("an event handler failed after finishing", extra=_fields(handler))
                return
            raise
        if not finished:
            await finish(None)
        EFFECTS_DONE.labels(handler.name).inc(len(events))

    async def _failed(
        self, handler: EventHandler, event: OutboxEvent, token: str, error: Exception
    ) -> None:
        EFFECT_FAILURES.labels(handler.name).inc()
        text = f"{type(error).__name__}: {error}"
        outage = unavailable_store(error) is not None  # not the handler's fault: no attempt
        try:
            async with self.ledger.transaction() as conn:
                parked = await handling.failed(
                    conn, handler.name, event.id, token, text, now(), self.policy.park_after, outage
                )
        except Exception:  # the lease runs out and the event is due again
            log.exception("recording a handler failure failed", extra=_fields(handler))
            return
        log.warning(
            "an event handler failed" + (" and its event is parked" if parked else ""),
            extra=_fields(handler, event.event_id, text),
            exc_info=error,
        )

    async def refresh_gauges(self) -> None:
        """Backlog, oldest pending age and parked count, for /metrics."""
        at = now()
        async with self.ledger.reading() as conn:
            found = await handling.backlog(conn, self.policy.park_after)
        EVENTS_BACKLOG.set(found.pending)
        EVENTS_PARKED.set(found.parked)
        age = (at - found.oldest).total_seconds() if found.oldest else 0.0
        EVENTS_OLDEST_PENDING.set(max(age, 0.0))


def _fields(
    handler: EventHandler | None, event: str | None = None, error: str | None = None
) -> dict[str, dict[str, str | None]]:
    name = handler.name if handler is not None else None
    return {"fields": {"handler": name, "event": event, "error": error}}
