"""A profile's credential sections: awards, imported credentials, groups, skills, featured ones."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.args import After, Before, First, Last, described
from odznaka_graph.schema.arguments import UserInputError, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.external_credentials import ExternalCredential
from odznaka_graph.services import profile_reads

if TYPE_CHECKING:
    from odznaka_graph.schema.awards import Award
    from odznaka_graph.schema.profiles import (
        AwardFilter,
        AwardGroup,
        AwardGrouping,
        ProfileSectionVisibility,
        SkillMapEntry,
    )

# schema/awards.py and schema/profiles.py import User (schema/accounts.py), which is made
# of these fields: their types are referenced lazily, and their converters imported where
# used (the one cycle that forces function-level imports here).
AwardRef = Annotated["Award", strawberry.lazy("odznaka_graph.schema.awards")]
_PROFILES = "odznaka_graph.schema.profiles"
AwardFilterRef = Annotated["AwardFilter", strawberry.lazy(_PROFILES)]
AwardGroupRef = Annotated["AwardGroup", strawberry.lazy(_PROFILES)]
AwardGroupingRef = Annotated["AwardGrouping", strawberry.lazy(_PROFILES)]
SectionsRef = Annotated["ProfileSectionVisibility", strawberry.lazy(_PROFILES)]
SkillMapEntryRef = Annotated["SkillMapEntry", strawberry.lazy(_PROFILES)]

MAX_GROUP_PREVIEW = 20


def _award(record: AwardRecord) -> "Award":
    from odznaka_graph.schema.awards import Award

    return Award(record=record)


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
        filter: Annotated[
            AwardFilterRef | None, described("Which credentials: status, issuer, skill.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AwardRef]:
        from odznaka_graph.schema.profiles import award_filter

        page_window = window(info, first, after, last, before)
        chosen = award_filter(filter)
        page = await profile_reads.awards(info.context.loaders, self.record, chosen, page_window)
        return to_connection(page, _award)

    @field(
        description="Credentials earned elsewhere and imported by this user (Open Badges "
        "2.0 / 3.0), newest first, each with its verification result; empty when the awards "
        "section is hidden from the viewer."
    )
    async def external_credentials(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ExternalCredential]:
        page_window = window(info, first, after, last, before)
        loaders = info.context.loaders
        page = await profile_reads.external_credentials(loaders, self.record, page_window)
        return to_connection(page, lambda record: ExternalCredential(record=record))

    @field(
        description="Credentials grouped by issuer or by skill (largest group first), each "
        "with its count and newest few; empty when the awards section is hidden."
    )
    async def award_groups(
        self,
        info: Info,
        by: Annotated[AwardGroupingRef, described("What to group by.")],
        filter: Annotated[AwardFilterRef | None, described("Which credentials.")] = None,
        preview: Annotated[int, described("Credentials shown per group.")] = 3,
    ) -> list[AwardGroupRef]:
        from odznaka_graph.schema.profiles import award_filter, award_groups

        if not 0 <= preview <= MAX_GROUP_PREVIEW:
            raise UserInputError(f"`preview` must be between 0 and {MAX_GROUP_PREVIEW}.")
        chosen = award_filter(filter)
        loaders = info.context.loaders
        groups = await profile_reads.award_groups(loaders, self.record, by.value, chosen, preview)
        return award_groups(groups, by)

    @field(
        description="The skills map: each skill proven by valid credentials, with its level "
        "(highest first); empty when the skills section is hidden."
    )
    async def skills(self, info: Info) -> list[SkillMapEntryRef]:
        from odznaka_graph.schema.profiles import skill_map

        return skill_map(await profile_reads.skill_map(info.context.loaders, self.record))

    @field(
        description="Credentials the owner features, in the owner's order (valid ones "
        "only); empty when the featured section is hidden."
    )
    async def featured_awards(self, info: Info) -> list[AwardRef]:
        return [_award(r) for r in await profile_reads.featured(info.context.loaders, self.record)]

    @field(
        description="How many contacts you may see (the `contacts` list's total); null when "
        "the contacts section is hidden."
    )
    async def contacts_count(self, info: Info) -> int | None:
        return await profile_reads.contacts_count(info.context.loaders, self.record)

    @field(description="Who sees each part of this profile; the owner only.")
    def section_visibility(self, info: Info) -> SectionsRef | None:
        from odznaka_graph.schema.profiles import section_visibility

        return section_visibility(profile_reads.section_levels(info.context.loaders, self.record))
