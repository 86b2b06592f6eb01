"""Team challenges: a goal, a deadline, a reward, and everyone's progress."""

import asyncio
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.clock import now
from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import NODE_ID, Failure, Node
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.leaderboards import Leaderboard, LeaderboardEntry, challenge_board
from odznaka_graph.schema.paths import Path
from odznaka_graph.services import challenge_reads, team_reads
from odznaka_graph.services.challenge_reads import ChallengeRow

if TYPE_CHECKING:
    from odznaka_graph.schema.teams import Team

TeamRef = Annotated["Team", strawberry.lazy("odznaka_graph.schema.teams")]


@strawberry.enum(description="What a challenge asks for.")
class ChallengeGoalKind(Enum):
    BADGES = strawberry.enum_value(
        "BADGES", description="Earn all these badges between the start and the deadline."
    )
    PATH = strawberry.enum_value("PATH", description="Finish this development path.")
    POINTS = strawberry.enum_value(
        "POINTS", description="Collect this many points between the start and the deadline."
    )


@describe_values(
    UPCOMING="Has not started.",
    OPEN="Running: between start and deadline.",
    ENDED="Past its deadline.",
    CANCELLED="Cancelled by its teacher or leader before its deadline (completions stay).",
)
@strawberry.enum(description="Where a challenge is in time.")
class ChallengeStatus(Enum):
    UPCOMING = "UPCOMING"
    OPEN = "OPEN"
    ENDED = "ENDED"
    CANCELLED = "CANCELLED"


@strawberry.type(description="A challenge's goal.")
class ChallengeGoal:
    record: strawberry.Private[ChallengeRow]

    @field(description="Badges, a path or points.")
    def kind(self) -> ChallengeGoalKind:
        return ChallengeGoalKind(self.record.goal_kind)

    @field(description="The badges to earn (those the viewer may see).")
    async def badges(self, info: Info) -> list[Badge]:
        # Gathered, so the badge loader reads them in one batch, not one by one.
        visibility = info.context.loaders.visibility
        found = await asyncio.gather(*(visibility.badge(i) for i in self.record.goal_badge_ids))
        return [Badge(record=record) for record in found if record is not None]

    @field(description="The path to finish.")
    async def path(self, info: Info) -> Path | None:
        path_id = self.record.goal_path_id
        record = await challenge_reads.goal_path(info.context.loaders, path_id) if path_id else None
        return Path(record=record) if record is not None else None

    @field(description="The points to collect.")
    def points(self) -> int | None:
        return self.record.goal_points


@strawberry.type(
    description="A time-boxed goal in a team, set by its teacher or leader; completing it "
    "gives its reward once."
)
class Challenge(Node):
    record: strawberry.Private[ChallengeRow]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Challenge", self.record.id))

    @field(description="The title.")
    def title(self) -> str:
        return self.record.title

    @field(description="What it is about.")
    def description(self) -> str:
        return self.record.description

    @field(description="What it asks for.")
    def goal(self) -> ChallengeGoal:
        return ChallengeGoal(record=self.record)

    @field(description="When it opens.")
    def starts_at(self) -> datetime:
        return self.record.starts_at

    @field(description="The deadline.")
    def ends_at(self) -> datetime:
        return self.record.ends_at

    @field(description="Upcoming, open or ended, now.")
    def status(self) -> ChallengeStatus:
        if self.record.cancelled_at is not None:
            return ChallengeStatus.CANCELLED
        at = now()
        if at < self.record.starts_at:
            return ChallengeStatus.UPCOMING
        return ChallengeStatus.OPEN if at < self.record.ends_at else ChallengeStatus.ENDED

    @field(description="When it was cancelled, if it was.")
    def cancelled_at(self) -> datetime | None:
        return self.record.cancelled_at

    @field(description="Points for completing it.")
    def reward_points(self) -> int:
        return self.record.reward_points

    @field(description="A badge for completing it, if any.")
    async def reward_badge(self, info: Info) -> Badge | None:
        badge_id = self.record.reward_badge_id
        record = await info.context.loaders.visibility.badge(badge_id) if badge_id else None
        return Badge(record=record) if record is not None else None

    @field(description="The team.")
    async def team(self, info: Info) -> TeamRef | None:
        from odznaka_graph.schema.teams import Team  # teams list their challenges

        record = await team_reads.team(info.context.loaders, self.record.team_id)
        return Team(record=record) if record is not None else None

    @field(description="When it was set.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(
        description="What unlocks it for a learner (a quest), or null: until they hold all "
        "it names, it is locked for them."
    )
    def requires(self) -> "ChallengeRequirement | None":
        found = self.record
        unlocked_by = found.requires_challenge_id or found.requires_badge_id
        return ChallengeRequirement(record=found) if unlocked_by else None

    @field(
        description="Whether it is locked for the viewer (a quest they have not unlocked: "
        "their progress does not count yet, and its leaderboard leaves them out); null "
        "for those who are not learners of the team."
    )
    async def viewer_locked(self, info: Info) -> bool | None:
        return await challenge_reads.viewer_locked(info.context.loaders, self.record)

    @field(
        description="Everyone's progress, best first: the teacher's view of the whole class "
        "in one query (the same few round trips for any class size). A quest's board ranks "
        "only the learners it is unlocked for."
    )
    async def leaderboard(self, info: Info) -> Leaderboard:
        return await challenge_board(info, self.record)

    @field(description="The viewer's own progress; null for teachers and leaders.")
    async def viewer_progress(self, info: Info) -> LeaderboardEntry | None:
        board = await challenge_board(info, self.record)
        return board.viewer_entry()


