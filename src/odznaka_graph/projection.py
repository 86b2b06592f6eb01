"""Projects committed outbox events into the graph; retried until Neo4j takes them.

Every handler is idempotent (MERGE by id, SET of absolute values), so an event applied
twice, by a retry or by a second API instance, leaves the graph as applying it once.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from odznaka_graph import routing
from odznaka_graph.graph_model import awards, badges, organizations, peer_awards, users
from odznaka_graph.graph_model.driver import Graph, Tx
from odznaka_graph.ledger import journal
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.mail.events import queue_for_events
from odznaka_graph.observability import OUTBOX_FAILURES, OUTBOX_PROJECTED
from odznaka_graph.pubsub import PubSub
from odznaka_graph.standard import BadgeContent

log = logging.getLogger(__name__)
Handler = Callable[[Tx, dict[str, Any]], Awaitable[None]]
# Called with each flushed batch once it is in the graph and marked done (e.g. to award a
# path's completion badge). Outside the flush lock, so it may commit and flush again itself;
# it must be idempotent, since two instances may project the same event.
AfterProjection = Callable[[list[journal.OutboxEvent]], Awaitable[None]]


def _at(payload: dict[str, Any], key: str = "at") -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if value else None


async def _account_registered(tx: Tx, p: dict[str, Any]) -> None:
    await users.upsert_user(tx, p["id"], p["handle"], p["displayName"], _at(p))


async def _profile_updated(tx: Tx, p: dict[str, Any]) -> None:
    await users.update_profile(tx, p["id"], p["props"])


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


async def _award_revoked(tx: Tx, p: dict[str, Any]) -> None:
    await awards.revoke_award(tx, p["id"], _at(p), p["reason"])


HANDLERS: dict[str, Handler] = {
    "account.registered": _account_registered,
    "profile.updated": _profile_updated,
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
    "badge.peer_created": _peer_badge_created,
    "award.issued": _award_issued,
    "award.claimed": _award_claimed,
    "award.revoked": _award_revoked,
    "nomination.awarded": _nomination_awarded,
}


async def _apply_all(tx: Tx, events: list[journal.OutboxEvent]) -> None:
    for event in events:
        handler = HANDLERS.get(event.topic)
        if handler is not None:
            await handler(tx, event.payload)


class Projector:
    """Applies pending outbox events in order; one flush at a time per process."""

    def __init__(
        self, ledger: Ledger, graph: Graph, pubsub: PubSub | None = None, batch: int = 200
    ) -> None:
        self.ledger = ledger
        self.graph = graph
        self.pubsub = pubsub
        self.batch = batch
        self._lock = asyncio.Lock()
        self.after_projection: list[AfterProjection] = []

    async def flush(self) -> int:
        """Project what is pending, in order, up to the first event the graph refuses."""
        async with self._lock:
            async with self.ledger.reading() as conn:
                events = await journal.pending_events(conn, self.batch)
            done = await self._project(events) if events else []
            if done:
                async with self.ledger.transaction() as conn:
                    await journal.mark_projected(conn, [event.id for event in done])
                    await queue_for_events(conn, done)  # mail (issue 14): mail/events.py
            for event in done:
                await self._after(event)
            await self._publish(done)
        await self._after_batch(done)
        return len(done)

    async def _after_batch(self, done: list[journal.OutboxEvent]) -> None:
        for callback in self.after_projection if done else []:
            try:
                await callback(done)
            except Exception:  # the events stand projected either way
                log.exception("an after-projection step failed")

    async def _project(self, events: list[journal.OutboxEvent]) -> list[journal.OutboxEvent]:
        """The whole batch in one graph transaction; if the graph refuses it, event by
        event, to keep everything before the one that fails."""
        try:
            await self.graph.in_transaction(lambda tx: _apply_all(tx, events))
            return events
        except (ServiceUnavailable, SessionExpired) as error:
            await self._failed(events[0], error)  # Neo4j is away: retrying one by one won't help
            return []
        except Exception:
            log.warning("projecting a batch failed; retrying event by event")
        done = []
        for event in events:
            try:
                await self.graph.in_transaction(partial(_apply_all, events=[event]))
            except Exception as error:
                await self._failed(event, error)
                break
            done.append(event)
        return done

    async def _failed(self, event: journal.OutboxEvent, error: Exception) -> None:
        OUTBOX_FAILURES.inc()
        log.warning("projection failed", extra={"fields": {"event": event.event_id}})
        async with self.ledger.transaction() as conn:
            await journal.mark_failed(conn, event.id, type(error).__name__)

    async def _after(self, event: journal.OutboxEvent) -> None:
        OUTBOX_PROJECTED.labels(event.topic).inc()

    async def _publish(self, events: list[journal.OutboxEvent]) -> None:
        # After the commit and the projection: subscribers never see rolled-back work. The
        # channels of the whole batch come from one graph read (routing.py).
        if self.pubsub is None or not events:
            return
        channels = await routing.routes(self.graph, events)
        for event in events:
            try:
                await self.pubsub.publish_event(
                    event.event_id,
                    event.topic,
                    event.payload,
                    channels[event.event_id],
                    event.created_at,
                )
            except Exception:
                log.exception("publishing an event failed")

    async def run_forever(self, interval: float) -> None:
        while True:
            try:
                while await self.flush() >= self.batch:
                    pass
            except Exception:
                log.exception("outbox relay pass failed")
            await asyncio.sleep(interval)
