"""Users, sessions and e-mail addresses."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.social import ListKind
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import Connection, Node, result_union
from odznaka_graph.schema.decorators import field

if TYPE_CHECKING:
    from odznaka_graph.schema.awards import Award
    from odznaka_graph.schema.clubs import Club
    from odznaka_graph.schema.events import Place, PlaceInput
    from odznaka_graph.schema.external_credentials import ExternalCredential
    from odznaka_graph.schema.gamification import (
        Achievement,
        GamificationSettings,
        Level,
        PointEvent,
        Streak,
    )
    from odznaka_graph.schema.notifications import NotificationConnection
    from odznaka_graph.schema.paths import Path
    from odznaka_graph.schema.profiles import (
        AwardFilter,
        AwardGroup,
        AwardGrouping,
        ProfileSectionVisibility,
        SkillMapEntry,
    )
    from odznaka_graph.schema.recommendations import (
        Recommendation,
        RecommendationCentre,
        RecommendationKind,
    )
    from odznaka_graph.schema.social import BlockedUser, ContactRequest
    from odznaka_graph.schema.teams import Team

AwardRef = Annotated["Award", strawberry.lazy("odznaka_graph.schema.awards")]
ClubRef = Annotated["Club", strawberry.lazy("odznaka_graph.schema.clubs")]
_PROFILES = "odznaka_graph.schema.profiles"
AwardFilterRef = Annotated["AwardFilter", strawberry.lazy(_PROFILES)]
AwardGroupRef = Annotated["AwardGroup", strawberry.lazy(_PROFILES)]
AwardGroupingRef = Annotated["AwardGrouping", strawberry.lazy(_PROFILES)]
SectionsRef = Annotated["ProfileSectionVisibility", strawberry.lazy(_PROFILES)]
SkillMapEntryRef = Annotated["SkillMapEntry", strawberry.lazy(_PROFILES)]
_SOCIAL = "odznaka_graph.schema.social"
ContactRequestRef = Annotated["ContactRequest", strawberry.lazy(_SOCIAL)]
BlockedUserRef = Annotated["BlockedUser", strawberry.lazy(_SOCIAL)]
TeamRef = Annotated["Team", strawberry.lazy("odznaka_graph.schema.teams")]
PathRef = Annotated["Path", strawberry.lazy("odznaka_graph.schema.paths")]
NotificationConnectionRef = Annotated[
    "NotificationConnection", strawberry.lazy("odznaka_graph.schema.notifications")
]
_RECOMMENDATIONS = "odznaka_graph.schema.recommendations"
RecommendationRef = Annotated["Recommendation", strawberry.lazy(_RECOMMENDATIONS)]
RecommendationKindRef = Annotated["RecommendationKind", strawberry.lazy(_RECOMMENDATIONS)]
CentreRef = Annotated["RecommendationCentre", strawberry.lazy(_RECOMMENDATIONS)]
PlaceRef = Annotated["Place", strawberry.lazy("odznaka_graph.schema.events")]
PlaceInputRef = Annotated["PlaceInput", strawberry.lazy("odznaka_graph.schema.events")]
ExternalCredentialRef = Annotated[
    "ExternalCredential", strawberry.lazy("odznaka_graph.schema.external_credentials")
]
_GAMIFICATION = "odznaka_graph.schema.gamification"
LevelRef = Annotated["Level", strawberry.lazy(_GAMIFICATION)]
StreakRef = Annotated["Streak", strawberry.lazy(_GAMIFICATION)]
AchievementRef = Annotated["Achievement", strawberry.lazy(_GAMIFICATION)]
GamificationSettingsRef = Annotated["GamificationSettings", strawberry.lazy(_GAMIFICATION)]
PointEventRef = Annotated["PointEvent", strawberry.lazy(_GAMIFICATION)]


@strawberry.enum(description="Who sees a profile.")
class ProfileVisibility(Enum):
    PUBLIC = "PUBLIC"
    CONTACTS = "CONTACTS"
    PRIVATE = "PRIVATE"


@strawberry.type(description="One of the viewer's e-mail addresses.")
class EmailAddress:
    email: str
    verified: bool


def _people(kind: ListKind, description: str) -> Any:
    """A paginated list of people around a user (followers, following, contacts)."""

    async def resolve(
        root: Any,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection["User"]:
        from odznaka_graph.resolvers.social import people_of

        return await people_of(info, root.record, kind, first, after, last, before)

    return strawberry.field(resolver=resolve, description=description)


def _requests(kind: ListKind, description: str) -> Any:
    """A paginated list of the viewer's pending contact requests (incoming or outgoing)."""

    async def resolve(
        root: Any,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ContactRequestRef] | None:
        from odznaka_graph.resolvers.social import requests_of

        return await requests_of(info, root.record, kind, first, after, last, before)

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type(description="A person on the platform.")
class User(Node):
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

    @field(
        description="Credentials earned, newest first, filtered; empty when the awards "
        "section is hidden from the viewer."
    )
    async def awards(
        self,
        info: Info,
        filter: AwardFilterRef | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AwardRef]:
        from odznaka_graph.resolvers.profiles import awards_of_user

        return await awards_of_user(info, self.record, filter, first, after, last, before)

    @field(
        description="Credentials earned elsewhere and imported by this user (Open Badges "
        "2.0 / 3.0), newest first, each with its verification result; empty when the awards "
        "section is hidden from the viewer."
    )
    async def external_credentials(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ExternalCredentialRef]:
        from odznaka_graph.resolvers.external_credentials import external_credentials_of

        return await external_credentials_of(info, self.record, first, after, last, before)

    @field(
        description="Credentials grouped by issuer or by skill (largest group first), each "
        "with its count and newest few; empty when the awards section is hidden."
    )
    async def award_groups(
        self,
        info: Info,
        by: AwardGroupingRef,
        filter: AwardFilterRef | None = None,
        preview: int = 3,
    ) -> list[AwardGroupRef]:
        from odznaka_graph.resolvers.profiles import award_groups_of

        return await award_groups_of(info, self.record, by, filter, preview)

    @field(
        description="The skills map: each skill proven by valid credentials, with its level "
        "(highest first); empty when the skills section is hidden."
    )
    async def skills(self, info: Info) -> list[SkillMapEntryRef]:
        from odznaka_graph.resolvers.profiles import skills_of

        return await skills_of(info, self.record)

    @field(
        description="Credentials the owner features, in the owner's order (valid ones "
        "only); empty when the featured section is hidden."
    )
    async def featured_awards(self, info: Info) -> list[AwardRef]:
        from odznaka_graph.resolvers.profiles import featured_of

        return await featured_of(info, self.record)

    @field(
        description="How many contacts you may see (the `contacts` list's total); null when "
        "the contacts section is hidden."
    )
    async def contacts_count(self, info: Info) -> int | None:
        from odznaka_graph.resolvers.profiles import contacts_count_of

        return await contacts_count_of(info, self.record)

    # The social graph (resolvers/social.py): lists newest first, people whose profile is
    # hidden from the viewer (or who block the viewer) left out of pages and counts alike.
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
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[BlockedUserRef] | None:
        from odznaka_graph.resolvers.social import blocked_of

        return await blocked_of(info, self.record, first, after, last, before)

    @field(description="Whether you follow this user.")
    async def viewer_follows(self, info: Info) -> bool:
        from odznaka_graph.resolvers.social import viewer_relation

        return (await viewer_relation(info, self.record)).follows

    @field(description="Whether you and this user are contacts.")
    async def viewer_is_contact(self, info: Info) -> bool:
        from odznaka_graph.resolvers.social import viewer_relation

        return (await viewer_relation(info, self.record)).contact

    @field(description="Whether you have blocked this user.")
    async def viewer_blocked(self, info: Info) -> bool:
        from odznaka_graph.resolvers.social import viewer_relation

        return (await viewer_relation(info, self.record)).blocks

    @field(description="Who sees each part of this profile; the owner only.")
    def section_visibility(self, info: Info) -> SectionsRef | None:
        from odznaka_graph.resolvers.profiles import section_visibility_of

        return section_visibility_of(info, self.record)

    @field(description="The viewer's own addresses; empty for anyone else.")
    async def emails(self, info: Info) -> list[EmailAddress]:
        from odznaka_graph.resolvers.accounts import emails_of

        return await emails_of(info, self.record.id)

    @field(
        description="The viewer's own classes and teams, most recently joined first; empty "
        "for anyone else."
    )
    async def teams(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TeamRef]:
        from odznaka_graph.resolvers.teams import teams_of

        return await teams_of(info, self.record, first, after)

    @field(
        description="Your notifications, newest first, with how many are unread; null for "
        "anyone else."
    )
    async def notifications(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        unread_only: Annotated[
            bool, strawberry.argument(description="Only those not marked read yet.")
        ] = False,
    ) -> NotificationConnectionRef | None:
        from odznaka_graph.resolvers.notifications import notifications_of

        return await notifications_of(info, self.record, first, after, last, before, unread_only)

    @field(
        description="Paths the viewer follows (with `viewerProgress`), most recently followed "
        "first; the viewer's own only, empty for anyone else."
    )
    async def followed_paths(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PathRef]:
        from odznaka_graph.resolvers.paths import followed_paths_of

        return await followed_paths_of(info, self.record, first, after)

    @field(description="The viewer's own clubs, by name; empty for anyone else.")
    async def clubs(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ClubRef]:
        from odznaka_graph.resolvers.clubs import clubs_of

        return await clubs_of(info, self.record, first, after)

    @field(
        description="What to earn, follow, attend, whom to follow or which clubs to join, "
        "best first, each with a score and its reasons; the viewer's own only, empty for "
        "anyone else. Never what you already have, follow, attend or belong to, nor "
        "anything you may not see."
    )
    async def recommendations(
        self,
        info: Info,
        kind: RecommendationKindRef,
        first: Annotated[int, strawberry.argument(description="How many, 1 to 50.")] = 10,
        skill_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Skills you look for (badges, paths, events)."),
        ] = None,
        near: Annotated[
            CentreRef | None,
            strawberry.argument(
                description="Where to measure distances from (events); default: your home "
                "place, else the place of the last on-site event you registered for."
            ),
        ] = None,
    ) -> list[RecommendationRef]:
        from odznaka_graph.resolvers.recommendations import recommendations_of

        return await recommendations_of(info, self.record, kind, first, skill_ids, near)

    @field(description="Your home place, for nearby events; yours only.")
    def home_place(self, info: Info) -> PlaceRef | None:
        from odznaka_graph.schema.events import Place

        home = self.record.home
        if home is None or info.context.viewer.id != self.record.id:
            return None
        return Place(latitude=home[0], longitude=home[1], address=home[2])

    @field(description="All XP so far: the net of the user's points ledger.")
    async def xp(self, info: Info) -> int:
        from odznaka_graph.resolvers.gamification import xp_of

        return await xp_of(info, self.record.id)

    @field(description="The level the XP gives.")
    async def level(self, info: Info) -> LevelRef:
        from odznaka_graph.resolvers.gamification import level_of

        return await level_of(info, self.record.id)

    @field(description="Weeks in a row with activity; the viewer's own only.")
    async def streak(self, info: Info) -> StreakRef | None:
        from odznaka_graph.resolvers.gamification import streak_of

        return await streak_of(info, self.record.id)

    @field(description="Milestones, reached or not; the viewer's own only.")
    async def achievements(self, info: Info) -> list[AchievementRef]:
        from odznaka_graph.resolvers.gamification import achievements_of

        return await achievements_of(info, self.record.id)

    @field(
        description="Every point given or taken, newest first, with its reason and source: "
        "the explanation of the XP and of every leaderboard; the viewer's own only."
    )
    async def point_history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PointEventRef] | None:
        from odznaka_graph.resolvers.gamification import history_of

        return await history_of(info, self.record.id, first, after)

    @field(description="Settings for points and leaderboards; the viewer's own only.")
    async def gamification_settings(self, info: Info) -> GamificationSettingsRef | None:
        from odznaka_graph.resolvers.gamification import settings_of

        return await settings_of(info, self.record.id)


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


AuthResult = result_union("AuthResult", AuthPayload, "A session, or why not.")
ProfileResult = result_union("ProfileResult", User, "The updated profile, or why not.")
LogoutResult = result_union("LogoutResult", LogoutPayload, "Signed out, or why not.")
EmailResult = result_union("EmailResult", EmailPayload, "The address, or why not.")
