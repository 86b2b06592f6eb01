"""Notifications: made from projected outbox events, listed and marked read by their owner,
pushed live to the owner's channel.

The event handler "notifications" (effects.py) turns each batch of projected events into
notifications (the table of who gets what is `notification_rules.RULES`) and inserts them
in the transaction that marks the events handled; the unique (event, recipient) key backs
that up. Each new one also goes to the outbox as `notification.created`, which the
publishing handler pushes to the owner's channel (at least once, with an id to drop
duplicates by), so a crash or a Redis outage after the commit loses no push.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.effects import EventHandler, Finish
from odznaka_graph.errors import NotFound, ValidationFailed
from odznaka_graph.graph_model import audiences
from odznaka_graph.ledger import notifications as rows
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.ledger.notifications import NotificationRecord
from odznaka_graph.outcomes import InboxReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.notification_rules import (
    BADGE_STAFF,
    RULES,
    VOUCHER_CAP,
    VOUCHERS,
    Lookups,
    drafts,
    subjects_needing,
)
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model
from odznaka_graph.vocabulary import StaffRole

TOPIC = "notification.created"
MARK_MAX = 100
REVIEW_AUDIENCE = [role.value for role in StaffRole]


class MarkReadInput(Model):
    ids: Annotated[list[str], Field(max_length=MARK_MAX)] | None = None
    all: bool = False


@dataclass(frozen=True)
class MarkedRead:
    marked: int
    unread: int
    records: list[NotificationRecord]


def as_message(record: NotificationRecord) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(record).items()}


def from_message(payload: dict[str, Any]) -> NotificationRecord:
    times = {k: datetime.fromisoformat(payload[k]) if payload.get(k) else None for k in _TIMES}
    return NotificationRecord(**(payload | times))


_TIMES = ("created_at", "read_at")


class NotificationService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def handle(self, events: list[OutboxEvent], finish: Finish) -> None:
        made = drafts(events, await self._lookups(events))

        async def work(conn: AsyncConnection) -> None:
            inserted = await rows.insert_new(conn, made) if made else set()
            new = [as_message(record) for record in made if record.id in inserted]
            if new:
                await rows.push(conn, TOPIC, new)

        await finish(work)

    async def _lookups(self, events: list[OutboxEvent]) -> Lookups:
        nominations = subjects_needing(VOUCHERS, events)
        reviewed = subjects_needing(BADGE_STAFF, events)
        vouchers = await audiences.vouchers(self.stores.graph, nominations, VOUCHER_CAP)
        staff = {}
        if reviewed:
            async with self.stores.ledger.reading() as conn:
                staff = await rows.staff_of_badges(conn, reviewed, REVIEW_AUDIENCE)
        return Lookups(vouchers=vouchers, staff=staff)

    async def mark_read(self, viewer: Viewer, data: dict[str, Any]) -> MarkedRead:
        """Mark the named notifications (or all) read; marking one twice changes nothing."""
        account = signed_in(viewer)
        request = parse(MarkReadInput, data)
        if (request.ids is None) == (not request.all):
            raise ValidationFailed(
                {"ids": "Name the notifications, or set all: true."},
                reason=InboxReason.NOTIFICATIONS_UNNAMED,
            )
        ids = list(dict.fromkeys(request.ids or []))
        async with self.stores.ledger.transaction() as conn:
            if len(await rows.of_account(conn, account, ids)) < len(ids):
                raise NotFound("No such notification.", reason=InboxReason.NOTIFICATION_NOT_FOUND)
            marked = await rows.mark_read(conn, account, None if request.all else ids, now())
            records = await rows.of_account(conn, account, ids)
            unread = await rows.count(conn, account, unread_only=True)
        return MarkedRead(marked, unread, [records[i] for i in ids])


def notification_service(stores: Stores) -> NotificationService:
    """The service, with its event handler registered."""
    service = NotificationService(stores)
    stores.projector.effects.register(EventHandler("notifications", tuple(RULES), service.handle))
    return service
