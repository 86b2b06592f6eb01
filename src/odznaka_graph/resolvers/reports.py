"""Reports and the moderation queue (issue 15)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import ValidationFailed
from odznaka_graph.ids import from_global
from odznaka_graph.outcomes import InputReason
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, After, Before, First, Last
from odznaka_graph.schema.arguments import local, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.reports import (
    DecideReportInput,
    Report,
    ReportInput,
    ReportResult,
    ReportStatus,
)
from odznaka_graph.services import report_reads

REPORTABLE = ("Club", "Badge", "User", "Award")


def _target(target_id: str) -> tuple[str, str]:
    decoded = from_global(target_id)
    if decoded is None or decoded[0] not in REPORTABLE:
        raise ValidationFailed(
            {"targetId": "Not the id of a club, badge, user or award."},
            reason=InputReason.NOT_AN_ID,
        )
    return decoded


async def _answer(info: Info, report_id: str) -> Report:
    row = await report_reads.written(info.context.loaders, report_id)
    assert row is not None
    return Report(record=row)


@strawberry.type
class ReportQueries:
    @field(
        description="Reports waiting for (or decided by) the viewer's moderation, newest "
        "first: every report for a platform moderator, their clubs' reports for a club's "
        "owners and moderators; empty for anyone else."
    )
    async def moderation_queue(
        self,
        info: Info,
        status: Annotated[
            ReportStatus, strawberry.argument(description="Open or decided reports.")
        ] = ReportStatus.OPEN,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Report]:
        asked = window(info, first, after, last, before)
        page = await report_reads.queue(info.context.loaders, status.value, asked)
        found: Connection[Report] = to_connection(page, lambda row: Report(record=row))
        return found


@strawberry.type
class ReportMutations:
    @mutation(
        description="Report a club, a peer badge, a profile or an award you can see (signed "
        "in). One open report per target: reporting again answers the open one. A club's "
        "matters go to its moderators, others to the platform moderators."
    )
    async def report(self, info: Info, input: Annotated[ReportInput, INPUT]) -> ReportResult:
        async def command() -> str:
            kind, target = _target(input.target_id)
            data = {
                "target_type": kind,
                "target_id": target,
                "reason": input.reason.value,
                "note": input.note,
            }
            return await info.context.services.reports.report(info.context.viewer, data)

        return await as_result(command(), lambda report_id: _answer(info, report_id))

    @mutation(
        description="Decide an open report (its club's owners and moderators, or a platform "
        "moderator): HIDE the content everywhere, DISMISS it, or ESCALATE a club's report to "
        "the platform moderators. A report is decided once."
    )
    async def decide_report(
        self, info: Info, input: Annotated[DecideReportInput, INPUT]
    ) -> ReportResult:
        async def command() -> str:
            data = {
                "report_id": local(input.report_id, "Report", "reportId"),
                "decision": input.decision.value,
                "note": input.note,
            }
            return await info.context.services.reports.decide(info.context.viewer, data)

        return await as_result(command(), lambda report_id: _answer(info, report_id))
