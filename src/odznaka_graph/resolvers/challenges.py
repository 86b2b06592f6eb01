"""challenge(id:), createChallenge (Team.challenges reads services/challenge_reads.py), and
points given by hand (awardPoints, correctPoints)."""

from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError
from odznaka_graph.ids import local_id
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, Id
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.challenges import (
    CancelChallengeInput,
    Challenge,
    ChallengeResult,
    CreateChallengeInput,
    UpdateChallengeInput,
)
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.gamification import PointEvent
from odznaka_graph.schema.teacher_points import (
    AwardPointsInput,
    AwardPointsResult,
    CorrectPointsInput,
    CorrectPointsResult,
    PointsAwarded,
)
from odznaka_graph.services.gamification_reads import PointEvent as PointEventRow


async def challenge_by_id(info: Info, challenge_id: str) -> Challenge | None:
    try:
        found = await info.context.services.challenges.challenge(info.context.viewer, challenge_id)
    except DomainError:
        return None
    return Challenge(record=found)


def _goal(data: Any) -> dict[str, Any]:
    return {
        "kind": data.kind.value,
        "badge_ids": [
            local(b, "Badge", f"goal.badgeIds.{i}") for i, b in enumerate(data.badge_ids or [])
        ],
        "path_id": local(data.path_id, "Path", "goal.pathId") if data.path_id else None,
        "points": data.points,
    }


def _requires(data: Any) -> dict[str, Any] | None:
    """What unlocks a quest, with its ids made local (None: not given)."""
    if data is None:
        return None
    named = {"challenge_id": "Challenge", "badge_id": "Badge", "path_id": "Path"}
    found: dict[str, Any] = {
        key: local(value, kind, f"requires.{key}") if value else None
        for key, kind in named.items()
        for value in [getattr(data, key)]
    }
    return found | {"step_key": data.step_key}


@strawberry.type
class ChallengeQueries:
    @field(description="A challenge, for the members of its team; else null.")
    async def challenge(self, info: Info, id: Id) -> Challenge | None:
        challenge_id = local_id(id, "Challenge")
        return await challenge_by_id(info, challenge_id) if challenge_id else None


@strawberry.type
class ChallengeMutations:
    @mutation(
        description="Set a challenge in a team (its teacher or leader): a goal (badges, a "
        "path or points), a start and a deadline, a reward in points and optionally a badge. "
        "Each learner's completion is recorded once, with its reward."
    )
    async def create_challenge(
        self, info: Info, input: Annotated[CreateChallengeInput, INPUT]
    ) -> ChallengeResult:
        async def command() -> str:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "title": input.title,
                "description": input.description,
                "goal": _goal(input.goal),
                "starts_at": input.starts_at,
                "ends_at": input.ends_at,
                "reward_points": input.reward_points,
                "reward_badge_id": local(input.reward_badge_id, "Badge", "rewardBadgeId")
                if input.reward_badge_id
                else None,
                "idempotency_key": input.idempotency_key,
                "requires": _requires(input.requires),
            }
            return await info.context.services.challenges.create(info.context.viewer, data)

        async def created(challenge_id: str) -> Challenge:
            found = await info.context.services.challenges.challenge(
                info.context.viewer, challenge_id
            )
            return Challenge(record=found)

        return await as_result(command(), created)


async def _changed(info: Info, challenge_id: str) -> Challenge:
    found = await info.context.services.challenges.challenge(info.context.viewer, challenge_id)
    return Challenge(record=found)


@strawberry.type
class ChallengeChangeMutations:
    @mutation(
        description="Change a challenge's title, description or deadline before it ends "
        "(its teacher or leader); its goal and reward stay, as learners work towards them."
    )
    async def update_challenge(
        self, info: Info, input: Annotated[UpdateChallengeInput, INPUT]
    ) -> ChallengeResult:
        async def command() -> str:
            data = {
                "challenge_id": local(input.challenge_id, "Challenge", "challengeId"),
                "title": input.title,
                "description": input.description,
                "ends_at": input.ends_at,
                "requires": _requires(input.requires),
            }
            changes = info.context.services.challenge_changes
            return await changes.update(info.context.viewer, data)

        return await as_result(command(), lambda found: _changed(info, found))

    @mutation(
        description="Cancel a challenge before it ends (its teacher or leader): no more "
        "completions; those recorded stay, with their rewards."
    )
    async def cancel_challenge(
        self, info: Info, input: Annotated[CancelChallengeInput, INPUT]
    ) -> ChallengeResult:
        async def command() -> str:
            data = {
                "challenge_id": local(input.challenge_id, "Challenge", "challengeId"),
                "reason": input.reason,
            }
            changes = info.context.services.challenge_changes
            return await changes.cancel(info.context.viewer, data)

        return await as_result(command(), lambda found: _changed(info, found))


@strawberry.type
class PointMutations:
    @mutation(
        description="Give (or take) points by hand to learners of a team you teach or lead, "
        "with a note they see: through the points ledger, once per learner and call "
        "(`idempotencyKey`), audited; counts towards POINTS challenges and leaderboards."
    )
    async def award_points(
        self, info: Info, input: Annotated[AwardPointsInput, INPUT]
    ) -> AwardPointsResult:
        async def command() -> list[PointEventRow]:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "recipient_ids": [
                    local(r, "User", f"recipientIds.{i}") for i, r in enumerate(input.recipient_ids)
                ],
                "everyone": input.everyone,
                "amount": input.amount,
                "note": input.note,
                "idempotency_key": input.idempotency_key,
            }
            return await info.context.services.teacher_points.give(info.context.viewer, data)

        async def given(entries: list[PointEventRow]) -> PointsAwarded:
            return PointsAwarded(entries=[PointEvent(record=entry) for entry in entries])

        return await as_result(command(), given)

    @mutation(
        description="Take back points given by hand (awardPoints) by a new entry of the "
        "opposite amount, with a note; once per entry. Nothing in the ledger is edited."
    )
    async def correct_points(
        self, info: Info, input: Annotated[CorrectPointsInput, INPUT]
    ) -> CorrectPointsResult:
        async def command() -> PointEventRow:
            data = {
                "point_event_id": local(input.point_event_id, "PointEvent", "pointEventId"),
                "note": input.note,
            }
            return await info.context.services.teacher_points.correct(info.context.viewer, data)

        async def corrected(entry: PointEventRow) -> PointEvent:
            return PointEvent(record=entry)

        return await as_result(command(), corrected)
