"""Points, levels, streaks and achievements on a user."""

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
class UserGamificationFields:
    record: strawberry.Private[UserRecord]

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
