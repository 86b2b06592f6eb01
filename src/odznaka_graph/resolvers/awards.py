"""Awards: award and revoke."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.awards import Award, AwardBadgeInput, AwardResult, RevokeAwardInput
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.services import award_reads
from odznaka_graph.services.award_reads import AwardRecord


async def award_by_id(info: Info, award_id: str) -> Award | None:
    """Kept for node(id:) and the other domains' callers; new code calls
    `award_reads.award`."""
    record = await award_reads.award(info.context.loaders, award_id)
    return Award(record=record) if record is not None else None


async def _written(info: Info, award_id: str) -> Award:
    record: AwardRecord | None = await award_reads.written_award(info.context.loaders, award_id)
    assert record is not None
    return Award(record=record)


@strawberry.type
class AwardMutations:
    @mutation(description="Award a published badge (issuer staff); idempotent by key.")
    async def award_badge(
        self, info: Info, input: Annotated[AwardBadgeInput, INPUT]
    ) -> AwardResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "recipient_id": (
                    local(input.recipient_id, "User", "recipientId") if input.recipient_id else None
                ),
                "recipient_email": input.recipient_email,
                "evidence": [vars(item) for item in input.evidence or []],
                "idempotency_key": input.idempotency_key,
            }
            return await info.context.services.awards.award(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _written(info, award_id))

    @mutation(description="Revoke an award with a reason; the record is kept.")
    async def revoke_award(
        self, info: Info, input: Annotated[RevokeAwardInput, INPUT]
    ) -> AwardResult:
        async def command() -> str:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "reason": input.reason}
            return await info.context.services.awards.revoke(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _written(info, award_id))
