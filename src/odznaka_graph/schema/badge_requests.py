"""Badge requests (issue 15): a learner's request for an organisation's badge, with
evidence; its staff's decision."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.ledger.badge_requests import BadgeRequestRow
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services import badge_reads


@describe_values(
    OPEN="Waiting for the organisation's staff.",
    APPROVED="Approved: the badge was awarded (see `award`).",
    DECLINED="Declined, with a reason (see `declineReason`).",
)
@strawberry.enum(description="Where a badge request stands.")
class BadgeRequestStatus(Enum):
    OPEN = "OPEN"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"


@strawberry.type(description="A learner's request for an organisation's badge, with evidence.")
class BadgeRequest:
    record: strawberry.Private[BadgeRequestRow]
    base_url: strawberry.Private[str]

    @field(description="The request's global id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("BadgeRequest", self.record.id))

    @field(description="Where it stands.")
    def status(self) -> BadgeRequestStatus:
        return BadgeRequestStatus(self.record.status)

    @field(description="The badge asked for; null if you may no longer see it.")
    async def badge(self, info: Info) -> Badge | None:
        record = await badge_reads.badge(info.context.loaders, self.record.badge_id)
        return Badge(record=record) if record else None

    @field(description="Who asked; null when not there for you.")
    async def learner(self, info: Info) -> User | None:
        record = await info.context.loaders.visibility.person(self.record.learner_id)
        return User(record=record) if record else None

    @field(description="The learner's own words: what they did to earn it.")
    def narrative(self) -> str:
        return self.record.narrative

    @field(description="A link the learner gave as evidence.")
    def link(self) -> str | None:
        return self.record.link

    @field(
        description="The uploaded evidence file (a picture or PDF), served to the learner "
        "and the organisation's staff with their bearer token."
    )
    def evidence_file_url(self) -> str | None:
        if self.record.file_id is None:
            return None
        return f"{self.base_url.rstrip('/')}/files/{self.record.file_id}"

    @field(description="When it was sent.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="When it was approved or declined.")
    def decided_at(self) -> datetime | None:
        return self.record.decided_at

    @field(description="Why it was declined, in the staff member's words.")
    def decline_reason(self) -> str | None:
        return self.record.decline_reason

    @field(description="The award an approval made; null before, or if you may not see it.")
    async def award(self, info: Info) -> Award | None:
        if self.record.award_id is None:
            return None
        record = await info.context.loaders.visibility.award(self.record.award_id)
        return Award(record=record) if record is not None else None


@strawberry.input(description="Ask an organisation for one of its published badges.")
class RequestBadgeInput:
    badge_id: strawberry.ID = strawberry.field(
        description="A published badge of an organisation (not a club's peer badge)."
    )
    narrative: str = strawberry.field(
        description="What you did to earn it (3–2000 characters); becomes the award's evidence."
    )
    link: str | None = strawberry.field(default=None, description="A link to your work.")
    evidence_file_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A file you uploaded to POST /files/evidence (a picture or a PDF).",
    )


@strawberry.input(description="A badge request to approve.")
class ApproveBadgeRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The open request.")


@strawberry.input(description="A badge request to decline, and why.")
class DeclineBadgeRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The open request.")
    reason: str = strawberry.field(description="Why (3–1000 characters); the learner sees it.")


BadgeRequestResult: TypeAlias = Annotated[
    BadgeRequest | Failure,
    strawberry.union("BadgeRequestResult", description="The badge request, or why not."),
]
