"""The social graph: follows, contacts, contact requests, blocks."""

from datetime import datetime
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.schema.accounts import User, user_or_none
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import field
from odznaka_graph.services import account_reads, social_reads
from odznaka_graph.services.social_reads import Relation, Tie


@strawberry.type(description="A pending request to become contacts.")
class ContactRequest:
    tie: strawberry.Private[Tie]
    shown: strawberry.Private[bool]

    @field(description="The other side's user id (to accept or decline by).")
    def user_id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.tie.user.id))

    @field(description="The other side; null when their profile is hidden from you.")
    def user(self) -> User | None:
        return User(record=self.tie.user) if self.shown else None

    @field(description="What the requester wrote.")
    def message(self) -> str | None:
        return self.tie.message

    @field(description="When it was sent.")
    def requested_at(self) -> datetime | None:
        return self.tie.at


@strawberry.type(description="Someone you blocked.")
class BlockedUser:
    tie: strawberry.Private[Tie]
    shown: strawberry.Private[bool]

    @field(description="Their user id (to unblock by).")
    def user_id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.tie.user.id))

    @field(description="The user; null when their profile is hidden from you.")
    def user(self) -> User | None:
        return User(record=self.tie.user) if self.shown else None

    @field(description="When you blocked them.")
    def blocked_at(self) -> datetime | None:
        return self.tie.at


@strawberry.type(
    description="Where the viewer stands towards another user, after a social mutation."
)
class UserRelation:
    user_id: strawberry.Private[str]

    @field(description="The other user; null when their profile is hidden from you.")
    async def user(self, info: Info) -> User | None:
        return user_or_none(await account_reads.user(info.context.loaders, self.user_id))

    @field(description="You follow them.")
    async def following(self, info: Info) -> bool:
        return (await _relation(info, self.user_id)).follows

    @field(description="They follow you.")
    async def followed_by(self, info: Info) -> bool:
        return (await _relation(info, self.user_id)).followed_by

    @field(description="You are contacts.")
    async def contact(self, info: Info) -> bool:
        return (await _relation(info, self.user_id)).contact

    @field(description="You asked them to become contacts; they have not answered.")
    async def request_sent(self, info: Info) -> bool:
        return (await _relation(info, self.user_id)).request_sent

    @field(description="They asked you to become contacts; you have not answered.")
    async def request_received(self, info: Info) -> bool:
        return (await _relation(info, self.user_id)).request_received

    @field(description="You have blocked them.")
    async def blocked(self, info: Info) -> bool:
        return (await _relation(info, self.user_id)).blocks


async def _relation(info: Info, user_id: str) -> Relation:
    return await social_reads.relation(info.context.loaders, user_id)


@strawberry.input(description="Another user, by id.")
class UserIdInput:
    user_id: strawberry.ID = strawberry.field(description="The person.")


@strawberry.input(description="Ask another user to become contacts.")
class RequestContactInput:
    user_id: strawberry.ID = strawberry.field(description="The person to ask.")
    message: str | None = strawberry.field(default=None, description="Up to 500 characters.")


UserRelationResult: TypeAlias = Annotated[
    UserRelation | Failure,
    strawberry.union(
        "UserRelationResult", description="Where you stand towards the user now, or why not."
    ),
]
