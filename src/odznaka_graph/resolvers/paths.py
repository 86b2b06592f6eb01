"""Development paths: the list the viewer may see, single reads, progress, mutations."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from odznaka_graph.clock import now
from odznaka_graph.context import Info
from odznaka_graph.graph_model import paths
from odznaka_graph.graph_model.paths import PathFilter as PathSpec
from odznaka_graph.graph_model.paths import PathRecord, Progress
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import local_id
from odznaka_graph.paging import BadCursor, Page
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import Connection, texts_input, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.paths import (
    CreatePathInput,
    FollowPathInput,
    Path,
    PathFilter,
    PathGroupInput,
    PathResult,
    PathStepInput,
    UnfollowPathInput,
    UpdatePathInput,
)
from odznaka_graph.services.loaders import forget
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.visibility import can_see_path, path_readers

MAX_TEXT = 200
EMPTY: Page[Any] = Page([], False, False, 0)


def _paths(info: Info) -> DataLoader[str, PathRecord | None]:
    graph, viewer_id = info.context.services.stores.graph, info.context.viewer.id

    async def load(ids: Sequence[str]) -> list[PathRecord | None]:
        found = await paths.paths_by_ids(graph, list(ids), viewer_id)
        return [found.get(path_id) for path_id in ids]

    return info.context.loaders.extra("path_by_id", load)


def _viewer_holds(info: Info) -> DataLoader[str, bool]:
    """Whether the viewer holds each badge through a valid award: one query for every path
    on the page."""
    graph, viewer_id = info.context.services.stores.graph, info.context.viewer.id

    async def load(badge_ids: Sequence[str]) -> list[bool]:
        found = await paths.held_badges(graph, [str(viewer_id)], list(badge_ids), now())
        held = found.get(str(viewer_id), set())
        return [badge_id in held for badge_id in badge_ids]

    return info.context.loaders.extra("viewer_holds_badge", load)


async def path_by_id(info: Info, path_id: str) -> Path | None:
    record = await _paths(info).load(path_id)
    if record is None or not can_see_path(info.context.viewer, record):
        return None
    return Path(record=record)


async def _fresh(info: Info, path_id: str) -> Path | None:
    forget(_paths(info), path_id)
    return await path_by_id(info, path_id)


async def viewer_progress(info: Info, record: PathRecord) -> Progress | None:
    viewer_id = info.context.viewer.id
    if viewer_id is None:
        return None
    flags = await _viewer_holds(info).load_many(record.badge_ids)
    held = {badge_id for badge_id, has in zip(record.badge_ids, flags, strict=True) if has}
    return progress(record, viewer_id, held)


async def _page(work: Awaitable[Page[PathRecord]]) -> Connection[Path]:
    try:
        page = await work
    except BadCursor as error:
        raise UserInputError(str(error)) from None
    return to_connection(page, lambda record: Path(record=record))


async def team_paths(
    info: Info, team_id: str, first: int | None, after: str | None
) -> Connection[Path]:
    spec = PathSpec(team_id=team_id)
    readers = path_readers(info.context.viewer.id)
    graph = info.context.services.stores.graph
    return await _page(paths.paths(graph, spec, readers, window(info, first, after, None, None)))


async def followed_paths_of(
    info: Info, user: UserRecord, first: int | None, after: str | None
) -> Connection[Path]:
    """The viewer's own followed paths (still visible to them); empty for anyone else."""
    page_window = window(info, first, after, None, None)
    if info.context.viewer.id != user.id:
        return to_connection(EMPTY, lambda record: Path(record=record))
    graph = info.context.services.stores.graph
    return await _page(paths.followed(graph, path_readers(user.id), page_window))


def _filter_id(value: str | None, type_name: str, field: str) -> str | None:
    if value is None:
        return None
    found = local_id(value, type_name)
    if found is None:
        raise UserInputError(f"`filter.{field}` is not the id of a {type_name}.")
    return found


def _spec(f: PathFilter) -> PathSpec:
    text = (f.text or "").strip()
    if len(text) > MAX_TEXT:
        raise UserInputError(f"`filter.text` has at most {MAX_TEXT} characters.")
    return PathSpec(
        text=text or None,
        organization_id=_filter_id(f.organization_id, "Organization", "organizationId"),
        team_id=_filter_id(f.team_id, "Team", "teamId"),
    )


