"""Projects committed outbox events into the graph; retried until Neo4j takes them. Then
the event handlers (effects.py) derive everything else that follows from them.

Every graph handler is idempotent (MERGE by id, SET of absolute values), so an event applied
twice, by a retry or by a second API instance, leaves the graph as applying it once. An
event the graph refuses `park_after` times is parked: later events pass it, and it is tried
again with back-off (a Neo4j outage refuses nothing: it only waits).
"""

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from odznaka_graph import routing
from odznaka_graph.clock import now
from odznaka_graph.effects import Effects, EventHandler, Finish, in_handler
from odznaka_graph.graph_model import awards, badges, organizations, peer_awards, users
from odznaka_graph.graph_model.driver import FENCED, Graph, Tx
from odznaka_graph.graph_model.reports import content_hidden  # issue 15, reports
from odznaka_graph.ledger import handling, journal
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.handling import backoff
from odznaka_graph.observability import OUTBOX_FAILURES, OUTBOX_PROJECTED
from odznaka_graph.pubsub import PubSub
from odznaka_graph.standard import BadgeContent

log = logging.getLogger(__name__)
Handler = Callable[[Tx, dict[str, Any]], Awaitable[None]]
WAIT_ROUNDS = 3  # rounds a writer waits for: its events, its handlers' events, theirs


def _at(payload: dict[str, Any], key: str = "at") -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if value else None


async def _account_registered(tx: Tx, p: dict[str, Any]) -> None:
    await users.upsert_user(tx, p["id"], p["handle"], p["displayName"], _at(p))


async def _profile_updated(tx: Tx, p: dict[str, Any]) -> None:
    await users.update_profile(tx, p["id"], p["props"])


async def _deletion_scheduled(tx: Tx, p: dict[str, Any]) -> None:
    await users.hide_for_deletion(tx, p["id"], True)


async def _deletion_cancelled(tx: Tx, p: dict[str, Any]) -> None:
    await users.hide_for_deletion(tx, p["id"], False)


async def _organization_created(tx: Tx, p: dict[str, Any]) -> None:
    await organizations.upsert_organization(tx, p | {"at": _at(p)})
    await organizations.put_staff(tx, p["id"], p["createdBy"], "OWNER")


async def _organization_changed(tx: Tx, p: dict[str, Any]) -> None:
    props = {k: _at(p, k) if k.endswith("At") else v for k, v in p["props"].items()}
    await organizations.set_state(tx, p["id"], props)


async def _staff_added(tx: Tx, p: dict[str, Any]) -> None:
    await organizations.put_staff(tx, p["organizationId"], p["userId"], p["role"])


async def _badge_saved(tx: Tx, p: dict[str, Any]) -> None:
    content = BadgeContent.model_validate(p["content"])
    await badges.upsert_badge(tx, p, content, _at(p))


async def _badge_status(tx: Tx, p: dict[str, Any]) -> None:
    props = {k: _at(p["props"], k) if k.endswith("At") else v for k, v in p["props"].items()}
    await badges.set_status(tx, p["id"], props)


async def _peer_badge_created(tx: Tx, p: dict[str, Any]) -> None:
    content = BadgeContent.model_validate(p["content"])
    await peer_awards.upsert_peer_badge(tx, p, content, _at(p))


async def _nomination_awarded(tx: Tx, p: dict[str, Any]) -> None:
    await peer_awards.note_award(tx, p["id"], p["awardId"], _at(p))


async def _award_issued(tx: Tx, p: dict[str, Any]) -> None:
    await awards.create_award(tx, p, _at(p, "issuedAt"), _at(p, "expiresAt"))


async def _award_claimed(tx: Tx, p: dict[str, Any]) -> None:
    await awards.attach_recipient(tx, p["id"], p["recipientId"])


async def _award_moved(tx: Tx, p: dict[str, Any]) -> None:
    await awards.move_award(tx, p["id"], p["recipientId"])


async def _award_revoked(tx: Tx, p: dict[str, Any]) -> None:
    await awards.revoke_award(tx, p["id"], _at(p), p["reason"])


HANDLERS: dict[str, Handler] = {
    "account.registered": _account_registered,
    "profile.updated": _profile_updated,
    "account.deletion_scheduled": _deletion_scheduled,  # issue 14: hidden meanwhile
    "account.deletion_cancelled": _deletion_cancelled,
    "organization.created": _organization_created,
    "organization.updated": _organization_changed,
    "organization.agreement_accepted": _organization_changed,
    "organization.reviewed": _organization_changed,
    "organization.staff_added": _staff_added,
    "badge.created": _badge_saved,
    "badge.updated": _badge_saved,
    "badge.submitted": _badge_status,
    "badge.reviewed": _badge_status,
    "badge.archived": _badge_status,
    "badge.published": _badge_status,  # a plain BADGE, by its staff (issue 15)
    "badge.peer_created": _peer_badge_created,
    "award.issued": _award_issued,
    "award.claimed": _award_claimed,
    "award.moved": _award_moved,  # an account merge (issue 14)
    "award.revoked": _award_revoked,
    "nomination.awarded": _nomination_awarded,
    "content.hidden": content_hidden,  # issue 15, reports
}


async def _apply_all(tx: Tx, events: list[journal.OutboxEvent]) -> None:
    for event in events:
        handler = HANDLERS.get(event.topic)
        if handler is not None:
            await handler(tx, event.payload)


