"""Notifications: made from projected outbox events, listed and marked read by their owner,
pushed live to the owner's channel.

A step registered on the projector (`after_projection`) turns each batch of projected events
into notifications (the table of who gets what is `notification_rules.RULES`) and inserts
them in one transaction; the unique (event, recipient) key makes a second flush or a second
API instance insert nothing more. Only the instance whose insert won pushes a notification,
after its transaction committed, so a live client sees each one once.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound, ValidationFailed
from odznaka_graph.graph_model import audiences
from odznaka_graph.ledger import notifications as rows
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.ledger.notifications import NotificationRecord
from odznaka_graph.outcomes import InboxReason
from odznaka_graph.pubsub import PubSub, user_channel
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.notification_rules import (
    BADGE_STAFF,
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
    def __init__(self, stores: Stores, pubsub: PubSub) -> None:
        self.stores = stores
        self.pubsub = pubsub

    async def after_projection(self, events: list[OutboxEvent]) -> None:
        made = drafts(events, await self._lookups(events))
        if not made:
            return
        async with self.stores.ledger.transaction() as conn:
            inserted = await rows.insert_new(conn, made)
        for record in made:
            if record.id in inserted:
                await self._push(record)

    async def _lookups(self, events: list[OutboxEvent]) -> Lookups:
        nominations = subjects_needing(VOUCHERS, events)
        reviewed = subjects_needing(BADGE_STAFF, events)
        vouchers = await audiences.vouchers(self.stores.graph, nominations, VOUCHER_CAP)
        staff = {}
        if reviewed:
            async with self.stores.ledger.reading() as conn:
                staff = await rows.staff_of_badges(conn, reviewed, REVIEW_AUDIENCE)
        return Lookups(vouchers=vouchers, staff=staff)

    async def _push(self, record: NotificationRecord) -> None:
        channels, at = [user_channel(record.account_id)], record.created_at
        await self.pubsub.publish_event(record.event_id, TOPIC, as_message(record), channels, at)

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


def notification_service(stores: Stores, pubsub: PubSub) -> NotificationService:
    """The service, with its step hooked onto the projector."""
    service = NotificationService(stores, pubsub)
    stores.projector.after_projection.append(service.after_projection)
    return service