@strawberry.type(
    description="What unlocks a quest for a learner: all it names (a previous challenge "
    "of the team completed, a badge held); BADGES and POINTS goals count from the unlocking."
)
class ChallengeRequirement:
    record: strawberry.Private[ChallengeRow]

    @field(description="The challenge of the same team to complete first, if any.")
    async def challenge(self, info: Info) -> Challenge | None:
        required = self.record.requires_challenge_id
        if required is None:
            return None
        found = await challenge_reads.challenge_row(info.context.loaders, required)
        return Challenge(record=found) if found is not None else None

    @field(description="The badge to hold, if any (those the viewer may see).")
    async def badge(self, info: Info) -> Badge | None:
        badge_id = self.record.requires_badge_id
        record = await info.context.loaders.visibility.badge(badge_id) if badge_id else None
        return Badge(record=record) if record is not None else None

    @field(description="The path whose step the badge is, when it was named as a step.")
    async def path(self, info: Info) -> Path | None:
        path_id = self.record.requires_path_id
        record = await challenge_reads.goal_path(info.context.loaders, path_id) if path_id else None
        return Path(record=record) if record is not None else None


@strawberry.input(
    description="What unlocks a challenge for a learner (a quest): a previous challenge of "
    "the team completed, and/or a badge held, named or as a path's step (`pathId` and "
    "`stepKey`)."
)
class ChallengeRequirementInput:
    challenge_id: strawberry.ID | None = strawberry.field(
        default=None, description="A challenge of the same team to complete first."
    )
    badge_id: strawberry.ID | None = strawberry.field(
        default=None, description="A published badge to hold."
    )
    path_id: strawberry.ID | None = strawberry.field(
        default=None, description="A path, with `stepKey`: its step's badge to hold."
    )
    step_key: str | None = strawberry.field(default=None, description="The step of `pathId`.")


@strawberry.input(description="What a new challenge asks for: fill the field of its kind.")
class ChallengeGoalInput:
    kind: ChallengeGoalKind = strawberry.field(description="Badges, a path or points.")
    badge_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="BADGES: 1 to 20 published badges."
    )
    path_id: strawberry.ID | None = strawberry.field(default=None, description="PATH: the path.")
    points: int | None = strawberry.field(default=None, description="POINTS: 1 to 100,000.")


@strawberry.input(description="A new challenge in a team (its teacher or leader).")
class CreateChallengeInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    title: str = strawberry.field(description="1–200 characters.")
    description: str = strawberry.field(default="", description="Up to 2000 characters.")
    goal: ChallengeGoalInput = strawberry.field(description="What it asks for.")
    starts_at: datetime | None = strawberry.field(
        default=None, description="When it opens; now if not given."
    )
    ends_at: datetime = strawberry.field(description="The deadline; at most a year later.")
    reward_points: int = strawberry.field(default=0, description="0–1000 points on completion.")
    reward_badge_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A published badge given on completion, in the creator's name (they "
        "must be able to award it).",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key again to get the same challenge back."
    )
    requires: ChallengeRequirementInput | None = strawberry.field(
        default=None, description="What unlocks it for a learner (a quest); nothing if not given."
    )


ChallengeResult: TypeAlias = Annotated[
    Challenge | Failure,
    strawberry.union("ChallengeResult", description="The challenge, or why not."),
]


@strawberry.input(description="Change a challenge before its deadline (its teacher or leader).")
class UpdateChallengeInput:
    challenge_id: strawberry.ID = strawberry.field(description="The challenge.")
    title: str | None = strawberry.field(default=None, description="1–200 characters.")
    description: str | None = strawberry.field(default=None, description="Up to 2000 characters.")
    ends_at: datetime | None = strawberry.field(
        default=None, description="A new deadline: later than now, at most a year after the start."
    )
    requires: ChallengeRequirementInput | None = strawberry.field(
        default=None,
        description="What unlocks it from now on (replaces what did); `{}`: nothing. The "
        "challenges of a team never unlock each other in a circle.",
    )


@strawberry.input(description="Cancel a challenge before its deadline (its teacher or leader).")
class CancelChallengeInput:
    challenge_id: strawberry.ID = strawberry.field(description="The challenge.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for the audit trail (at most 500 characters)."
    )
