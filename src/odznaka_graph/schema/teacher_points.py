"""Points a teacher gives by hand (awardPoints) and their correction (correctPoints)."""

from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.gamification import PointEvent


@strawberry.input(description="Points given (or taken) by hand to learners of a team.")
class AwardPointsInput:
    team_id: strawberry.ID = strawberry.field(description="The team (class) you teach or lead.")
    recipient_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Learners of the team (User ids), at most 200."
    )
    everyone: bool = strawberry.field(
        default=False, description="Every learner of the team instead of `recipientIds`."
    )
    amount: int = strawberry.field(description="-100 to 100 points, not 0 (negative: taken).")
    note: str = strawberry.field(description="Why, 1–200 characters; the learner sees it.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="The same key again gives nothing twice (a retry)."
    )


@strawberry.input(description="Take back points given by hand, by a correcting entry.")
class CorrectPointsInput:
    point_event_id: strawberry.ID = strawberry.field(
        description="The PointEvent given by hand (`pointHistory` of the learner, or the "
        "entries awardPoints answered)."
    )
    note: str = strawberry.field(description="Why, 1–200 characters; the learner sees it.")


@strawberry.type(description="The entries points given by hand made, one per learner.")
class PointsAwarded:
    entries: list[PointEvent] = strawberry.field(
        description="One per learner (the same ones again for a retried call)."
    )


AwardPointsResult: TypeAlias = Annotated[
    PointsAwarded | Failure,
    strawberry.union("AwardPointsResult", description="The entries made, or why not."),
]
CorrectPointsResult: TypeAlias = Annotated[
    PointEvent | Failure,
    strawberry.union("CorrectPointsResult", description="The correcting entry, or why not."),
]
