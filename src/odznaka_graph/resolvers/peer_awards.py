"""Peer badges and awards: nominations and vouches (club members only), the mutations."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.awards import Award, AwardResult
from odznaka_graph.schema.badges import Badge, BadgeResult
from odznaka_graph.schema.common import texts_input
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.peer_awards import (
    CreatePeerBadgeInput,
    NominatePeerAwardInput,
    Nomination,
    NominationResult,
    RevokePeerAwardInput,
    VouchPeerAwardInput,
)
from odznaka_graph.services import peer_award_reads


async def nomination_by_id(info: Info, nomination_id: str) -> Nomination | None:
    """A nomination, for members of its club only (as node(id:) too)."""
    record = await peer_award_reads.nomination(info.context.loaders, nomination_id)
    return Nomination(record=record) if record is not None else None


async def _nomination(info: Info, nomination_id: str) -> Nomination:
    loaders = info.context.loaders
    return Nomination(record=await peer_award_reads.changed_nomination(loaders, nomination_id))


async def _badge(info: Info, badge_id: str) -> Badge:
    return Badge(record=await peer_award_reads.changed_badge(info.context.loaders, badge_id))


async def _award(info: Info, award_id: str) -> Award:
    return Award(record=await peer_award_reads.revoked_award(info.context.loaders, award_id))


@strawberry.type
class PeerAwardMutations:
    @mutation(
        description="Create a peer badge of your club (any member); published at once, always "
        "marked PEER, restricted to members when the club is members-only."
    )
    async def create_peer_badge(
        self, info: Info, input: Annotated[CreatePeerBadgeInput, INPUT]
    ) -> BadgeResult:
        async def command() -> str:
            data = {
                "club_id": local(input.club_id, "Club", "clubId"),
                "name": texts_input(input.name),
                "description": texts_input(input.description),
                "image_url": input.image_url,
                "image_id": local(input.image_id, "UploadedFile", "imageId")
                if input.image_id
                else None,
                "criteria": texts_input(input.criteria),
            }
            return await info.context.services.peer_awards.create_badge(info.context.viewer, data)

        return await as_result(command(), lambda badge_id: _badge(info, badge_id))

    @mutation(
        description="Nominate another member of your club for one of its peer badges; counts "
        "as your vouch. A daily limit per member applies; idempotent by key."
    )
    async def nominate_peer_award(
        self, info: Info, input: Annotated[NominatePeerAwardInput, INPUT]
    ) -> NominationResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "nominee_id": local(input.nominee_id, "User", "nomineeId"),
                "reason": input.reason,
                "idempotency_key": input.idempotency_key,
            }
            return await info.context.services.peer_awards.nominate(info.context.viewer, data)

        return await as_result(command(), lambda nomination_id: _nomination(info, nomination_id))

    @mutation(
        description="Vouch for another member's nomination (once; not for yourself); the award "
        "is issued, exactly once, when the club's vouch threshold is reached."
    )
    async def vouch_peer_award(
        self, info: Info, input: Annotated[VouchPeerAwardInput, INPUT]
    ) -> NominationResult:
        async def command() -> str:
            data = {"nomination_id": local(input.nomination_id, "Nomination", "nominationId")}
            return await info.context.services.peer_awards.vouch(info.context.viewer, data)

        return await as_result(command(), lambda nomination_id: _nomination(info, nomination_id))

    @mutation(
        description="Revoke a peer award of your club (owners, moderators); the record is kept."
    )
    async def revoke_peer_award(
        self, info: Info, input: Annotated[RevokePeerAwardInput, INPUT]
    ) -> AwardResult:
        async def command() -> str:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "reason": input.reason}
            return await info.context.services.peer_awards.revoke(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _award(info, award_id))
