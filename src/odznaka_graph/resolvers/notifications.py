"""Notifications: marking them read, and one by id for node(id:)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.notifications import (
    MarkNotificationsReadInput,
    MarkNotificationsReadResult,
    Notification,
    NotificationsMarkedRead,
)
from odznaka_graph.services import notification_reads
from odznaka_graph.services.notifications import MarkedRead


async def notification_by_id(info: Info, notification_id: str) -> Notification | None:
    """Kept for node(id:); new code calls `notification_reads.notification`."""
    record = await notification_reads.notification(info.context.loaders, notification_id)
    return Notification(record=record) if record else None


async def _marked(done: MarkedRead) -> NotificationsMarkedRead:
    return NotificationsMarkedRead(
        marked_count=done.marked,
        unread_count=done.unread,
        notifications=[Notification(record=record) for record in done.records],
    )


@strawberry.type
class NotificationMutations:
    @mutation(
        description="Mark your notifications read: some by id, or all; marking twice changes "
        "nothing."
    )
    async def mark_notifications_read(
        self, info: Info, input: Annotated[MarkNotificationsReadInput, INPUT]
    ) -> MarkNotificationsReadResult:
        async def command() -> MarkedRead:
            ids = None
            if input.ids is not None:
                ids = [local(i, "Notification", f"ids.{n}") for n, i in enumerate(input.ids)]
            data = {"ids": ids, "all": input.all}
            return await info.context.services.notifications.mark_read(info.context.viewer, data)

        return await as_result(command(), _marked)
