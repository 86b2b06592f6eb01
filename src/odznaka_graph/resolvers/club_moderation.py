"""Club moderation (issue 15): remove or ban members, archive a peer badge, edit the club."""

from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.clubs import _changed
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.badges import Badge, BadgeResult
from odznaka_graph.schema.club_moderation import (
    ArchivePeerBadgeInput,
    BanClubMemberInput,
    RemoveClubMemberInput,
    UpdateClubInput,
)
from odznaka_graph.schema.clubs import ClubResult
from odznaka_graph.schema.common import texts_input
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.services import peer_award_reads


def _removal(input: RemoveClubMemberInput) -> dict[str, Any]:
    return {
        "club_id": local(input.club_id, "Club", "clubId"),
        "user_id": local(input.user_id, "User", "userId"),
        "reason": input.reason,
    }


def _change(input: UpdateClubInput) -> dict[str, Any]:
    texts = {
        name: texts_input(value)
        for name, value in (("name", input.name), ("description", input.description))
        if value is not None
    }
    numbers = {
        "vouch_threshold": input.vouch_threshold,
        "daily_peer_award_limit": input.daily_peer_award_limit,
        "join_policy": input.join_policy.value if input.join_policy else None,
    }
    given = {k: v for k, v in numbers.items() if v is not None}
    return {"club_id": local(input.club_id, "Club", "clubId")} | texts | given


@strawberry.type
class ClubModerationMutations:
    @mutation(
        description="Remove a member from the club (owners; moderators remove members); an "
        "owner never. They may join again; banClubMember keeps them out."
    )
    async def remove_club_member(
        self, info: Info, input: Annotated[RemoveClubMemberInput, INPUT]
    ) -> ClubResult:
        async def command() -> str:
            moderation = info.context.services.club_moderation
            return await moderation.remove(info.context.viewer, _removal(input))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(
        description="Ban someone from the club (owners; moderators ban members): they are "
        "removed and cannot join, be invited, nominate or vouch there again."
    )
    async def ban_club_member(
        self, info: Info, input: Annotated[BanClubMemberInput, INPUT]
    ) -> ClubResult:
        async def command() -> str:
            moderation = info.context.services.club_moderation
            return await moderation.remove(info.context.viewer, _removal(input), ban=True)

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(description="Edit the club's name, description, join policy or peer-award rules.")
    async def update_club(self, info: Info, input: Annotated[UpdateClubInput, INPUT]) -> ClubResult:
        async def command() -> str:
            moderation = info.context.services.club_moderation
            return await moderation.update(info.context.viewer, _change(input))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(
        description="Archive a club's peer badge (owners, moderators): no new nominations, "
        "vouches or awards from now on; the awards made stay valid unless revoked."
    )
    async def archive_peer_badge(
        self, info: Info, input: Annotated[ArchivePeerBadgeInput, INPUT]
    ) -> BadgeResult:
        async def command() -> str:
            data = {"badge_id": local(input.badge_id, "Badge", "badgeId"), "reason": input.reason}
            moderation = info.context.services.club_moderation
            return await moderation.archive_badge(info.context.viewer, data)

        async def archived(badge_id: str) -> Badge:
            loaders = info.context.loaders
            return Badge(record=await peer_award_reads.changed_badge(loaders, badge_id))

        return await as_result(command(), archived)
