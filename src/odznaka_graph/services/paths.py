"""Development paths: creating and editing them, following them.

A path belongs to an organisation (edited by its staff) or to one of its teams (edited by
the team's teachers or leaders). Paths are community graph data, written to Neo4j directly
with an audit row; the completion badge is awarded through the awards ledger
(services/path_completion.py), never here.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import badges, paths
from odznaka_graph.graph_model.paths import PathRecord
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import credentials, issuers
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AccountReason, LearningReason, OrganizationReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.path_completion import PathCompletion
from odznaka_graph.services.path_progress import cycle
from odznaka_graph.services.permissions import Action, allowed, require_staff, signed_in
from odznaka_graph.services.teams import TeamService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_path
from odznaka_graph.standard import Model, Texts

MAX_STEPS = 50
MAX_GROUPS = 20
TITLE_MAX = 300
KEY = r"^[A-Za-z0-9_-]+$"
Key = Annotated[str, Field(min_length=1, max_length=40, pattern=KEY)]
Visibility = Literal["PUBLIC", "ORGANIZATION", "TEAM"]


class StepInput(Model):
    key: Key
    badge_id: str
    required: bool | None = None  # None: required unless it is an elective of a group
    group: Key | None = None
    prerequisites: list[Key] = Field(default_factory=list, max_length=MAX_STEPS)


class GroupInput(Model):
    key: Key
    minimum: Annotated[int, Field(ge=1, le=MAX_STEPS)]


class PathContent(Model):
    title: Texts
    description: Texts = Field(default_factory=dict)
    visibility: Visibility
    steps: list[StepInput] = Field(min_length=1, max_length=MAX_STEPS)
    groups: list[GroupInput] = Field(default_factory=list, max_length=MAX_GROUPS)
    completion_badge_id: str | None = None


class Owner(Model):
    organization_id: str | None = None
    team_id: str | None = None


@dataclass(frozen=True)
class Owning:
    """Who a path belongs to: an organisation, and maybe one of its teams."""

    organization_id: str
    team_id: str | None

    @property
    def visibilities(self) -> set[str]:
        return {"PUBLIC", "TEAM" if self.team_id else "ORGANIZATION"}


class PathService:
    def __init__(self, stores: Stores, teams: TeamService, completion: PathCompletion) -> None:
        self.stores = stores
        self.teams = teams
        self.completion = completion

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        owner = parse(Owner, {k: data.pop(k, None) for k in ("organization_id", "team_id")})
        if (owner.organization_id is None) == (owner.team_id is None):
            raise ValidationFailed(
                {"organization_id": "Give an organisation or a team."},
                reason=LearningReason.PATH_OWNER_MISSING,
            )
        if owner.team_id is not None:
            team = await self.teams.managed(viewer, owner.team_id)
            owning = Owning(team.organization_id, team.team_id)
        else:
            owning = Owning(str(owner.organization_id), None)
        data.setdefault("visibility", "TEAM" if owning.team_id else "PUBLIC")
        content = parse(PathContent, data)
        return await self._save(viewer, new_id(), owning, content, signed_in(viewer), True)

    async def update(self, viewer: Viewer, path_id: str, changes: dict[str, Any]) -> str:
        """Change any of the fields given; steps and groups are replaced as wholes."""
        current = await self.path(viewer, path_id)
        if current.team_id is not None:
            await self.teams.managed(viewer, current.team_id)
        owning = Owning(current.organization_id, current.team_id)
        content = parse(PathContent, _content_of(current) | changes)
        return await self._save(viewer, path_id, owning, content, current.created_by, False)

    async def _save(
        self,
        viewer: Viewer,
        path_id: str,
        owning: Owning,
        content: PathContent,
        creator: str,
        creating: bool,
    ) -> str:
        errors = _shape_errors(content, owning)
        errors |= await self._badge_errors(content)

        async def work(conn: AsyncConnection) -> str:
            actor = signed_in(viewer)
            if owning.team_id is None:
                await require_staff(
                    conn, viewer, owning.organization_id, Action.EDIT_ORGANIZATION_PATHS
                )
            errors.update(await _completion_errors(conn, content, owning, creator))
            if errors:
                raise ValidationFailed(errors, reason=LearningReason.PATH_INVALID)
            fields = _fields(path_id, owning, content)
            if not await paths.save_path(self.stores.graph, fields, actor, now()):
                raise Conflict(
                    "The organisation is still being set up; try again shortly.",
                    reason=OrganizationReason.ORGANIZATION_NOT_READY,
                )
            action = "path.created" if creating else "path.updated"
            await _audit(conn, actor, action, path_id, content.model_dump(mode="json"))
            return path_id

        return await self.stores.commit(work)

    async def _badge_errors(self, content: PathContent) -> dict[str, str]:
        """Every step's badge must be published and public: whoever sees the path sees it."""
        ids = [step.badge_id for step in content.steps]
        found = await badges.badges_by_ids(self.stores.graph, ids)
        errors: dict[str, str] = {}
        seen: dict[str, str] = {}
        for index, step in enumerate(content.steps):
            badge = found.get(step.badge_id)
            field = f"steps.{index}.badge_id"
            if badge is None:
                errors[field] = "No such badge."
            elif badge.status != "PUBLISHED" or badge.visibility != "PUBLIC":
                errors[field] = "Only a published, public badge can be a step."
            elif step.badge_id in seen:
                errors[field] = f"This badge is already step “{seen[step.badge_id]}”."
            seen.setdefault(step.badge_id, step.key)
        return errors

    async def path(self, viewer: Viewer, path_id: str) -> PathRecord:
        found = await paths.paths_by_ids(self.stores.graph, [path_id], viewer.id)
        if path_id not in found or not can_see_path(viewer, found[path_id]):
            raise NotFound("No such path.", reason=LearningReason.PATH_NOT_FOUND)
        return found[path_id]

    async def follow(self, viewer: Viewer, path_id: str) -> str:
        """Follow a path; if its badges are all held already, it is finished at once."""
        user_id = signed_in(viewer)
        path = await self.path(viewer, path_id)
        if not await paths.follow(self.stores.graph, path.id, user_id, now()):
            raise Conflict(
                "Your profile is still being set up; try again in a moment.",
                reason=AccountReason.PROFILE_NOT_READY,
            )
        await self.completion.award_finished([user_id])
        return path.id

    async def unfollow(self, viewer: Viewer, path_id: str) -> str:
        user_id = signed_in(viewer)
        await paths.unfollow(self.stores.graph, path_id, user_id)
        return (await self.path(viewer, path_id)).id


