"""A profile's credential sections: awards, imported credentials, groups, skills, featured ones."""

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
class UserProfileFields:
    record: strawberry.Private[UserRecord]

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

    @field(description="Who sees each part of this profile; the owner only.")
    def section_visibility(self, info: Info) -> SectionsRef | None:
        from odznaka_graph.resolvers.profiles import section_visibility_of

        return section_visibility_of(info, self.record)
