"""Read views of teams and classes: a team (members only), its members and code, the
teacher's progress view, the viewer's teams; records already filtered for the viewer."""

from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import paths, teams
from odznaka_graph.graph_model.paths import PathFilter, PathRecord, Progress
from odznaka_graph.graph_model.teams import MemberRecord, TeamAccess, TeamRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.outcomes import TeamReason
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.permissions import Action, allowed
from odznaka_graph.services.teams import MANAGERS, shown_code
from odznaka_graph.services.visibility import can_see_team, path_readers
from odznaka_graph.vocabulary import TeamRole

__all__ = ["TeamAccess"]  # re-exported for the live streams

ALL_ROLES = sorted(str(role) for role in TeamRole)
LEARNERS = sorted(str(role) for role in TeamRole if role not in MANAGERS)
MAX_CLASS_PATHS = 100
EMPTY: Page[TeamRecord] = Page([], False, False, 0)


@dataclass(frozen=True)
class LearnerStanding:
    """One learner of a team and their progress on each of its paths."""

    member: MemberRecord
    progress: list[Progress]


def _teams(loaders: Loaders) -> DataLoader[str, TeamRecord | None]:
    viewer_id = loaders.viewer.id

    async def load(ids: Sequence[str]) -> list[TeamRecord | None]:
        found = await teams.teams_by_ids(loaders.graph, list(ids), viewer_id)
        return [found.get(team_id) for team_id in ids]

    return loaders.extra("team_by_id", load)


async def team(loaders: Loaders, team_id: str, fresh: bool = False) -> TeamRecord | None:
    """A team, for its members only; `fresh` reads it again after a change."""
    loader = _teams(loaders)
    if fresh:
        forget(loader, team_id)
    record = await loader.load(team_id)
    return record if record is not None and can_see_team(loaders.viewer, record) else None


async def changed_team(loaders: Loaders, team_id: str) -> TeamRecord:
    """The team a command just changed, read again."""
    found = await team(loaders, team_id, fresh=True)
    if found is None:
        raise NotFound("No such team.", reason=TeamReason.TEAM_NOT_FOUND)
    return found


def join_code(loaders: Loaders, record: TeamRecord) -> str | None:
    """The code to join with, for the team's teachers and leaders only."""
    if record.code is None or not allowed(Action.MANAGE_TEAM, loaders.viewer, record.viewer_role):
        return None
    return shown_code(record.code)


async def members(loaders: Loaders, record: TeamRecord, window: Window) -> Page[MemberRecord]:
    return await teams.members(loaders.graph, record.id, window, ALL_ROLES)


async def path_progress(
    loaders: Loaders, record: TeamRecord, window: Window
) -> Page[LearnerStanding] | None:
    """Two round trips for any class size: the team's paths, then a page of learners with
    the path badges each holds; progress is computed here. Teachers and leaders only."""
    if not allowed(Action.SEE_TEAM_PROGRESS, loaders.viewer, record.viewer_role):
        return None
    readers = path_readers(loaders.viewer.id)
    spec, most = PathFilter(team_id=record.id), Window(MAX_CLASS_PATHS)
    team_paths = [path for _, path in (await paths.paths(loaders.graph, spec, readers, most)).items]
    badge_ids = sorted({badge_id for path in team_paths for badge_id in path.badge_ids})
    page = await teams.members(loaders.graph, record.id, window, LEARNERS, badge_ids, now())
    rows = [
        (cursor, LearnerStanding(m, [progress(p, m.user_id, m.held) for p in team_paths]))
        for cursor, m in page.items
    ]
    return Page(rows, page.has_next, page.has_previous, page.total)


async def teams_of_user(loaders: Loaders, user: UserRecord, window: Window) -> Page[TeamRecord]:
    """The viewer's own teams, most recently joined first; empty for anyone else's profile."""
    if loaders.viewer.id != user.id:
        return EMPTY
    return await teams.teams_of_user(loaders.graph, user.id, window)


async def team_paths(loaders: Loaders, team_id: str, window: Window) -> Page[PathRecord]:
    """The team's development paths the viewer may see, newest first."""
    readers = path_readers(loaders.viewer.id)
    return await paths.paths(loaders.graph, PathFilter(team_id=team_id), readers, window)


async def followed_paths(loaders: Loaders, user: UserRecord, window: Window) -> Page[PathRecord]:
    """The viewer's own followed paths (still visible to them); empty for anyone else."""
    if loaders.viewer.id != user.id:
        return Page([], False, False, 0)
    return await paths.followed(loaders.graph, path_readers(user.id), window)