def _content_of(path: PathRecord) -> dict[str, Any]:
    """A stored path as the input that would create it, for partial updates."""
    return {
        "title": path.texts.get("title", {}),
        "description": path.texts.get("description", {}),
        "visibility": path.visibility,
        "steps": [
            {
                "key": step.key,
                "badge_id": step.badge_id,
                "required": step.required,
                "group": step.group,
                "prerequisites": step.prerequisites,
            }
            for step in path.steps
        ],
        "groups": [{"key": g.key, "minimum": g.minimum} for g in path.groups],
        "completion_badge_id": path.completion_badge_id,
    }


def _shape_errors(content: PathContent, owning: Owning) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not content.title:
        errors["title"] = "Give the path a title in at least one language."
    elif any(len(title) > TITLE_MAX for title in content.title.values()):
        errors["title"] = f"A title has at most {TITLE_MAX} characters."
    if content.visibility not in owning.visibilities:
        errors["visibility"] = (
            "A team's path is PUBLIC or TEAM."
            if owning.team_id
            else "An organisation's path is PUBLIC or ORGANIZATION."
        )
    return errors | _step_errors(content) | _group_errors(content)


def _step_errors(content: PathContent) -> dict[str, str]:
    errors: dict[str, str] = {}
    keys = [step.key for step in content.steps]
    groups = {group.key for group in content.groups}
    for index, step in enumerate(content.steps):
        at = f"steps.{index}"
        if keys.index(step.key) != index:
            errors[f"{at}.key"] = "Two steps have this key."
        if step.group is not None and step.group not in groups:
            errors[f"{at}.group"] = "No elective group has this key."
        if step.group is not None and step.required:
            errors[f"{at}.required"] = "A step of an elective group is chosen, not required."
        for position, before in enumerate(step.prerequisites):
            if before == step.key:
                errors[f"{at}.prerequisites.{position}"] = "A step cannot come before itself."
            elif before not in keys:
                errors[f"{at}.prerequisites.{position}"] = "No step of this path has this key."
    loop = cycle(
        {step.key: [k for k in step.prerequisites if k != step.key] for step in content.steps}
    )
    if loop:
        index = keys.index(loop[0])
        errors.setdefault(
            f"steps.{index}.prerequisites",
            "These prerequisites go round in a circle: " + " → ".join(loop) + ".",
        )
    if not any(_required(step) for step in content.steps) and not content.groups:
        errors.setdefault("steps", "A path needs a required step or an elective group.")
    return errors


