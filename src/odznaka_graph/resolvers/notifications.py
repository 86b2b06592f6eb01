"""Notifications: `me { notifications }`, one by id, their subject, marking them read."""

from collections.abc import Sequence

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger.notifications import NotificationRecord
from odznaka_graph.paging import BadCursor
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import Node, to_connection
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.notifications import (
    MarkNotificationsReadInput,
    MarkNotificationsReadResult,
    Notification,
    NotificationConnection,
    NotificationsMarkedRead,
)
from odznaka_graph.services.notifications import MarkedRead


async def notifications_of(
    info: Info,
    user: UserRecord,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    unread_only: bool,
) -> NotificationConnection | None:
    """The viewer's own notifications; null on anyone else's profile."""
    viewer = info.context.viewer
    if viewer.id != user.id:
        return None
    asked = window(info, first, after, last, before)
    try:
        page, unread = await info.context.services.notifications.page(viewer, asked, unread_only)
    except BadCursor as error:
        raise UserInputError(str(error)) from None
    connection: NotificationConnection = to_connection(
        page, _notification, NotificationConnection, unread_count=unread
    )
    return connection


def _notification(record: NotificationRecord) -> Notification:
    return Notification(record=record)


async def notification_by_id(info: Info, notification_id: str) -> Notification | None:
    """One of the viewer's notifications (anyone else's do not exist), as node(id:) too."""

    async def load(ids: Sequence[str]) -> list[NotificationRecord | None]:
        service = info.context.services.notifications
        found = await service.by_ids(info.context.viewer, list(ids))
        return [found.get(i) for i in ids]

    record = await info.context.loaders.extra("notification_by_id", load).load(notification_id)
    return Notification(record=record) if record else None


async def subject_of(info: Info, record: NotificationRecord) -> Node | None:
    """The notification's subject through the same read rules as node(id:)."""
    from odznaka_graph.resolvers.nodes import RESOLVERS

    resolve = RESOLVERS.get(record.subject_type or "")
    if resolve is None or record.subject_id is None:
        return None
    found: Node | None = await resolve(info, record.subject_id)
    return found


def _marked(done: MarkedRead) -> NotificationsMarkedRead:
    return NotificationsMarkedRead(
        marked_count=done.marked,
        unread_count=done.unread,
        notifications=[_notification(record) for record in done.records],
    )


@strawberry.type
class NotificationMutations:
    @mutation(
        description="Mark your notifications read: some by id, or all; marking twice changes "
        "nothing."
    )
    async def mark_notifications_read(
        self, info: Info, input: MarkNotificationsReadInput
    ) -> MarkNotificationsReadResult:
        async def command() -> MarkedRead:
            ids = None
            if input.ids is not None:
                ids = [local(i, "Notification", f"ids.{n}") for n, i in enumerate(input.ids)]
            data = {"ids": ids, "all": input.all}
            return await info.context.services.notifications.mark_read(info.context.viewer, data)

        async def success(done: MarkedRead) -> NotificationsMarkedRead:
            return _marked(done)

        return await as_result(command(), success)
