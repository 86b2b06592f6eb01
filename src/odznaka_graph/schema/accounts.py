"""Users, sessions and e-mail addresses."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import Failure, Node
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.user_account import UserAccountFields
from odznaka_graph.schema.user_communities import UserCommunitiesFields
from odznaka_graph.schema.user_gamification import UserGamificationFields
from odznaka_graph.schema.user_inbox import UserInboxFields
from odznaka_graph.schema.user_profile import UserProfileFields
from odznaka_graph.schema.user_social import UserSocialFields
from odznaka_graph.services import account_reads

if TYPE_CHECKING:
    from odznaka_graph.schema.events import PlaceInput

PlaceInputRef = Annotated["PlaceInput", strawberry.lazy("odznaka_graph.schema.events")]


@strawberry.enum(description="Who sees a profile.")
class ProfileVisibility(Enum):
    PUBLIC = "PUBLIC"
    CONTACTS = "CONTACTS"
    PRIVATE = "PRIVATE"


@strawberry.type(description="One of the viewer's e-mail addresses.")
class EmailAddress:
    email: str
    verified: bool


@strawberry.type
class UserBasics:
    """Who the person is: the fields every reader of a profile gets."""

    record: strawberry.Private[UserRecord]

    @field()
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.record.id))

    @field()
    def handle(self) -> str:
        return self.record.handle

    @field()
    def display_name(self) -> str:
        return self.record.display_name

    @field()
    def bio(self) -> str | None:
        return self.record.bio

    @field()
    def avatar_url(self) -> str | None:
        return self.record.avatar_url

    @field()
    def locale(self) -> str | None:
        return self.record.locale

    @field()
    def visibility(self) -> ProfileVisibility:
        return ProfileVisibility(self.record.visibility)

    @field()
    def created_at(self) -> datetime:
        return self.record.created_at


@strawberry.type(description="A person on the platform.")
class User(
    UserBasics,
    UserProfileFields,
    UserSocialFields,
    UserCommunitiesFields,
    UserInboxFields,
    UserGamificationFields,
    UserAccountFields,
    Node,
):
    @field(description="The viewer's own addresses; empty for anyone else.")
    async def emails(self, info: Info) -> list[EmailAddress]:
        found = await account_reads.emails(info.context.loaders, self.record)
        return [EmailAddress(email=e.email, verified=e.verified) for e in found]


def user_or_none(record: UserRecord | None) -> User | None:
    """A read view's person (services/account_reads.py) as the type; None stays None."""
    return User(record=record) if record is not None else None


@strawberry.type(description="A signed-in session.")
class AuthPayload:
    access_token: str
    refresh_token: str
    expires_in_seconds: int
    user_id: strawberry.ID


@strawberry.type(description="A session ended: its access and refresh tokens stop working.")
class LogoutPayload:
    signed_out: bool
    everywhere: bool = strawberry.field(description="Every session of the account ended.")


@strawberry.type(description="An address added to the account, awaiting verification.")
class EmailPayload:
    email: str
    verified: bool


@strawberry.input
class RegisterInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    handle: str = strawberry.field(description="3–30 lower-case letters, digits, . _ -")
    display_name: str


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.input
class UpdateProfileInput:
    display_name: str | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    avatar_url: str | None = strawberry.UNSET
    locale: str | None = strawberry.UNSET
    visibility: ProfileVisibility | None = strawberry.UNSET
    home_place: PlaceInputRef | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where you live or study, for nearby events (yours to see only); "
        "null clears it.",
    )


@strawberry.input
class AddEmailInput:
    email: str


@strawberry.input
class VerifyEmailInput:
    token: str


AuthResult: TypeAlias = Annotated[
    AuthPayload | Failure, strawberry.union("AuthResult", description="A session, or why not.")
]
ProfileResult: TypeAlias = Annotated[
    User | Failure,
    strawberry.union("ProfileResult", description="The updated profile, or why not."),
]
LogoutResult: TypeAlias = Annotated[
    LogoutPayload | Failure, strawberry.union("LogoutResult", description="Signed out, or why not.")
]
EmailResult: TypeAlias = Annotated[
    EmailPayload | Failure, strawberry.union("EmailResult", description="The address, or why not.")
]
