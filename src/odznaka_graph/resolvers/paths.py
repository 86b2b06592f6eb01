"""Development paths: the list the viewer may see, single reads, progress, mutations."""

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, After, Before, First, Id, Last, described
from odznaka_graph.schema.arguments import local, window
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
    path_filter,
)
from odznaka_graph.services import path_reads


async def path_by_id(info: Info, path_id: str) -> Path | None:
    """For node(id:)."""
    record = await path_reads.path(info.context.loaders, path_id)
    return Path(record=record) if record is not None else None


async def _fresh(info: Info, path_id: str) -> Path:
    """The path a command just wrote (paths are written to the graph first)."""
    record = await path_reads.fresh_path(info.context.loaders, path_id)
    assert record is not None
    return Path(record=record)


def _connection(page: Any) -> Connection[Path]:
    connection: Connection[Path] = to_connection(page, lambda record: Path(record=record))
    return connection


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


def _create_data(input: Annotated[CreatePathInput, INPUT]) -> dict[str, Any]:
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


def _changes(input: Annotated[UpdatePathInput, INPUT]) -> dict[str, Any]:
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


@strawberry.type
class PathQueries:
    @field(
        description="Development paths the viewer may see, newest first: public ones, their "
        "teams' private ones, and private ones of organisations they are staff of."
    )
    async def paths(
        self,
        info: Info,
        filter: Annotated[
            PathFilter | None, described("Which paths; all you may see when left out.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Path]:
        asked = window(info, first, after, last, before)
        spec = path_filter(filter or PathFilter())
        return _connection(await path_reads.visible_paths(info.context.loaders, spec, asked))

    @field(description="A path by id; null unless the viewer may see it.")
    async def path(self, info: Info, id: Id) -> Path | None:
        path_id = local_id(id, "Path")
        return await path_by_id(info, path_id) if path_id else None


@strawberry.type
class PathMutations:
    @mutation(
        description="Create a development path of an organisation (its staff) or of a team "
        "(its teachers or leaders)."
    )
    async def create_path(self, info: Info, input: Annotated[CreatePathInput, INPUT]) -> PathResult:
        async def command() -> str:
            return await info.context.services.paths.create(
                info.context.viewer, _create_data(input)
            )

        return await as_result(command(), lambda path_id: _fresh(info, path_id))

    @mutation(description="Change a path (whoever may create it); omitted fields stay.")
    async def update_path(self, info: Info, input: Annotated[UpdatePathInput, INPUT]) -> PathResult:
        async def command() -> str:
            path_id = local(input.path_id, "Path", "pathId")
            return await info.context.services.paths.update(
                info.context.viewer, path_id, _changes(input)
            )

        return await as_result(command(), lambda path_id: _fresh(info, path_id))

    @mutation(description="Follow a path; finishing it then brings its completion badge, once.")
    async def follow_path(self, info: Info, input: Annotated[FollowPathInput, INPUT]) -> PathResult:
        async def command() -> str:
            path_id = local(input.path_id, "Path", "pathId")
            return await info.context.services.paths.follow(info.context.viewer, path_id)

        return await as_result(command(), lambda path_id: _fresh(info, path_id))

    @mutation(description="Stop following a path; unfollowing twice is harmless.")
    async def unfollow_path(
        self, info: Info, input: Annotated[UnfollowPathInput, INPUT]
    ) -> PathResult:
        async def command() -> str:
            path_id = local(input.path_id, "Path", "pathId")
            return await info.context.services.paths.unfollow(info.context.viewer, path_id)

        return await as_result(command(), lambda path_id: _fresh(info, path_id))
