"""School classes and business teams: creating them, membership, and the class code.

Teams are community graph data, so changes go to Neo4j directly (the "last teacher stays"
check must run in the same graph transaction as the removal) and then leave an audit row;
their outbox events have no projection handler and are simply marked done.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import team_joins, teams
from odznaka_graph.graph_model.team_joins import JoinRequest
from odznaka_graph.graph_model.teams import TeamAccess
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import pupils as pupil_rows
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import (
    AccountReason,
    ClubReason,
    OrganizationReason,
    PupilReason,
    TeamReason,
)
from odznaka_graph.services import throttling
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import (
    TEAM_MANAGERS,
    Action,
    allowed,
    require,
    require_staff,
    signed_in,
)
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import manages_class
from odznaka_graph.standard import Model, Texts
from odznaka_graph.vocabulary import TeamRole

# No 0/O, 1/I/L, or vowels-that-read-as-digits mix-ups: a code read aloud in class is typed
# right. 31^6 ≈ 887 million codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
CODE_ATTEMPTS = 5
NAME_MAX = 200

# The role a creator gets, and the roles that fit each kind of team.
CREATOR_ROLE = {"CLASS": TeamRole.TEACHER, "BUSINESS_TEAM": TeamRole.LEADER}
JOIN_ROLE = {"CLASS": TeamRole.STUDENT, "BUSINESS_TEAM": TeamRole.MEMBER}
KIND_ROLES = {
    "CLASS": {TeamRole.TEACHER, TeamRole.STUDENT},
    "BUSINESS_TEAM": {TeamRole.LEADER, TeamRole.MEMBER},
}
JOIN_ROLES = {kind: role.value for kind, role in JOIN_ROLE.items()}
MANAGERS = TEAM_MANAGERS


class TeamInput(Model):
    organization_id: str
    name: Texts
    kind: Literal["CLASS", "BUSINESS_TEAM"]


class MemberInput(Model):
    team_id: str
    user_id: str
    role: TeamRole


class CodeInput(Model):
    code: Annotated[str, Field(min_length=1, max_length=40)]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalized_code(given: str) -> str:
    """The stored form of a code as someone typed it: upper case, no dashes or spaces."""
    return "".join(ch for ch in given.upper() if ch.isalnum())


def shown_code(code: str) -> str:
    """7K4MPQ → 7K4-MPQ."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


@dataclass(frozen=True)
class ManagedClass:
    team_id: str
    organization_id: str
    actor: str  # the teacher or admin acting


@dataclass(frozen=True)
class Joined:
    team_id: str
    asked: bool  # the team wants approval: a teacher or leader answers the request


