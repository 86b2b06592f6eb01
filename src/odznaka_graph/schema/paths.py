"""Development paths: steps over badges, elective groups, progress derived from awards."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.paths import (
    Blocked,
    GroupProgress,
    GroupRecord,
    PathRecord,
    Progress,
    StepRecord,
)
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.schema.arguments import UserInputError
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import (
    NODE_ID,
    Failure,
    Node,
    TextInput,
    Translation,
    localized,
    localized_name,
    translations_of,
)
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.organizations import Organization
from odznaka_graph.schema.teams import Team
from odznaka_graph.services import badge_reads, organization_reads, path_reads

MAX_TEXT = 200


@describe_values(
    PUBLIC="Everyone.",
    ORGANIZATION="The organisation's owners, admins and issuers.",
    TEAM="The team's members.",
)
@strawberry.enum(description="Who sees a path.")
class PathVisibility(Enum):
    PUBLIC = "PUBLIC"
    ORGANIZATION = "ORGANIZATION"
    TEAM = "TEAM"


@strawberry.type(description="One step of a path: earn this badge.")
class PathStep:
    record: strawberry.Private[StepRecord]

    @field(description="The step's key, unique within its path.")
    def key(self) -> str:
        return self.record.key

    @field(description="Whether the path needs this step (electives are not).")
    def required(self) -> bool:
        return self.record.required

    @field(description="The elective group the step belongs to, if any.")
    def group(self) -> str | None:
        return self.record.group

    @field(description="Keys of the steps to do first.")
    def prerequisites(self) -> list[str]:
        return self.record.prerequisites

    @field(description="The badge to earn.")
    async def badge(self, info: Info) -> Badge | None:
        record = await badge_reads.badge(info.context.loaders, self.record.badge_id)
        return Badge(record=record) if record else None


@strawberry.type(description="Electives: any `minimum` of the group's steps will do.")
class PathGroup:
    record: strawberry.Private[GroupRecord]
    step_keys: list[str] = strawberry.field(description="Keys of the group's steps.")

    @field(description="The group's key, unique within its path.")
    def key(self) -> str:
        return self.record.key

    @field(description="How many of its steps finish the group.")
    def minimum(self) -> int:
        return self.record.minimum


def _steps(records: list[StepRecord]) -> list[PathStep]:
    return [PathStep(record=record) for record in records]


def _group(record: GroupRecord, steps: list[StepRecord]) -> PathGroup:
    keys = [step.key for step in steps if step.group == record.key]
    return PathGroup(record=record, step_keys=keys)


@strawberry.type(description="A step that waits for others to be done first.")
class BlockedStep:
    record: strawberry.Private[Blocked]

    @field(description="The step.")
    def step(self) -> PathStep:
        return PathStep(record=self.record.step)

    @field(description="The prerequisites not done yet.")
    def waiting_for(self) -> list[PathStep]:
        return _steps(self.record.waiting_for)


@strawberry.type(description="How far along an elective group is.")
class GroupProgressEntry:
    record: strawberry.Private[GroupProgress]

    @field(description="The group.")
    def group(self) -> PathGroup:
        return PathGroup(
            record=self.record.group, step_keys=[step.key for step in self.record.steps]
        )

    @field(description="How many of its steps are done.")
    def done(self) -> int:
        return self.record.done

    @field(description="Whether its minimum is reached.")
    def satisfied(self) -> bool:
        return self.record.satisfied


@strawberry.type(
    description="Progress on a path, derived from valid (unrevoked, unexpired) awards; "
    "never stored."
)
class PathProgress:
    record: strawberry.Private[Progress]

    @field(description="The path.")
    def path(self) -> "Path":
        return Path(record=self.record.path)

    @field(description="0–100: required steps and group minimums done; 100 = finished.")
    def percent(self) -> int:
        return self.record.percent

    @field(description="Every required step and each group's minimum are done.")
    def finished(self) -> bool:
        return self.record.finished

    @field(description="Steps done, in path order.")
    def completed_steps(self) -> list[PathStep]:
        return _steps(self.record.done)

    @field(description="Steps to do next: not done, prerequisites done, and still needed.")
    def next_steps(self) -> list[PathStep]:
        return _steps(self.record.next)

    @field(description="Steps not done whose prerequisites are not all done.")
    def blocked_steps(self) -> list[BlockedStep]:
        return [BlockedStep(record=blocked) for blocked in self.record.blocked]

    @field(description="Each elective group's progress.")
    def groups(self) -> list[GroupProgressEntry]:
        return [GroupProgressEntry(record=group) for group in self.record.groups]


@strawberry.type(description="A development path: steps over badges towards a goal.")
class Path(Node):
    record: strawberry.Private[PathRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Path", self.record.id))

    title = localized_name("title", "The title in the best matching language.")
    description = localized("description", "The description in the best matching language.")

    @field(description="Who sees the path.")
    def visibility(self) -> PathVisibility:
        return PathVisibility(self.record.visibility)

    @field(description="The steps, in order.")
    def steps(self) -> list[PathStep]:
        return _steps(self.record.steps)

    @field(description='Elective groups ("any 2 of these 4").')
    def groups(self) -> list[PathGroup]:
        return [_group(group, self.record.steps) for group in self.record.groups]

    @field(description="The organisation the path belongs to.")
    async def organization(self, info: Info) -> Organization | None:
        loaders = info.context.loaders
        record = await organization_reads.organization(loaders, self.record.organization_id)
        return Organization(record=record) if record else None

    @field(description="The team whose path this is; null unless the viewer is in it.")
    async def team(self, info: Info) -> Team | None:
        if self.record.team_id is None:
            return None
        record = await path_reads.team(info.context.loaders, self.record.team_id)
        return Team(record=record) if record else None

    @field(description="The badge awarded automatically to followers who finish.")
    async def completion_badge(self, info: Info) -> Badge | None:
        badge_id = self.record.completion_badge_id
        record = await badge_reads.badge(info.context.loaders, badge_id) if badge_id else None
        return Badge(record=record) if record else None

    @field(description="How many people follow the path.")
    def follower_count(self) -> int:
        return self.record.follower_count

    @field(description="Whether the signed-in viewer follows the path.")
    def viewer_follows(self) -> bool:
        return self.record.viewer_follows

    @field(description="The signed-in viewer's progress; null when signed out.")
    async def viewer_progress(self, info: Info) -> PathProgress | None:
        found = await path_reads.viewer_progress(info.context.loaders, self.record)
        return PathProgress(record=found) if found else None

    @field(description="When the path was created.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="When the path was last changed.")
    def updated_at(self) -> datetime:
        return self.record.updated_at

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)


@strawberry.input(description="One step: a badge, required or elective, with prerequisites.")
class PathStepInput:
    key: str = strawberry.field(description="Unique within the path: letters, digits, _ or -.")
    badge_id: strawberry.ID = strawberry.field(description="A published, public badge.")
    required: bool | None = strawberry.field(
        default=None, description="Default: required, unless the step is in a group."
    )
    group: str | None = strawberry.field(
        default=None, description="Key of the elective group the step belongs to."
    )
    prerequisites: list[str] | None = strawberry.field(
        default=None, description="Keys of steps of this path to do first (no cycles)."
    )


@strawberry.input(description="An elective group: any `minimum` of its steps.")
class PathGroupInput:
    key: str = strawberry.field(description="Unique within the path.")
    minimum: int = strawberry.field(description="At least 1, at most the group's size.")


@strawberry.input(
    description="A new path of an organisation (its staff) or of a team (its "
    "teachers or leaders); give exactly one of organizationId and teamId."
)
class CreatePathInput:
    title: list[TextInput] = strawberry.field(description="At least one language.")
    steps: list[PathStepInput] = strawberry.field(description="1 to 50 steps, in order.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The owning organisation."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The owning team (its organisation owns the path too)."
    )
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What the path leads to, per language."
    )
    visibility: PathVisibility | None = strawberry.field(
        default=None,
        description="PUBLIC, or private: ORGANIZATION (an organisation's path) or TEAM (a "
        "team's path). Default: TEAM for a team's path, else PUBLIC.",
    )
    groups: list[PathGroupInput] | None = strawberry.field(
        default=None, description="Elective groups the steps refer to."
    )
    completion_badge_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A published badge of the owning organisation that the creator may award.",
    )


@strawberry.input(description="Changes to a path; fields left out stay as they are.")
class UpdatePathInput:
    path_id: strawberry.ID = strawberry.field(description="The path.")
    title: list[TextInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The path's title, per language."
    )
    description: list[TextInput] | None = strawberry.field(
        default=strawberry.UNSET, description="What the path leads to, per language."
    )
    visibility: PathVisibility | None = strawberry.field(
        default=strawberry.UNSET, description="Who may see it."
    )
    steps: list[PathStepInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces every step."
    )
    groups: list[PathGroupInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces every group."
    )
    completion_badge_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Null removes the completion badge."
    )


@strawberry.input(description="The path to follow.")
class FollowPathInput:
    path_id: strawberry.ID = strawberry.field(description="The path.")


@strawberry.input(description="The path to stop following.")
class UnfollowPathInput:
    path_id: strawberry.ID = strawberry.field(description="The path.")


@strawberry.input(description="Path filters; all given ones must hold.")
class PathFilter:
    text: str | None = strawberry.field(default=None, description="Part of a title.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this organisation's paths."
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this team's paths."
    )


def path_filter(f: PathFilter) -> path_reads.PathFilter:
    """The filter a client sent, checked, as the path list reads it."""
    text = (f.text or "").strip()
    if len(text) > MAX_TEXT:
        raise UserInputError(f"`filter.text` has at most {MAX_TEXT} characters.")
    return path_reads.PathFilter(
        text=text or None,
        organization_id=_filter_id(f.organization_id, "Organization", "organizationId"),
        team_id=_filter_id(f.team_id, "Team", "teamId"),
    )


def _filter_id(value: str | None, type_name: str, field: str) -> str | None:
    if value is None:
        return None
    found = local_id(value, type_name)
    if found is None:
        raise UserInputError(f"`filter.{field}` is not the id of a {type_name}.")
    return found


PathResult: TypeAlias = Annotated[
    Path | Failure, strawberry.union("PathResult", description="The path, or why not.")
]
