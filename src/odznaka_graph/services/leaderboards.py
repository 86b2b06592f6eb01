"""Leaderboards of a team (points in a window) or of one of its challenges (progress).

Ranks: learners with the same score share a rank and the next rank skips (1, 2, 2, 4);
within a score the order is by name, then id, so it never shuffles between requests.
Who sees a board (asked of the visibility service): the team's teachers and leaders, all
of it; a learner, themselves and the classmates whose profile shows them their awards (as
the class's live activity does; ranked among those, so no gap betrays a hidden one); the
organisation's owners and admins from outside the class, all but the learners who keep
their rank in the class or block them. Nobody finds someone who blocks them.
A quest's board (quests.py) ranks only the learners it is unlocked for.
Windows are in Polish time: this week from Monday, this term from 1 February or
1 September (the Polish school year's halves), all time.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import DomainError, NotFound
from odznaka_graph.graph_model.gamification import Learner, TeamBoard
from odznaka_graph.graph_model.teams import TeamAccess
from odznaka_graph.ledger import challenges
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.outcomes import LearningReason, TeamReason
from odznaka_graph.services import points
from odznaka_graph.services.base import Stores
from odznaka_graph.services.challenges import measure
from odznaka_graph.services.permissions import Action, require_staff, signed_in
from odznaka_graph.services.quests import is_quest
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility_service import Visibility

T = TypeVar("T")


class BoardWindow(StrEnum):
    WEEK = "WEEK"
    TERM = "TERM"
    ALL_TIME = "ALL_TIME"


def term_start(at: datetime) -> datetime:
    local = at.astimezone(points.WARSAW)
    if local.month >= 9:
        return datetime(local.year, 9, 1, tzinfo=points.WARSAW)
    if local.month >= 2:
        return datetime(local.year, 2, 1, tzinfo=points.WARSAW)
    return datetime(local.year - 1, 9, 1, tzinfo=points.WARSAW)


def window_start(window: BoardWindow, at: datetime) -> datetime | None:
    if window is BoardWindow.WEEK:
        return points.week_of(at)
    if window is BoardWindow.TERM:
        return term_start(at)
    return None


@dataclass(frozen=True)
class Entry:
    rank: int
    learner: Learner
    score: int
    target: int | None = None  # a challenge's goal
    completed_at: datetime | None = None


@dataclass(frozen=True)
class Board:
    team_id: str
    challenge: ChallengeRow | None
    window: BoardWindow
    since: datetime | None
    until: datetime | None
    entries: list[Entry]
    viewer_id: str | None
    outside: bool  # the viewer is not in the team: hidden learners are left out


def ranked(scored: list[tuple[Learner, int]]) -> list[tuple[int, Learner, int]]:
    ordered = sorted(scored, key=lambda pair: (-pair[1], pair[0].display_name.lower(), pair[0].id))
    return [(rank, learner, score) for rank, (learner, score) in shared_ranks(ordered)]


def shared_ranks(ordered: list[tuple[T, int]]) -> list[tuple[int, tuple[T, int]]]:
    """Ranks of (item, score) pairs ordered best first: equal scores share a rank and the
    next rank skips (1, 2, 2, 4). Houses are ranked by it too."""
    result, rank, previous = [], 0, None
    for position, pair in enumerate(ordered, start=1):
        if pair[1] != previous:
            rank, previous = position, pair[1]
        result.append((rank, pair))
    return result


class LeaderboardService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def board(
        self,
        viewer: Viewer,
        team_id: str,
        challenge_id: str | None,
        window: BoardWindow,
        visibility: Visibility,
    ) -> Board:
        signed_in(viewer)
        found: TeamBoard | None = await visibility.team_board.load(team_id)
        if found is None:
            raise NotFound("No such team.", reason=TeamReason.TEAM_NOT_FOUND)
        role, outside = await self._access(viewer, found.access)
        learners = found.learners
        left_out: set[str] = set()
        if outside:  # ranked in the class, then left out
            left_out = {
                x.id for x in learners if x.keeps_rank_in_class or x.blocks_viewer or x.hidden
            }
        else:
            learners = visibility.shares_progress_among(learners, role)
        ids = [learner.id for learner in learners]
        at = now()
        measured: dict[str, tuple[int, int]] = {}
        done: dict[tuple[str, str], datetime] = {}
        since: datetime | None
        until: datetime | None
        async with self.stores.ledger.reading() as conn:
            challenge = await _challenge(conn, team_id, challenge_id) if challenge_id else None
            if challenge is not None:
                measured = await measure(conn, self.stores, challenge, ids, at)
                done = await challenges.completions(conn, [challenge.id], None)
                since, until = challenge.starts_at, challenge.ends_at
                scores = {a: current for a, (current, _) in measured.items()}
            else:
                since, until = window_start(window, at), None
                scores = await points.totals_between(conn, ids, since, None)
        if challenge is not None and is_quest(challenge):  # ranks those it is unlocked for
            learners = [x for x in learners if x.id in measured]
        entries = [
            Entry(
                rank,
                learner,
                score,
                measured[learner.id][1] if learner.id in measured else None,
                done.get((challenge.id, learner.id)) if challenge else None,
            )
            for rank, learner, score in ranked([(x, scores.get(x.id, 0)) for x in learners])
            if learner.id not in left_out
        ]
        return Board(team_id, challenge, window, since, until, entries, viewer.id, outside)

    async def _access(self, viewer: Viewer, found: TeamAccess) -> tuple[str | None, bool]:
        """The viewer's role in the team, and whether they look from outside it: a member
        looks from inside; the organisation's owners and admins from outside; for anyone
        else the team does not exist."""
        if found.role is not None:
            return found.role, False
        try:
            async with self.stores.ledger.reading() as conn:
                await require_staff(
                    conn, viewer, found.organization_id, Action.SEE_TEAM_LEADERBOARDS
                )
        except DomainError:
            raise NotFound("No such team.", reason=TeamReason.TEAM_NOT_FOUND) from None
        return None, True


async def _challenge(conn: AsyncConnection, team_id: str, challenge_id: str) -> ChallengeRow:
    found = (await challenges.by_ids(conn, [challenge_id])).get(challenge_id)
    if found is None or found.team_id != team_id:
        raise NotFound("No such challenge in this team.", reason=LearningReason.CHALLENGE_NOT_FOUND)
    return found