class TeamService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    def _code_expiry(self) -> datetime:
        return now() + timedelta(days=self.stores.settings.join_code_days)

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(TeamInput, data)
        _check_name(request.name)
        team_id = new_id()

        async def work(conn: AsyncConnection) -> str:
            actor = await require_staff(conn, viewer, request.organization_id, Action.CREATE_TEAM)
            fields = {
                "id": team_id,
                "organization_id": request.organization_id,
                "name": request.name,
                "kind": request.kind,
                "created_at": now(),
                "created_by": actor,
            }
            await self._write_new(fields, CREATOR_ROLE[request.kind].value)
            await _audit(conn, actor, "team.created", team_id, _payload(fields))
            return team_id

        return await self.stores.commit(work)

    async def _write_new(self, fields: dict[str, Any], role: str) -> None:
        for _ in range(CODE_ATTEMPTS):
            code = {"code": new_code(), "code_expires_at": self._code_expiry()}
            outcome = await teams.create_team(self.stores.graph, fields | code, role)
            if outcome == "NOT_READY":
                raise Conflict(
                    "The organisation is still being set up; try again shortly.",
                    reason=OrganizationReason.ORGANIZATION_NOT_READY,
                )
            if outcome == "CREATED":
                return
        raise Conflict(
            "Could not find a free class code; try again.", reason=TeamReason.NO_FREE_JOIN_CODE
        )

    async def access(self, viewer: Viewer, team_id: str) -> TeamAccess:
        """The viewer's standing in a team they may see; NotFound for outsiders, so that
        nobody learns which teams exist."""
        found = await teams.access(self.stores.graph, team_id, viewer.id)
        if found is None or not allowed(Action.SEE_TEAM, viewer, found.role):
            signed_in(viewer)
            raise NotFound("No such team.", reason=TeamReason.TEAM_NOT_FOUND)
        return found

    async def managed(self, viewer: Viewer, team_id: str) -> TeamAccess:
        found = await self.access(viewer, team_id)
        require(Action.MANAGE_TEAM, viewer, found.role)
        return found

    async def class_managed(self, viewer: Viewer, team_id: str) -> ManagedClass:
        """A class whose pupils the viewer manages (its teacher, the school's admin);
        NotFound for anyone who may not see it, NOT_A_CLASS for a business team."""
        found = await self.access_or_admin(viewer, team_id)
        if found.kind != "CLASS":
            raise ValidationFailed(
                {"team_id": "Pupils are enrolled in a school class."},
                reason=PupilReason.NOT_A_CLASS,
            )
        if not manages_class(viewer, found.kind, found.role, found.staff_role):
            require(Action.MANAGE_TEAM, viewer, found.role)  # a pupil of the class: denied
        return ManagedClass(found.team_id, found.organization_id, signed_in(viewer))

    async def class_manager_or_none(self, viewer: Viewer, team_id: str) -> ManagedClass | None:
        found = await teams.access(self.stores.graph, team_id, viewer.id)
        if found is None or not manages_class(viewer, found.kind, found.role, found.staff_role):
            return None
        return ManagedClass(found.team_id, found.organization_id, signed_in(viewer))

    async def access_or_admin(self, viewer: Viewer, team_id: str) -> TeamAccess:
        """As `access`, a class also for the school's admins."""
        found = await teams.access(self.stores.graph, team_id, viewer.id)
        if found is not None and manages_class(viewer, found.kind, None, found.staff_role):
            return found
        return await self.access(viewer, team_id)

    async def add_member(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Add someone (or change their role); the role must fit the kind of team."""
        request = parse(MemberInput, data)
        team = await self.managed(viewer, request.team_id)
        if request.role not in KIND_ROLES[team.kind]:
            allowed_roles = " or ".join(sorted(KIND_ROLES[team.kind]))
            raise ValidationFailed(
                {"role": f"A {_kind_name(team.kind)} has {allowed_roles}."},
                reason=TeamReason.ROLE_NOT_IN_KIND,
            )
        outcome = await teams.add_member(
            self.stores.graph, team.team_id, request.user_id, request.role.value, MANAGERS, now()
        )
        if outcome is None:
            raise NotFound("No such user.", reason=AccountReason.USER_NOT_FOUND)
        if outcome == "LAST_MANAGER":
            raise Conflict(_last_manager(team.kind), reason=TeamReason.LAST_MANAGER)
        if outcome != "UNCHANGED":
            payload = {"userId": request.user_id, "role": request.role.value}
            await self._audit(viewer, f"team.member_{outcome.lower()}", team.team_id, payload)
        return team.team_id

    async def remove_member(self, viewer: Viewer, team_id: str, user_id: str) -> str:
        team = await self.managed(viewer, team_id)
        if user_id == viewer.id:
            raise ValidationFailed(
                {"user_id": "To leave the team yourself, use leaveTeam."},
                reason=TeamReason.USE_LEAVE_TEAM,
            )
        await self._remove(viewer, team, user_id, "team.member_removed")
        return team.team_id

    async def leave(self, viewer: Viewer, team_id: str) -> str:
        team = await self.access(viewer, team_id)
        await self._remove(viewer, team, signed_in(viewer), "team.member_left")
        return team.team_id

    async def _remove(self, viewer: Viewer, team: TeamAccess, user_id: str, action: str) -> None:
        outcome = await teams.remove_member(self.stores.graph, team.team_id, user_id, MANAGERS)
        if outcome == "NOT_MEMBER":
            raise NotFound("Not a member of this team.", reason=ClubReason.NOT_A_MEMBER)
        if outcome == "LAST_MANAGER":
            raise Conflict(_last_manager(team.kind), reason=TeamReason.LAST_MANAGER)
        await self._audit(viewer, action, team.team_id, {"userId": user_id})
        async with self.stores.ledger.transaction() as conn:  # an enrolled pupil (issue 15)
            await pupil_rows.remove_from_roster(conn, team.team_id, user_id, now())

    async def join(self, viewer: Viewer, data: dict[str, Any], client: str | None = None) -> Joined:
        """Join by a live code as a student (or team member), or ask to when the team wants
        approval; joining twice changes nothing. Every attempt counts against the account
        and the client address (services/throttling.py), so codes cannot be guessed."""
        user_id = signed_in(viewer)
        code = normalized_code(parse(CodeInput, data).code)
        attempts = throttling.join(self.stores.settings, user_id, client)
        await throttling.admit(
            self.stores.ledger,
            attempts,
            "Too many join attempts; wait.",
            TeamReason.JOIN_CODE_THROTTLED,
        )
        found = await team_joins.join_by_code(self.stores.graph, code, user_id, JOIN_ROLES, now())
        if found is None:
            raise NotFound(
                "No team has this code, or it has expired. Ask your teacher.",
                reason=TeamReason.JOIN_CODE_INVALID,
            )
        team_id, outcome = found
        if outcome != "ALREADY":
            action = "team.join_requested" if outcome == "ASKED" else "team.member_joined"
            await self._audit(viewer, action, team_id, {"userId": user_id})
        return Joined(team_id, outcome == "ASKED")

    async def rotate_code(self, viewer: Viewer, team_id: str) -> str:
        """A new class code, live for JOIN_CODE_DAYS; the old one stops working at once."""
        team = await self.managed(viewer, team_id)
        for _ in range(CODE_ATTEMPTS):
            if await teams.set_code(
                self.stores.graph, team.team_id, new_code(), self._code_expiry()
            ):
                await self._audit(viewer, "team.code_rotated", team.team_id, {})
                return team.team_id
        raise Conflict(
            "Could not find a free class code; try again.", reason=TeamReason.NO_FREE_JOIN_CODE
        )

    async def set_join_approval(self, viewer: Viewer, team_id: str, approval: bool) -> str:
        """Whether joining by code waits for a teacher's (or leader's) approval."""
        team = await self.managed(viewer, team_id)
        await team_joins.set_join_approval(self.stores.graph, team.team_id, approval)
        await self._audit(viewer, "team.join_approval_set", team.team_id, {"on": approval})
        return team.team_id

    async def answer_join(self, viewer: Viewer, team_id: str, user_id: str, approve: bool) -> str:
        team = await self.managed(viewer, team_id)
        graph = self.stores.graph
        if not await team_joins.answer_request(
            graph, team.team_id, user_id, approve, JOIN_ROLES, now()
        ):
            raise NotFound(
                "This person has not asked to join.", reason=ClubReason.JOIN_REQUEST_NOT_FOUND
            )
        action = "team.member_joined" if approve else "team.join_rejected"
        await self._audit(viewer, action, team.team_id, {"userId": user_id})
        return team.team_id

    async def join_requests(self, viewer: Viewer, team_id: str) -> list[JoinRequest] | None:
        """Who waits for approval: for the team's teachers and leaders, else None."""
        found = await teams.access(self.stores.graph, team_id, viewer.id)
        if found is None or not allowed(Action.MANAGE_TEAM, viewer, found.role):
            return None
        return await team_joins.join_requests(self.stores.graph, team_id)

    async def _audit(
        self, viewer: Viewer, action: str, team_id: str, payload: dict[str, Any]
    ) -> None:
        actor = signed_in(viewer)

        async def work(conn: AsyncConnection) -> None:
            await _audit(conn, actor, action, team_id, payload)

        await self.stores.commit(work)


async def _audit(
    conn: AsyncConnection, actor: str, action: str, team_id: str, payload: dict[str, Any]
) -> None:
    # The outbox event this also writes has no projection handler: it is marked done.
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="Team",
        subject_id=team_id,
        payload={"id": team_id, "actorId": actor, **payload},
    )


def _check_name(name: dict[str, str]) -> None:
    if not name:
        raise ValidationFailed(
            {"name": "Give the team a name in at least one language."},
            reason=TeamReason.TEAM_NAME_MISSING,
        )
    if any(len(text) > NAME_MAX for text in name.values()):
        raise ValidationFailed(
            {"name": f"A name has at most {NAME_MAX} characters."},
            reason=TeamReason.TEAM_NAME_TOO_LONG,
        )


def _kind_name(kind: str) -> str:
    return "class" if kind == "CLASS" else "business team"


def _last_manager(kind: str) -> str:
    who = "teacher" if kind == "CLASS" else "leader"
    return f"A {_kind_name(kind)} keeps at least one {who}: add another {who} first."


def _payload(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()}
