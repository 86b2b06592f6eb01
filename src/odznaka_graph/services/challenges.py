"""Team challenges: a teacher or leader sets a goal with a deadline and a reward; each
learner's progress is derived from the ledgers, and a completion is recorded once.

Progress towards
- BADGES: goal badges held through a valid award issued between the start and the deadline;
- PATH: the path's progress (percent, the path rules in path_progress.py) from awards held;
- POINTS: points earned between the start and the deadline (credentials, revocations,
  streaks and points given by hand; other challenges' rewards don't count, so challenges
  cannot feed each other).
"""

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import paths as path_graph
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import challenges, credentials
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import BadgeReason, InputReason, LearningReason
from odznaka_graph.services import points, quests
from odznaka_graph.services.awards import awardable_badge
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.permissions import Action, require
from odznaka_graph.services.quests import RequirementInput
from odznaka_graph.services.teams import TeamService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_path
from odznaka_graph.standard import Model

MAX_DURATION = timedelta(days=366)
POINT_GOAL_REASONS = (
    points.EARNED,
    points.REVOKED,
    points.STREAK,
    points.TEACHER,
    points.TEACHER_CORRECTION,
)
REWARD_KEYS = uuid.UUID("0b6f7a52-3c1e-4d8f-9a27-6e5b4c3d2f10")


class GoalInput(Model):
    kind: Literal["BADGES", "PATH", "POINTS"]
    badge_ids: Annotated[list[str], Field(max_length=20)] = []
    path_id: str | None = None
    points: Annotated[int, Field(gt=0, le=100_000)] | None = None

    @model_validator(mode="after")
    def _shape(self) -> "GoalInput":
        needs = {
            "BADGES": (bool(self.badge_ids), "badge_ids", "Name 1 to 20 badges to earn."),
            "PATH": (self.path_id is not None, "path_id", "Name the path to finish."),
            "POINTS": (self.points is not None, "points", "Give the number of points."),
        }
        given, _, message = needs[self.kind]
        if not given:
            raise ValueError(message)
        return self


