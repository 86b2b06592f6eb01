"""A user's place in the social graph: followers, following, contacts, requests, blocks."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.social import ListKind
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.common import Connection
from odznaka_graph.schema.decorators import field

if TYPE_CHECKING:
    from odznaka_graph.schema.accounts import User
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


def _people(kind: ListKind, description: str) -> Any:
    """A paginated list of people around a user (followers, following, contacts)."""

    async def resolve(
        root: Any,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[UserRef]:
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


UserRef = Annotated["User", strawberry.lazy("odznaka_graph.schema.accounts")]


@strawberry.type
class UserSocialFields:
    record: strawberry.Private[UserRecord]

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
