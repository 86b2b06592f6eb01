"""Reports and the moderation queue (issue 15)."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.ids import to_global
from odznaka_graph.ledger.reports import ReportRow
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values, field


@describe_values(
    SPAM="Advertising or junk.",
    ABUSE="Harassment, threats or hate.",
    PERSONAL_DATA="Someone's personal data shown without their consent.",
    INAPPROPRIATE="Not fit for the platform (e.g. for pupils).",
    OTHER="Something else (say what in the note).",
)
@strawberry.enum(description="Why something is reported.")
class ReportReason(Enum):
    SPAM = "SPAM"
    ABUSE = "ABUSE"
    PERSONAL_DATA = "PERSONAL_DATA"
    INAPPROPRIATE = "INAPPROPRIATE"
    OTHER = "OTHER"


@describe_values(
    OPEN="Waiting for a moderator.",
    DECIDED="Decided (see `decision`).",
)
@strawberry.enum(description="Where a report stands.")
class ReportStatus(Enum):
    OPEN = "OPEN"
    DECIDED = "DECIDED"


@describe_values(
    HIDE="Hide the content from every read path.",
    DISMISS="Nothing to do: close the report.",
    ESCALATE="Hand a club's report to the platform moderators (it stays open).",
)
@strawberry.enum(description="A moderator's decision on a report.")
class ReportDecision(Enum):
    HIDE = "HIDE"
    DISMISS = "DISMISS"
    ESCALATE = "ESCALATE"


@describe_values(
    CLUB="The club's owners and moderators decide.",
    PLATFORM="The platform moderators decide.",
)
@strawberry.enum(description="Whose queue a report is in.")
class ReportScope(Enum):
    CLUB = "CLUB"
    PLATFORM = "PLATFORM"


@strawberry.type(description="A report about a club, a peer badge, a profile or an award.")
class Report:
    record: strawberry.Private[ReportRow]

    @field(description="The report's global id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Report", self.record.id))

    @field(description="The global id of what is reported (a Club, Badge, User or Award).")
    def target_id(self) -> strawberry.ID:
        return strawberry.ID(to_global(self.record.target_type, self.record.target_id))

    @field(description="The kind of what is reported: Club, Badge, User or Award.")
    def target_type(self) -> str:
        return self.record.target_type

    @field(description="Whose queue it is in.")
    def scope(self) -> ReportScope:
        return ReportScope(self.record.scope)

    @field(description="Why it was reported.")
    def report_reason(self) -> ReportReason:
        return ReportReason(self.record.reason)

    @field(description="The reporter's note.")
    def note(self) -> str | None:
        return self.record.note

    @field(description="Where it stands.")
    def status(self) -> ReportStatus:
        return ReportStatus(self.record.status)

    @field(description="When it was sent.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="The decision that closed it (HIDE or DISMISS).")
    def decision(self) -> ReportDecision | None:
        return ReportDecision(self.record.decision) if self.record.decision else None

    @field(description="When it was decided.")
    def decided_at(self) -> datetime | None:
        return self.record.decided_at

    @field(description="The moderator's note on the decision.")
    def decision_note(self) -> str | None:
        return self.record.decision_note


@strawberry.input(description="Report a club, a peer badge, a profile or an award.")
class ReportInput:
    target_id: strawberry.ID = strawberry.field(
        description="The global id of a Club, Badge, User or Award you can see."
    )
    reason: ReportReason = strawberry.field(description="Why.")
    note: str | None = strawberry.field(
        default=None, description="What is wrong, for the moderators (at most 1000 characters)."
    )


@strawberry.input(description="A moderator's decision on an open report.")
class DecideReportInput:
    report_id: strawberry.ID = strawberry.field(description="The open report.")
    decision: ReportDecision = strawberry.field(description="What to do.")
    note: str | None = strawberry.field(
        default=None, description="Why, for the audit trail (at most 1000 characters)."
    )


ReportResult: TypeAlias = Annotated[
    Report | Failure,
    strawberry.union("ReportResult", description="The report, or why not."),
]