class ChallengeInput(Model):
    team_id: str
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=2000)] = ""
    goal: GoalInput
    starts_at: datetime | None = None
    ends_at: datetime
    reward_points: Annotated[int, Field(ge=0, le=1000)] = 0
    reward_badge_id: str | None = None
    idempotency_key: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    requires: RequirementInput | None = None  # quests (issue 15)

    @field_validator("ends_at")
    @classmethod
    def _window(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        """Checked with the other fields, so every fault is reported at once."""
        if "starts_at" not in info.data:
            return ends_at  # the start is faulty itself: reported on its own
        problem = window_problem(info.data["starts_at"] or now(), ends_at)
        if problem:
            raise ValueError(problem)
        return ends_at


def reward_key(challenge_id: str, account_id: str) -> str:
    return str(uuid.uuid5(REWARD_KEYS, f"{challenge_id}:{account_id}"))


def window_problem(starts: datetime, ends: datetime) -> str | None:
    if ends.tzinfo is None or starts.tzinfo is None:
        return "Give dates with a time zone."
    if ends <= starts:
        return "The deadline must come after the start."
    if ends - starts > MAX_DURATION:
        return "A challenge lasts at most a year."
    if ends <= now():
        return "The deadline has passed already."
    return None


class ChallengeService:
    def __init__(self, stores: Stores, teams: TeamService) -> None:
        self.stores = stores
        self.teams = teams

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        team = await self.teams.access(viewer, str(data.get("team_id")))
        require(Action.CREATE_CHALLENGE, viewer, team.role)
        requirement = await self._check(viewer, team.team_id, data)
        request = parse(ChallengeInput, data)
        starts = request.starts_at or now()
        key = request.idempotency_key or new_id()

        async def work(conn: AsyncConnection) -> str:
            assert viewer.id is not None
            found = await challenges.by_key(conn, viewer.id, key)
            if found is not None:
                return _replayed(found, request)
            if request.reward_badge_id is not None:
                # The reward is awarded in the teacher's name: they must be able to award it.
                await awardable_badge(conn, viewer, request.reward_badge_id)
            challenge_id = new_id()
            values = _values(challenge_id, team.team_id, request, starts, viewer.id, key)
            values |= requirement
            await challenges.insert(conn, **values)
            await record(
                conn,
                actor_id=viewer.id,
                action="challenge.created",
                subject_type="Challenge",
                subject_id=challenge_id,
                payload=_announced(values),
            )
            return challenge_id

        return await self.stores.commit(work)

    async def _check(
        self, viewer: Viewer, team_id: str, data: dict[str, Any]
    ) -> dict[str, str | None]:
        """Every fault of the input at once: its shape, its dates, the path and badges it
        names (one read each, whatever their number) and what unlocks it (quests.py);
        the requirement's columns."""
        fields: dict[str, str] = {}
        try:
            parse(ChallengeInput, data)
        except ValidationFailed as failed:
            fields = failed.fields
        raw_goal = data.get("goal")
        goal: dict[str, Any] = raw_goal if isinstance(raw_goal, dict) else {}
        path_id, badge_ids = goal.get("path_id"), goal.get("badge_ids")
        if goal.get("kind") == "PATH" and isinstance(path_id, str):
            found = await path_graph.paths_by_ids(self.stores.graph, [path_id], viewer.id)
            if path_id not in found or not can_see_path(viewer, found[path_id]):
                fields.setdefault("goal.path_id", "No such path.")
        if isinstance(badge_ids, list) and badge_ids and "goal.badge_ids" not in fields:
            async with self.stores.ledger.reading() as conn:
                published = await credentials.published_ids(conn, [str(i) for i in badge_ids])
            for index, badge_id in enumerate(badge_ids):
                if badge_id not in published:
                    fields.setdefault(f"goal.badge_ids.{index}", "No such published badge.")
        requirement = await quests.resolve(self.stores, viewer, team_id, data.get("requires"))
        fields |= {k: v for k, v in requirement.fields.items() if k not in fields}
        if fields:
            raise ValidationFailed(fields, reason=_reason(fields))
        return requirement.values

    async def challenge(self, viewer: Viewer, challenge_id: str) -> ChallengeRow:
        """A challenge of a team the viewer may see; NotFound for anyone else."""
        async with self.stores.ledger.reading() as conn:
            found = (await challenges.by_ids(conn, [challenge_id])).get(challenge_id)
        if found is None:
            raise NotFound("No such challenge.", reason=LearningReason.CHALLENGE_NOT_FOUND)
        await self.teams.access(viewer, found.team_id)
        return found


def _replayed(found: ChallengeRow, request: ChallengeInput) -> str:
    if found.team_id != request.team_id or found.title != request.title:
        raise Conflict(
            "This idempotency key was used for a different challenge.",
            reason=InputReason.IDEMPOTENCY_KEY_REUSED,
        )
    return found.id


def _values(
    challenge_id: str,
    team_id: str,
    request: ChallengeInput,
    starts: datetime,
    actor: str,
    key: str,
) -> dict[str, Any]:
    return {
        "id": challenge_id,
        "team_id": team_id,
        "title": request.title,
        "description": request.description,
        "goal_kind": request.goal.kind,
        "goal_badge_ids": list(request.goal.badge_ids),
        "goal_path_id": request.goal.path_id,
        "goal_points": request.goal.points,
        "starts_at": starts,
        "ends_at": request.ends_at,
        "reward_points": request.reward_points,
        "reward_badge_id": request.reward_badge_id,
        "created_by": actor,
        "idempotency_key": key,
        "created_at": now(),
    }


def _announced(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": values["id"],
        "teamId": values["team_id"],
        "title": values["title"],
        "goalKind": values["goal_kind"],
        "startsAt": values["starts_at"].isoformat(),
        "endsAt": values["ends_at"].isoformat(),
        "rewardPoints": values["reward_points"],
    }


async def measure(
    conn: AsyncConnection,
    stores: Stores,
    challenge: ChallengeRow,
    account_ids: list[str],
    at: datetime,
    as_of: Mapping[str, datetime] | None = None,
) -> dict[str, tuple[int, int]]:
    """(current, target) for each account the challenge is unlocked for (every account,
    unless it is a quest: quests.py), in a few round trips whatever their number. A quest
    counts each account's progress from its unlocking. `as_of`: each account's progress
    at its own moment (every account given one), not now: what completions are judged by
    (challenge_completion.py), so judging later gives the same answer."""
    since_each: dict[str, datetime] | None = None
    if quests.is_quest(challenge):
        opened = await quests.unlocked(conn, [challenge], account_ids, at)
        since_each = {
            a: since
            for (_, a), since in opened.items()
            if as_of is None or since <= as_of[a]  # unlocked by then
        }
        account_ids = [a for a in account_ids if a in since_each]
        if not account_ids:
            return {}
    if challenge.goal_kind == "POINTS":
        found = await points.totals_between(
            conn,
            account_ids,
            challenge.starts_at,
            challenge.ends_at,
            POINT_GOAL_REASONS,
            since_each,
            as_of,
        )
        target = challenge.goal_points or 1
        return {a: (min(max(found.get(a, 0), 0), target), target) for a in account_ids}
    if challenge.goal_kind == "BADGES":
        goal = challenge.goal_badge_ids
        held = await challenges.held_badges(
            conn, account_ids, goal, challenge.starts_at, challenge.ends_at, at, since_each, as_of
        )
        return {a: (len(held.get(a, set())), len(goal)) for a in account_ids}
    return await _path_progress(conn, stores, challenge, account_ids, at, as_of)


async def _path_progress(
    conn: AsyncConnection,
    stores: Stores,
    challenge: ChallengeRow,
    account_ids: list[str],
    at: datetime,
    as_of: Mapping[str, datetime] | None,
) -> dict[str, tuple[int, int]]:
    path_id = challenge.goal_path_id or ""
    path = (await path_graph.paths_by_ids(stores.graph, [path_id], None)).get(path_id)
    if path is None:  # the path is gone: nobody can finish it
        return {a: (0, 100) for a in account_ids}
    held = await challenges.held_badges(
        conn, account_ids, path.badge_ids, None, None, at, None, as_of
    )
    return {a: (progress(path, a, held.get(a, set())).percent, 100) for a in account_ids}


def _reason(fields: dict[str, str]) -> LearningReason | BadgeReason | InputReason:
    """The reason of the first kind of fault, as these were refused one by one before."""
    if "goal.path_id" in fields:
        return LearningReason.PATH_NOT_FOUND
    if any(name.startswith("goal.badge_ids.") for name in fields):
        return BadgeReason.BADGE_NOT_PUBLISHED
    if "ends_at" in fields:
        return LearningReason.CHALLENGE_WINDOW_INVALID
    if any(name.startswith(f"{quests.FIELD}.") for name in fields):
        return quests.reason(fields)
    return InputReason.INVALID_INPUT
