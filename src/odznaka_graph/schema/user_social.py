"""A user's place in the social graph: followers, following, contacts, requests, blocks."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.services import social_reads
from odznaka_graph.services.social_reads import ListKind, SeenTie, Tie

if TYPE_CHECKING:
    from odznaka_graph.schema.accounts import User
    from odznaka_graph.schema.social import BlockedUser, ContactRequest

# schema/accounts.py (User) and schema/social.py import these fields: their types are
# referenced lazily, and constructed by converters imported where used (the one cycle that
# forces function-level imports here).
UserRef = Annotated["User", strawberry.lazy("odznaka_graph.schema.accounts")]
_SOCIAL = "odznaka_graph.schema.social"
ContactRequestRef = Annotated["ContactRequest", strawberry.lazy(_SOCIAL)]
BlockedUserRef = Annotated["BlockedUser", strawberry.lazy(_SOCIAL)]
PageArgs = tuple[int | None, str | None, int | None, str | None]
T = TypeVar("T")


def _person(tie: Tie) -> "User":
    from odznaka_graph.schema.accounts import User

    return User(record=tie.user)


def _request(seen: SeenTie) -> "ContactRequest":
    from odznaka_graph.schema.social import ContactRequest

    return ContactRequest(tie=seen.tie, shown=seen.shown)


def _blocked(seen: SeenTie) -> "BlockedUser":
    from odznaka_graph.schema.social import BlockedUser

    return BlockedUser(tie=seen.tie, shown=seen.shown)


async def _own_list(
    info: Info, user: UserRecord, kind: ListKind, args: PageArgs, convert: Callable[[SeenTie], T]
) -> Connection[T] | None:
    """The owner's own list (requests, blocks); null for anyone else."""
    loaders = info.context.loaders
    if not social_reads.owns(loaders, user):
        return None  # the page arguments are not even read for anyone else
    page = await social_reads.own_list(loaders, user, kind, window(info, *args))
    return None if page is None else to_connection(page, convert)


def _people(kind: ListKind, description: str) -> Any:
    """A paginated list of people around a user (followers, following, contacts)."""

    async def resolve(
        root: Any,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UserRef]:
        page_window = window(info, first, after, last, before)  # refused even when hidden
        page = await social_reads.people(info.context.loaders, root.record, kind, page_window)
        return to_connection(page, _person)

    return strawberry.field(resolver=resolve, description=description)


def _requests(kind: ListKind, description: str) -> Any:
    """A paginated list of the viewer's pending contact requests (incoming or outgoing)."""

    async def resolve(
        root: Any,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ContactRequestRef] | None:
        args = (first, after, last, before)
        return await _own_list(info, root.record, kind, args, _request)

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type
class UserSocialFields:
    record: strawberry.Private[UserRecord]

    # The social graph (services/social_reads.py): lists newest first, people whose profile
    # is hidden from the viewer (or who block the viewer) left out of pages and counts alike.
    followers = _people(
        ListKind.FOLLOWERS, "Who follows this user; empty when the profile is hidden."
    )

    following = _people(
        ListKind.FOLLOWING, "Whom this user follows; empty when the profile is hidden."
    )

    contacts = _people(
        ListKind.CONTACTS, "This user's contacts; empty when that section is hidden."
    )

    incoming_contact_requests = _requests(
        ListKind.INCOMING_REQUESTS, "Contact requests waiting for your answer; yours only."
    )

    outgoing_contact_requests = _requests(
        ListKind.OUTGOING_REQUESTS, "Your contact requests not answered yet; yours only."
    )

    @field(description="The users you blocked; yours only.")
    async def blocked_users(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BlockedUserRef] | None:
        args = (first, after, last, before)
        return await _own_list(info, self.record, ListKind.BLOCKED, args, _blocked)

    @field(description="Whether you follow this user.")
    async def viewer_follows(self, info: Info) -> bool:
        return (await social_reads.viewer_relation(info.context.loaders, self.record)).follows

    @field(description="Whether you and this user are contacts.")
    async def viewer_is_contact(self, info: Info) -> bool:
        return (await social_reads.viewer_relation(info.context.loaders, self.record)).contact

    @field(description="Whether you have blocked this user.")
    async def viewer_blocked(self, info: Info) -> bool:
        return (await social_reads.viewer_relation(info.context.loaders, self.record)).blocks