def _steps(steps: list[PathStepInput] | None) -> list[dict[str, Any]] | None:
    if steps is None:
        return None
    return [
        {
            "key": step.key,
            "badge_id": local(step.badge_id, "Badge", f"steps.{index}.badgeId"),
            "required": step.required,
            "group": step.group,
            "prerequisites": step.prerequisites or [],
        }
        for index, step in enumerate(steps)
    ]


def _groups(groups: list[PathGroupInput] | None) -> list[dict[str, Any]]:
    return [{"key": group.key, "minimum": group.minimum} for group in groups or []]


def _badge(value: str | None) -> str | None:
    return local(value, "Badge", "completionBadgeId") if value is not None else None


def _create_data(input: CreatePathInput) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization_id": (
            local(input.organization_id, "Organization", "organizationId")
            if input.organization_id is not None
            else None
        ),
        "team_id": local(input.team_id, "Team", "teamId") if input.team_id is not None else None,
        "title": texts_input(input.title),
        "description": texts_input(input.description),
        "steps": _steps(input.steps),
        "groups": _groups(input.groups),
        "completion_badge_id": _badge(input.completion_badge_id),
    }
    if input.visibility is not None:
        data["visibility"] = input.visibility.value
    return data


def _changes(input: UpdatePathInput) -> dict[str, Any]:
    """Only the fields the client sent."""
    convert: dict[str, Callable[[Any], Any]] = {
        "title": texts_input,
        "description": texts_input,
        "visibility": lambda value: value.value if value is not None else None,
        "steps": _steps,
        "groups": _groups,
        "completion_badge_id": _badge,
    }
    return {
        name: to_data(getattr(input, name))
        for name, to_data in convert.items()
        if getattr(input, name) is not strawberry.UNSET
    }


def _path_mutation(info: Info, command: Callable[[], Awaitable[str]]) -> Awaitable[Any]:
    return as_result(command(), lambda path_id: _fresh(info, path_id))


@strawberry.type
class PathQueries:
    @field(
        description="Development paths the viewer may see, newest first: public ones, their "
        "teams' private ones, and private ones of organisations they are staff of."
    )
    async def paths(
        self,
        info: Info,
        filter: PathFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Path]:
        page_window = window(info, first, after, last, before)
        spec = _spec(filter or PathFilter())
        readers = path_readers(info.context.viewer.id)
        return await _page(
            paths.paths(info.context.services.stores.graph, spec, readers, page_window)
        )

    @field(description="A path by id; null unless the viewer may see it.")
    async def path(self, info: Info, id: strawberry.ID) -> Path | None:
        path_id = local_id(id, "Path")
        return await path_by_id(info, path_id) if path_id else None


@strawberry.type
class PathMutations:
    @mutation(
        description="Create a development path of an organisation (its staff) or of a team "
        "(its teachers or leaders)."
    )
    async def create_path(self, info: Info, input: CreatePathInput) -> PathResult:
        async def command() -> str:
            return await info.context.services.paths.create(
                info.context.viewer, _create_data(input)
            )

        return await _path_mutation(info, command)

    @mutation(description="Change a path (whoever may create it); omitted fields stay.")
    async def update_path(self, info: Info, input: UpdatePathInput) -> PathResult:
        async def command() -> str:
            path_id = local(input.path_id, "Path", "pathId")
            return await info.context.services.paths.update(
                info.context.viewer, path_id, _changes(input)
            )

        return await _path_mutation(info, command)

    @mutation(description="Follow a path; finishing it then brings its completion badge, once.")
    async def follow_path(self, info: Info, input: FollowPathInput) -> PathResult:
        async def command() -> str:
            path_id = local(input.path_id, "Path", "pathId")
            return await info.context.services.paths.follow(info.context.viewer, path_id)

        return await _path_mutation(info, command)

    @mutation(description="Stop following a path; unfollowing twice is harmless.")
    async def unfollow_path(self, info: Info, input: UnfollowPathInput) -> PathResult:
        async def command() -> str:
            path_id = local(input.path_id, "Path", "pathId")
            return await info.context.services.paths.unfollow(info.context.viewer, path_id)

        return await _path_mutation(info, command)