class Projector:
    """Applies pending outbox events in order (one flush at a time per process), then runs
    the event handlers; `drain` does both until nothing is due."""

    def __init__(
        self,
        ledger: Ledger,
        graph: Graph,
        pubsub: PubSub | None = None,
        batch: int = 200,
        effects: Effects | None = None,
    ) -> None:
        self.ledger = ledger
        self.graph = graph
        self.batch = batch
        self.effects = effects or Effects(ledger)
        self.graph_down = False  # the last flush found Neo4j away: nobody should wait on it
        self.crash_after: str | None = None  # test-only: die after projecting this topic
        self._lock = asyncio.Lock()
        self._running: asyncio.Task[None] | None = None  # the drain, when one runs
        self._idle, self._wanted = True, False
        self._started = self._done = 0  # rounds
        self._changed = asyncio.Event()
        if pubsub is not None:
            self.effects.register(publisher(graph, pubsub))

    async def flush(self) -> int:
        """Project what is pending, in order, up to the first event the graph refuses
        (past it when that one is parked)."""
        async with self._lock:
            async with self.ledger.reading() as conn:
                events = await journal.pending_events(
                    conn, self.batch, self.effects.policy.park_after
                )
            done = await self._project(events) if events else []
            if done:
                async with self.ledger.transaction() as conn:
                    await journal.mark_projected(conn, [event.id for event in done])
                    await handling.schedule(conn, self.effects.topics(), done, now())
                self._crash_if_asked(done)
            for event in done:
                self._after(event)
        return len(done)

    def _crash_if_asked(self, done: list[journal.OutboxEvent]) -> None:
        if self.crash_after and any(event.topic == self.crash_after for event in done):
            log.warning("crashing on purpose after projecting", extra=_topic(self.crash_after))
            os.kill(os.getpid(), signal.SIGKILL)

    async def _project(self, events: list[journal.OutboxEvent]) -> list[journal.OutboxEvent]:
        """The whole batch in one graph transaction; if the graph refuses it, event by
        event, to keep everything before the one that fails."""
        try:
            await self.graph.in_transaction(lambda tx: _apply_all(tx, events))
            self.graph_down = False
            return events
        except (ServiceUnavailable, SessionExpired):
            OUTBOX_FAILURES.inc()  # Neo4j is away: retrying one by one won't help
            log.warning("projection waits for Neo4j", extra=_topic(events[0].topic))
            self.graph_down = True
            return []
        except Exception:
            log.warning("projecting a batch failed; retrying event by event")
        done = []
        for event in events:
            try:
                await self.graph.in_transaction(partial(_apply_all, events=[event]))
            except Exception as error:
                if not await self._failed(event, error):
                    break
                continue
            done.append(event)
        return done

    async def _failed(self, event: journal.OutboxEvent, error: Exception) -> bool:
        """Count the refusal; True when the event is parked (later events may pass it)."""
        OUTBOX_FAILURES.inc()
        park_after = self.effects.policy.park_after
        async with self.ledger.transaction() as conn:
            attempts = await journal.mark_failed(
                conn, event.id, f"{type(error).__name__}: {error}", backoff
            )
        parked = attempts >= park_after
        fields = {"event": event.event_id, "attempts": attempts, "parked": parked}
        log.warning("projection failed", extra={"fields": fields})
        return parked

    def _after(self, event: journal.OutboxEvent) -> None:
        OUTBOX_PROJECTED.labels(event.topic).inc()

    async def drain(self) -> None:
        """Project and handle what is due. One drain runs per process, round after round
        (a round: one flush, then one pass of every handler) while there is work; a caller
        waits for WAIT_ROUNDS rounds that started after it came (a handler's own events
        take a second round, theirs a third), or less when the drain runs dry, so under
        load a writer waits for a few rounds shared with everyone, never for a queue."""
        if in_handler.get():
            return  # a handler's own commit: the pass running it goes round again
        first = self._started + 1  # the first round that starts after this call
        self._wanted = True
        while not (self._done >= first + WAIT_ROUNDS - 1 or (self._idle and self._done >= first)):
            if self._idle:
                self._idle = False
                self._running = asyncio.create_task(self._drain())
            await self._changed.wait()

    async def settle(self) -> None:
        """Drain until nothing is left to project or handle. It asks for rounds once and
        then waits for the drain to end (a round with no progress that nobody asked to
        repeat): callers that asked again and again would keep each other's drain going."""
        await self.drain()
        while not self._idle:
            await self._changed.wait()

    def _signal(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _drain(self) -> None:
        FENCED.set(False)  # this task's own reads (and its handlers') never wait for it
        try:
            while True:
                self._wanted = False
                self._started += 1
                progress = await self._round()
                self._done += 1
                if not progress and not self._wanted:
                    return
                self._signal()
        finally:
            self._idle = True
            self._signal()

    async def _round(self) -> bool:
        try:
            projected = await self.flush()
        except Exception:
            log.exception("outbox relay pass failed")
            projected = 0
        handled = await self.effects.run_pass()
        return bool(projected or handled)

    async def run_forever(self, interval: float) -> None:
        while True:
            await self.drain()
            await asyncio.sleep(interval)


def publisher(graph: Graph, pubsub: PubSub) -> EventHandler:
    """The handler that publishes every event to its channels (routing.py). Delivery is at
    least once: a message carries its event id (duplicates are dropped by it) and its
    outbox sequence (a client catches up on what it missed since one)."""

    async def publish(events: list[journal.OutboxEvent], finish: Finish) -> None:
        channels = await routing.routes(graph, events)
        for event in events:
            await pubsub.publish_event(
                event.event_id,
                event.topic,
                event.payload,
                channels[event.event_id],
                event.created_at,
                sequence=event.id,
            )

    return EventHandler("publish", None, publish, batch=200)


def _topic(topic: str) -> dict[str, dict[str, str]]:
    return {"fields": {"topic": topic}}
