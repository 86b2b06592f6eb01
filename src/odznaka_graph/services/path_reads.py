"""Read views of development paths: the paths the viewer may see (one, a list, a team's,
the ones they follow) and their progress on one."""

from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from odznaka_graph.clock import now
from odznaka_graph.graph_model import paths, teams
from odznaka_graph.graph_model.paths import PathFilter, PathRecord, Progress
from odznaka_graph.graph_model.teams import TeamRecord
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.visibility import can_see_path, can_see_team, path_readers

__all__ = ["PathFilter", "PathRecord", "Progress", "TeamRecord"]
EMPTY: Page[Any] = Page([], False, False, 0)


def _paths(loaders: Loaders) -> DataLoader[str, PathRecord | None]:
    graph, viewer_id = loaders.graph, loaders.viewer.id

    async def load(ids: Sequence[str]) -> list[PathRecord | None]:
        found = await paths.paths_by_ids(graph, list(ids), viewer_id)
        return [found.get(path_id) for path_id in ids]

    return loaders.extra("path_by_id", load)


def _viewer_holds(loaders: Loaders) -> DataLoader[str, bool]:
    """Whether the viewer holds each badge through a valid award: one query for every path
    on the page."""
    graph, viewer_id = loaders.graph, str(loaders.viewer.id)

    async def load(badge_ids: Sequence[str]) -> list[bool]:
        found = await paths.held_badges(graph, [viewer_id], list(badge_ids), now())
        held = found.get(viewer_id, set())
        return [badge_id in held for badge_id in badge_ids]

    return loaders.extra("viewer_holds_badge", load)


async def path(loaders: Loaders, path_id: str) -> PathRecord | None:
    """The path if the viewer may see it."""
    record = await _paths(loaders).load(path_id)
    return record if record is not None and can_see_path(loaders.viewer, record) else None


async def fresh_path(loaders: Loaders, path_id: str) -> PathRecord | None:
    """A path that just changed, read again."""
    forget(_paths(loaders), path_id)
    return await path(loaders, path_id)


async def viewer_progress(loaders: Loaders, record: PathRecord) -> Progress | None:
    """The signed-in viewer's progress on a path, from their valid awards."""
    viewer_id = loaders.viewer.id
    if viewer_id is None:
        return None
    flags = await _viewer_holds(loaders).load_many(record.badge_ids)
    held = {badge_id for badge_id, has in zip(record.badge_ids, flags, strict=True) if has}
    return progress(record, viewer_id, held)


async def visible_paths(loaders: Loaders, spec: PathFilter, window: Window) -> Page[PathRecord]:
    """Paths matching the filter that the viewer may see, newest first."""
    readers = path_readers(loaders.viewer.id)
    return await paths.paths(loaders.graph, spec, readers, window)


async def team_paths(loaders: Loaders, team_id: str, window: Window) -> Page[PathRecord]:
    """A team's paths that the viewer may see, newest first."""
    return await visible_paths(loaders, PathFilter(team_id=team_id), window)


async def followed_paths(loaders: Loaders, user_id: str, window: Window) -> Page[PathRecord]:
    """The viewer's own followed paths (still visible to them); empty for anyone else."""
    if loaders.viewer.id != user_id:
        return EMPTY
    return await paths.followed(loaders.graph, path_readers(user_id), window)


async def team(loaders: Loaders, team_id: str) -> TeamRecord | None:
    """The team a path (or a notification) names, if the viewer is in it. Shares the
    request's `team_by_id` loader with the teams' own reads."""
    graph, viewer_id = loaders.graph, loaders.viewer.id

    async def load(ids: Sequence[str]) -> list[TeamRecord | None]:
        found = await teams.teams_by_ids(graph, list(ids), viewer_id)
        return [found.get(i) for i in ids]

    record: TeamRecord | None = await loaders.extra("team_by_id", load).load(team_id)
    return record if record is not None and can_see_team(loaders.viewer, record) else None
