"""Quality review history, as the issuer and reviewers see it."""

from datetime import datetime
from enum import Enum

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services.review_reads import ReviewEntry


@describe_values(
    AGREEMENT_ACCEPTED="The issuer accepted the issuer agreement.",
    SUBMITTED="Sent for quality review.",
    APPROVED="A reviewer approved it.",
    REJECTED="A reviewer rejected it, with a comment.",
    ARCHIVED="Taken out of use.",
)
@strawberry.enum(description="One step of quality review.")
class ReviewStep(Enum):
    AGREEMENT_ACCEPTED = "AGREEMENT_ACCEPTED"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    ARCHIVED = "ARCHIVED"


@strawberry.type(description="Who did which review step when, with the reviewer's comment.")
class ReviewEvent:
    at: datetime = strawberry.field(description="When.")
    step: ReviewStep = strawberry.field(description="What happened.")
    comment: str | None = strawberry.field(description="The reviewer's comment, if any.")
    actor_id: strawberry.Private[str | None]

    @field(description="Who took the step; null when hidden.")
    async def actor(self, info: Info) -> User | None:
        if self.actor_id is None:
            return None
        record = await info.context.loaders.user_by_id.load(self.actor_id)
        return User(record=record) if record else None


def review_events(entries: list[ReviewEntry]) -> list[ReviewEvent]:
    return [
        ReviewEvent(at=e.at, step=ReviewStep(e.step), comment=e.comment, actor_id=e.actor_id)
        for e in entries
    ]
