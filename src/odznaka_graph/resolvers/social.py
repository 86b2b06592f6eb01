"""The social graph's mutations: follow, contacts, blocks."""

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.social import (
    RequestContactInput,
    UserIdInput,
    UserRelation,
    UserRelationResult,
)

Command = Callable[[str], Awaitable[str]]


async def _on_user(user_id: strawberry.ID, command: Command) -> str:
    """The command on the user the input names (a bad id is a ValidationError)."""
    return await command(local(user_id, "User", "userId"))


async def _relation(target_id: str) -> UserRelation:
    return UserRelation(user_id=target_id)


@strawberry.type
class SocialMutations:
    @mutation(description="Follow a user; following again changes nothing.")
    async def follow(self, info: Info, input: Annotated[UserIdInput, INPUT]) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.follow(viewer, u))
        return await as_result(work, _relation)

    @mutation(description="Stop following a user; nothing happens if you did not.")
    async def unfollow(
        self, info: Info, input: Annotated[UserIdInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.unfollow(viewer, u))
        return await as_result(work, _relation)

    @mutation(
        description="Ask a user to become contacts. If they had already asked you, you are "
        "contacts at once; asking again changes nothing."
    )
    async def request_contact(
        self, info: Info, input: Annotated[RequestContactInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.request_contact(viewer, u, input.message))
        return await as_result(work, _relation)

    @mutation(
        description="Accept a user's contact request: you become contacts (accepting again "
        "changes nothing)."
    )
    async def accept_contact(
        self, info: Info, input: Annotated[UserIdInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.accept_contact(viewer, u))
        return await as_result(work, _relation)

    @mutation(description="Decline a user's contact request.")
    async def decline_contact(
        self, info: Info, input: Annotated[UserIdInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.decline_contact(viewer, u))
        return await as_result(work, _relation)

    @mutation(description="Stop being contacts with a user, or withdraw your own pending request.")
    async def remove_contact(
        self, info: Info, input: Annotated[UserIdInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.remove_contact(viewer, u))
        return await as_result(work, _relation)

    @mutation(
        description="Block a user: follows both ways, contact requests and the contact end; "
        "they can no longer follow you, ask to be your contact or see your profile."
    )
    async def block_user(
        self, info: Info, input: Annotated[UserIdInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.block(viewer, u))
        return await as_result(work, _relation)

    @mutation(description="Unblock a user (nothing that the block ended comes back).")
    async def unblock_user(
        self, info: Info, input: Annotated[UserIdInput, INPUT]
    ) -> UserRelationResult:
        social, viewer = info.context.services.social, info.context.viewer
        work = _on_user(input.user_id, lambda u: social.unblock(viewer, u))
        return await as_result(work, _relation)
