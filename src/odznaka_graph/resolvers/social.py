"""The social graph: lists on a profile, the viewer's standing, and the mutations."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model import social as social_graph
from odznaka_graph.graph_model.social import NO_RELATION, ListKind, Relation, Tie
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.paging import BadCursor, Page
from odznaka_graph.resolvers.audience import audience, profile_visible
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.social import (
    BlockedUser,
    ContactRequest,
    RequestContactInput,
    UserIdInput,
    UserRelation,
    UserRelationResult,
)
from odznaka_graph.services.visibility import can_see_profile, can_see_section

EMPTY: Page[Any] = Page([], False, False, 0)
PageArgs = tuple[int | None, str | None, int | None, str | None]


async def relation_to(info: Info, user_id: str) -> Relation:
    """The viewer's standing towards a user; one round trip for every user on a page."""
    found = await info.context.loaders.viewer_relation_by_user.load(user_id)
    return found or NO_RELATION


async def _page(info: Info, kind: ListKind, user: UserRecord, args: PageArgs) -> Page[Tie]:
    page_window = window(info, *args)
    graph = info.context.services.stores.graph
    try:
        return await social_graph.people(graph, kind, user.id, info.context.viewer.id, page_window)
    except BadCursor as error:
        raise UserInputError(str(error)) from None


async def _list_visible(info: Info, user: UserRecord, kind: ListKind) -> bool:
    """Followers and following go with the profile; contacts with the contacts section."""
    if not await profile_visible(info, user):
        return False
    if kind is ListKind.CONTACTS:
        return can_see_section(await audience(info, user), user, "contacts")
    return True


async def people_of(info: Info, user: UserRecord, kind: ListKind, *args: Any) -> Connection[User]:
    """A list of people, newest first; people whose profile the viewer may not see (or who
    block the viewer) are left out of the page and the count alike."""
    window(info, *args)  # bad page arguments are refused even when the list is hidden
    if not await _list_visible(info, user, kind):
        return to_connection(EMPTY, User)
    page = await _page(info, kind, user, args)
    return to_connection(page, lambda tie: User(record=tie.user))


async def requests_of(
    info: Info, user: UserRecord, kind: ListKind, *args: Any
) -> Connection[ContactRequest] | None:
    """Pending contact requests, newest first: the owner's own, null for anyone else."""
    if info.context.viewer.id != user.id:
        return None
    page = await _page(info, kind, user, args)
    viewer = info.context.viewer
    return to_connection(
        page, lambda tie: ContactRequest(tie=tie, shown=can_see_profile(viewer, tie.user))
    )


async def blocked_of(info: Info, user: UserRecord, *args: Any) -> Connection[BlockedUser] | None:
    """Whom the owner blocks, newest first: the owner's own, null for anyone else."""
    if info.context.viewer.id != user.id:
        return None
    page = await _page(info, ListKind.BLOCKED, user, args)
    viewer = info.context.viewer
    return to_connection(
        page, lambda tie: BlockedUser(tie=tie, shown=can_see_profile(viewer, tie.user))
    )


async def viewer_relation(info: Info, user: UserRecord) -> Relation:
    if info.context.viewer.id in (None, user.id):
        return NO_RELATION
    return await relation_to(info, user.id)


Command = Callable[[str], Awaitable[str]]


async def _relation_result(info: Info, user_id: strawberry.ID, command: Command) -> Any:
    async def run() -> str:
        return await command(local(user_id, "User", "userId"))

    return await as_result(run(), lambda target_id: _relation_payload(target_id))


async def _relation_payload(target_id: str) -> UserRelation:
    return UserRelation(user_id=target_id)


@strawberry.type
class SocialMutations:
    @mutation(description="Follow a user; following again changes nothing.")
    async def follow(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(info, input.user_id, lambda u: social.follow(viewer, u))

    @mutation(description="Stop following a user; nothing happens if you did not.")
    async def unfollow(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(info, input.user_id, lambda u: social.unfollow(viewer, u))

    @mutation(
        description="Ask a user to become contacts. If they had already asked you, you are "
        "contacts at once; asking again changes nothing."
    )
    async def request_contact(self, info: Info, input: RequestContactInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(
            info, input.user_id, lambda u: social.request_contact(viewer, u, input.message)
        )

    @mutation(
        description="Accept a user's contact request: you become contacts (accepting again "
        "changes nothing)."
    )
    async def accept_contact(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(
            info, input.user_id, lambda u: social.accept_contact(viewer, u)
        )

    @mutation(description="Decline a user's contact request.")
    async def decline_contact(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(
            info, input.user_id, lambda u: social.decline_contact(viewer, u)
        )

    @mutation(description="Stop being contacts with a user, or withdraw your own pending request.")
    async def remove_contact(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(
            info, input.user_id, lambda u: social.remove_contact(viewer, u)
        )

    @mutation(
        description="Block a user: follows both ways, contact requests and the contact end; "
        "they can no longer follow you, ask to be your contact or see your profile."
    )
    async def block_user(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(info, input.user_id, lambda u: social.block(viewer, u))

    @mutation(description="Unblock a user (nothing that the block ended comes back).")
    async def unblock_user(self, info: Info, input: UserIdInput) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        return await _relation_result(info, input.user_id, lambda u: social.unblock(viewer, u))