def _group_errors(content: PathContent) -> dict[str, str]:
    errors: dict[str, str] = {}
    keys = [group.key for group in content.groups]
    for index, group in enumerate(content.groups):
        size = sum(step.group == group.key for step in content.steps)
        if keys.index(group.key) != index:
            errors[f"groups.{index}.key"] = "Two groups have this key."
        elif group.minimum > size:
            errors[f"groups.{index}.minimum"] = (
                f"The group has {size} step(s): its minimum cannot be more."
            )
    return errors


def _required(step: StepInput) -> bool:
    return step.required if step.required is not None else step.group is None


async def _completion_errors(
    conn: AsyncConnection, content: PathContent, owning: Owning, creator: str
) -> dict[str, str]:
    """The completion badge is the owning organisation's, published, and one the path's
    creator may award (they are named as its awarder)."""
    badge_id = content.completion_badge_id
    if badge_id is None:
        return {}
    badge = await credentials.badge(conn, badge_id)
    field = "completion_badge_id"
    if badge is None or badge.organization_id != owning.organization_id:
        return {field: "Not a badge of the path's organisation."}
    if badge.status != "PUBLISHED":
        return {field: "Only a published badge can be awarded."}
    if badge_id in {step.badge_id for step in content.steps}:
        return {field: "The completion badge cannot also be a step."}
    role = await issuers.staff_role(conn, owning.organization_id, creator)
    if not allowed(Action.AWARD_BADGES, Viewer(creator, "USER"), role):
        return {field: "The path's creator may not award this badge."}
    return {}


def _fields(path_id: str, owning: Owning, content: PathContent) -> dict[str, Any]:
    return {
        "id": path_id,
        "organization_id": owning.organization_id,
        "team_id": owning.team_id,
        "title": content.title,
        "description": content.description,
        "visibility": content.visibility,
        "completion_badge_id": content.completion_badge_id,
        "groups": [group.model_dump() for group in content.groups],
        "steps": [step.model_dump() | {"required": _required(step)} for step in content.steps],
    }


async def _audit(
    conn: AsyncConnection, actor: str, action: str, path_id: str, payload: dict[str, Any]
) -> None:
    # The outbox event this also writes has no projection handler: it is marked done.
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="Path",
        subject_id=path_id,
        payload={"id": path_id, **payload},
    )


def team_and_path_services(stores: Stores) -> tuple[TeamService, PathService]:
    """Teams and paths, with the completion check registered as an event handler."""
    from odznaka_graph.services.bulk_awards import BulkAwardService

    teams = TeamService(stores)
    completion = PathCompletion(stores, BulkAwardService(stores))
    stores.projector.effects.register(completion.handler())
    return teams, PathService(stores, teams, completion)
