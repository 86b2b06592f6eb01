"""Awards: award, revoke, and read one award under the read rules."""

from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ledger import credentials
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.awards import Award, AwardBadgeInput, AwardResult, RevokeAwardInput
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.services.profiles import award_record


async def award_by_id(info: Info, award_id: str) -> Award | None:
    record = await info.context.loaders.visibility.award(award_id)
    return Award(record=record) if record is not None else None


async def _from_ledger(info: Info, award_id: str) -> Award:
    """The award as the ledger holds it: answers even while the graph catches up."""
    async with info.context.services.stores.ledger.reading() as conn:
        row = await credentials.award(conn, award_id)
    assert row is not None
    return award_from_row(row)


def award_from_row(row: Any) -> Award:
    return Award(record=award_record(row))


@strawberry.type
class AwardMutations:
    @mutation(description="Award a published badge (issuer staff); idempotent by key.")
    async def award_badge(self, info: Info, input: AwardBadgeInput) -> AwardResult:
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

        return await as_result(command(), lambda award_id: _from_ledger(info, award_id))

    @mutation(description="Revoke an award with a reason; the record is kept.")
    async def revoke_award(self, info: Info, input: RevokeAwardInput) -> AwardResult:
        async def command() -> str:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "reason": input.reason}
            return await info.context.services.awards.revoke(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _from_ledger(info, award_id))
