"""bulkAwardBadge: one badge to a class of 500 in one call."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.bulk_awards import (
    BulkAwardBadgeInput,
    BulkAwardOutcome,
    BulkAwardReport,
    BulkAwardResult,
    BulkAwardRow,
)
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.services.award_reads import award_record
from odznaka_graph.services.bulk_awards import Outcome, RowResult

REFUSED = {
    Outcome.INVALID_ADDRESS,
    Outcome.UNKNOWN_HANDLE,
    Outcome.SELF_AWARD,
    Outcome.DUPLICATE_ROW,
}


async def _report(results: list[RowResult]) -> BulkAwardReport:
    rows = [
        BulkAwardRow(
            recipient=r.recipient,
            outcome=BulkAwardOutcome(r.outcome.value),
            award=Award(record=award_record(r.award)) if r.award is not None else None,
        )
        for r in results
    ]
    outcomes = [r.outcome for r in results]
    return BulkAwardReport(
        rows=rows,
        awarded=outcomes.count(Outcome.AWARDED),
        pending_claims=outcomes.count(Outcome.PENDING_CLAIM),
        already_held=outcomes.count(Outcome.ALREADY_HELD),
        refused=sum(outcome in REFUSED for outcome in outcomes),
    )


@strawberry.type
class BulkAwardMutations:
    @mutation(description="Award one published badge to many people (issuer staff).")
    async def bulk_award_badge(
        self, info: Info, input: Annotated[BulkAwardBadgeInput, INPUT]
    ) -> BulkAwardResult:
        async def command() -> list[RowResult]:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "recipients": input.recipients,
                "evidence": [vars(item) for item in input.evidence or []],
                "idempotency_key": input.idempotency_key,
            }
            return await info.context.services.bulk_awards.award(info.context.viewer, data)

        return await as_result(command(), _report)
