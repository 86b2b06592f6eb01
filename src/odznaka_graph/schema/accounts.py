"""Users, sessions and e-mail addresses."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import NODE_ID, AuthenticationError, Failure, Node
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.user_account import UserAccountFields
from odznaka_graph.schema.user_communities import UserCommunitiesFields
from odznaka_graph.schema.user_gamification import UserGamificationFields
from odznaka_graph.schema.user_inbox import UserInboxFields
from odznaka_graph.schema.user_profile import UserProfileFields
from odznaka_graph.schema.user_social import UserSocialFields
from odznaka_graph.services import account_reads

if TYPE_CHECKING:
    from odznaka_graph.schema.events import PlaceInput
    from odznaka_graph.schema.pupils import AgeBandEnum

PlaceInputRef = Annotated["PlaceInput", strawberry.lazy("odznaka_graph.schema.events")]
AgeBandRef = Annotated["AgeBandEnum", strawberry.lazy("odznaka_graph.schema.pupils")]


@describe_values(
    PUBLIC="Everyone, signed in or not.",
    CONTACTS="The owner and their contacts.",
    PRIVATE="The owner only.",
)
@strawberry.enum(description="Who sees a profile.")
class ProfileVisibility(Enum):
    PUBLIC = "PUBLIC"
    CONTACTS = "CONTACTS"
    PRIVATE = "PRIVATE"


@strawberry.type(description="One of the viewer's e-mail addresses.")
class EmailAddress:
    email: str = strawberry.field(description="The address, in lower case.")
    verified: bool = strawberry.field(description="Its owner followed the link mailed to it.")


@strawberry.type
class UserBasics:
    """Who the person is: the fields every reader of a profile gets."""

    record: strawberry.Private[UserRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.record.id))

    @field(description="Unique public name in profile links (/u/<handle>), lower case.")
    def handle(self) -> str:
        return self.record.handle

    @field(description="The name the person shows others.")
    def display_name(self) -> str:
        return self.record.display_name

    @field(description="A few words the person wrote about themselves.")
    def bio(self) -> str | None:
        return self.record.bio

    @field(description="Address of the person's picture.")
    def avatar_url(self) -> str | None:
        return self.record.avatar_url

    @field(description="Preferred language for mails and texts, e.g. pl or en.")
    def locale(self) -> str | None:
        return self.record.locale

    @field(description="Who may see this profile at all; sections may show less.")
    def visibility(self) -> ProfileVisibility:
        return ProfileVisibility(self.record.visibility)

    @field(description="When the account was made.")
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
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <token>` (or in connection_init)."
    )
    refresh_token: str = strawberry.field(
        description="Trade it once with refreshToken for a new session; keep it secret."
    )
    expires_in_seconds: int = strawberry.field(
        description="Seconds until the access token stops working (ACCESS_TOKEN_MINUTES)."
    )
    user_id: strawberry.ID = strawberry.field(description="The signed-in person's User id.")


@strawberry.type(description="A session ended: its access and refresh tokens stop working.")
class LogoutPayload:
    signed_out: bool = strawberry.field(description="Always true: the session has ended.")
    everywhere: bool = strawberry.field(description="Every session of the account ended.")


@strawberry.type(description="An address added to the account, awaiting verification.")
class EmailPayload:
    email: str = strawberry.field(description="The address, in lower case.")
    verified: bool = strawberry.field(description="Whether the address is verified already.")


@strawberry.input(description="A new account.")
class RegisterInput:
    email: str = strawberry.field(description="Address to sign in with; a link is mailed to it.")
    password: str = strawberry.field(description="At least 10 characters.")
    handle: str = strawberry.field(description="3–30 lower-case letters, digits, . _ -")
    display_name: str = strawberry.field(description="The name shown to others, 1–100 characters.")
    age_band: AgeBandRef | None = strawberry.field(
        default=None,
        description="Your age band. Under 18 your profile starts private and your name shows "
        "as first name + initial; under 16 it stays so until a guardian consents.",
    )
    birth_year: int | None = strawberry.field(
        default=None,
        description="Instead of `ageBand`: your birth year (the band is taken at the younger "
        "age you may be this year).",
    )


@strawberry.input(description="Signing in with an address and password.")
class LoginInput:
    email: str = strawberry.field(
        description="A verified address, or the one registered with; a pupil enrolled "
        "without e-mail gives their handle."
    )
    password: str = strawberry.field(description="The account's password.")


@strawberry.input(description="A refresh token to trade for a new session.")
class RefreshTokenInput:
    refresh_token: str = strawberry.field(
        description="The refreshToken of the last AuthPayload; it works once."
    )


@strawberry.input(description="Profile changes; fields left out stay as they are.")
class UpdateProfileInput:
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The name shown to others."
    )
    bio: str | None = strawberry.field(
        default=strawberry.UNSET, description="A few words about yourself; null clears it."
    )
    avatar_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="Address of your picture; null clears it."
    )
    locale: str | None = strawberry.field(
        default=strawberry.UNSET, description="Preferred language, e.g. pl or en."
    )
    visibility: ProfileVisibility | None = strawberry.field(
        default=strawberry.UNSET, description="Who may see the profile."
    )
    home_place: PlaceInputRef | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where you live or study, for nearby events (yours to see only); "
        "null clears it.",
    )


@strawberry.input(description="Another address for the account; a link is mailed to it.")
class AddEmailInput:
    email: str = strawberry.field(description="The address to add.")
    password: str | None = strawberry.field(
        default=None,
        description="Your current password, required (nullable only so that the schema "
        "changes additively): missing is VALIDATION_FAILED, wrong is UNAUTHENTICATED "
        "WRONG_PASSWORD.",
    )


@strawberry.input(description="The token from a verification mail.")
class VerifyEmailInput:
    token: str = strawberry.field(description="The token in the mailed link.")


AuthResult: TypeAlias = Annotated[
    AuthPayload | AuthenticationError | Failure,
    strawberry.union("AuthResult", description="A session, or why not."),
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
