"""The signed-in user's notifications, and marking them read."""

from datetime import datetime
from typing import Annotated, Any, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.args import Lang
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import NODE_ID, Connection, Failure, Node
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.peer_awards import Nomination
from odznaka_graph.schema.teams import Team
from odznaka_graph.services import notification_reads, notification_texts
from odznaka_graph.services.notification_reads import NotificationRecord
from odznaka_graph.services.notification_rules import NotificationKind

strawberry.enum(
    NotificationKind,
    name="NotificationKind",
    description="What a notification is about: CONTACT_REQUESTED, CONTACT_ACCEPTED, "
    "VOUCH_REQUESTED (a club member was nominated for a peer badge and you may vouch), "
    "BADGE_PUBLISHED and BADGE_REJECTED (a review result, for the issuer's staff), "
    "AWARD_RECEIVED, ADDED_TO_TEAM, BADGE_REQUESTED and BADGE_REQUEST_DECLINED (badge "
    "requests).",
)
describe_values(
    CONTACT_REQUESTED="Someone asked to become your contact.",
    CONTACT_ACCEPTED="Someone accepted your contact request.",
    VOUCH_REQUESTED="A club member was nominated for a peer badge; you may vouch.",
    BADGE_PUBLISHED="A badge of your organisation passed review.",
    BADGE_REJECTED="A badge of your organisation was rejected in review.",
    AWARD_RECEIVED="You received a credential.",
    ADDED_TO_TEAM="You were added to a class or team.",
    BADGE_REQUESTED="A learner asked your organisation for one of its badges (its staff).",
    BADGE_REQUEST_DECLINED="Your badge request was declined; the note says why.",
)(NotificationKind)
NotificationKindEnum: TypeAlias = NotificationKind


@strawberry.type(description="Something you should know about. Yours only.")
class Notification(Node):
    record: strawberry.Private[NotificationRecord]
    position: strawberry.Private[int | None] = None

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Notification", self.record.id))

    @field(
        description="The id of the event that made it: the same on every device and instance "
        "(and in live updates), to drop duplicates."
    )
    def event_id(self) -> strawberry.ID:
        return strawberry.ID(self.record.event_id)

    @field(
        description="Its place in your live stream (subscription notifications): subscribe "
        "again with `since` set to the last one you received to get what you missed. Null "
        "outside the live stream."
    )
    def sequence(self) -> int | None:
        return self.position

    @field(description="What it is about.")
    def kind(self) -> NotificationKindEnum:
        return NotificationKind(self.record.kind)

    @field(description="When it happened.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="Whether you marked it read.")
    def read(self) -> bool:
        return self.record.read_at is not None

    @field(description="When you marked it read.")
    def read_at(self) -> datetime | None:
        return self.record.read_at

    @field(
        description="What someone wrote with it: a contact request's message, a reviewer's comment."
    )
    def note(self) -> str | None:
        return self.record.data.get("note")

    @field(description="Who caused it, when known and their profile is visible.")
    async def actor(self, info: Info) -> User | None:
        if self.record.actor_id is None:
            return None
        record = await info.context.loaders.visibility.user(self.record.actor_id)
        return User(record=record) if record else None

    @field(
        description="What it is about (an Award, Badge, Nomination, Team or User), when you "
        "may see it."
    )
    async def subject(self, info: Info) -> Node | None:
        found = await notification_reads.subject(info.context.loaders, self.record)
        if found is None:
            return None
        node: Node = SUBJECTS[found.type_name](record=found.record)
        return node

    @field(description="One sentence saying what happened, in your language.")
    async def message(self, info: Info, lang: Lang = None) -> str:
        languages = info.context.languages(lang.value if lang else None)
        return await notification_texts.message(info.context.loaders, self.record, languages)


SUBJECTS: dict[str, Any] = {
    "Award": Award,
    "Badge": Badge,
    "Nomination": Nomination,
    "Team": Team,
    "User": User,
}


@strawberry.type(description="A page of your notifications, newest first.")
class NotificationConnection(Connection[Notification]):
    unread_count: int = strawberry.field(description="How many of all yours are unread.")


@strawberry.input(description="Mark notifications read: name them, or all of them.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Your notifications to mark read (up to 100)."
    )
    all: bool = strawberry.field(default=False, description="Mark every notification read.")


@strawberry.type(description="Notifications marked read.")
class NotificationsMarkedRead:
    marked_count: int = strawberry.field(description="How many were unread and are read now.")
    unread_count: int = strawberry.field(description="How many of yours are still unread.")
    notifications: list[Notification] = strawberry.field(
        description="The notifications named in the input, as they are now."
    )


MarkNotificationsReadResult: TypeAlias = Annotated[
    NotificationsMarkedRead | Failure,
    strawberry.union(
        "MarkNotificationsReadResult", description="Notifications marked, or why not."
    ),
]
