"""The viewer's own classes and teams, followed paths and clubs."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from odznaka_graph.context import Info
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


UserRef = Annotated["User", strawberry.lazy("odznaka_graph.schema.accounts")]


@strawberry.type
class UserCommunitiesFields:
    record: strawberry.Private[UserRecord]

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
