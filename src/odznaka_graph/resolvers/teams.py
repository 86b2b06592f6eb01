"""Teams and classes: reads (members only), membership mutations, the teacher's view."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from odznaka_graph.clock import now
from odznaka_graph.context import Info
from odznaka_graph.graph_model import paths, teams
from odznaka_graph.graph_model.paths import PathFilter
from odznaka_graph.graph_model.teams import TeamRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.paging import BadCursor, Page, Window
from odznaka_graph.resolvers.accounts import client_address
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import Connection, texts_input, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.paths import PathProgress
from odznaka_graph.schema.teams import (
    AddTeamMemberInput,
    ApproveJoinRequestInput,
    CreateTeamInput,
    JoinRequested,
    JoinTeamInput,
    JoinTeamResult,
    LearnerProgress,
    LeaveTeamInput,
    LeaveTeamResult,
    RejectJoinRequestInput,
    RemoveTeamMemberInput,
    RotateTeamCodeInput,
    SetTeamJoinApprovalInput,
    Team,
    TeamLeft,
    TeamMember,
    TeamResult,
)
from odznaka_graph.services.loaders import forget
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.permissions import Action, allowed
from odznaka_graph.services.teams import MANAGERS, Joined, shown_code
from odznaka_graph.services.visibility import can_see_team, path_readers
from odznaka_graph.vocabulary import TeamRole

ALL_ROLES = sorted(str(role) for role in TeamRole)
LEARNERS = sorted(str(role) for role in TeamRole if role not in MANAGERS)
MAX_CLASS_PATHS = 100
EMPTY: Page[Any] = Page([], False, False, 0)


def _teams(info: Info) -> DataLoader[str, TeamRecord | None]:
    graph, viewer_id = info.context.services.stores.graph, info.context.viewer.id

    async def load(ids: Sequence[str]) -> list[TeamRecord | None]:
        found = await teams.teams_by_ids(graph, list(ids), viewer_id)
        return [found.get(team_id) for team_id in ids]

    return info.context.loaders.extra("team_by_id", load)


async def team_by_id(info: Info, team_id: str) -> Team | None:
    record = await _teams(info).load(team_id)
    if record is None or not can_see_team(info.context.viewer, record):
        return None
    return Team(record=record)


async def _fresh(info: Info, team_id: str) -> Team | None:
    forget(_teams(info), team_id)
    return await team_by_id(info, team_id)


def code_of(info: Info, record: TeamRecord) -> str | None:
    if record.code is None or not allowed(
        Action.MANAGE_TEAM, info.context.viewer, record.viewer_role
    ):
        return None
    return shown_code(record.code)


async def _page(work: Awaitable[Page[Any]]) -> Page[Any]:
    try:
        return await work
    except BadCursor as error:
        raise UserInputError(str(error)) from None


async def members_of(
    info: Info, record: TeamRecord, first: int | None, after: str | None
) -> Connection[TeamMember]:
    graph = info.context.services.stores.graph
    page = await _page(
        teams.members(graph, record.id, window(info, first, after, None, None), ALL_ROLES)
    )
    return to_connection(page, lambda member: TeamMember(record=member))


async def path_progress_of(
    info: Info, record: TeamRecord, first: int | None, after: str | None
) -> Connection[LearnerProgress] | None:
    """Two round trips for any class size: the team's paths, then a page of learners with
    the path badges each holds; progress is computed here."""
    if not allowed(Action.SEE_TEAM_PROGRESS, info.context.viewer, record.viewer_role):
        return None
    graph, page_window = info.context.services.stores.graph, window(info, first, after, None, None)
    readers = path_readers(info.context.viewer.id)
    found = await paths.paths(
        graph, PathFilter(team_id=record.id), readers, Window(MAX_CLASS_PATHS)
    )
    team_paths = [path for _, path in found.items]
    badge_ids = sorted({badge_id for path in team_paths for badge_id in path.badge_ids})
    page = await _page(teams.members(graph, record.id, page_window, LEARNERS, badge_ids, now()))

    def row(member: Any) -> LearnerProgress:
        return LearnerProgress(
            member=TeamMember(record=member),
            paths=[
                PathProgress(record=progress(p, member.user_id, member.held)) for p in team_paths
            ],
        )

    return to_connection(page, row)


async def teams_of(
    info: Info, user: UserRecord, first: int | None, after: str | None
) -> Connection[Team]:
    """The viewer's own teams, most recently joined first; empty for anyone else's profile."""
    page_window = window(info, first, after, None, None)
    if info.context.viewer.id != user.id:
        return to_connection(EMPTY, lambda record: Team(record=record))
    graph = info.context.services.stores.graph
    page = await _page(teams.teams_of_user(graph, user.id, page_window))
    return to_connection(page, lambda record: Team(record=record))


def _team_mutation(info: Info, command: Callable[[], Awaitable[str]]) -> Awaitable[Any]:
    return as_result(command(), lambda team_id: _fresh(info, team_id))


async def _joined(info: Info, joined: Joined) -> Any:
    if joined.asked:
        return JoinRequested(message="Your request was sent; a teacher will let you in.")
    return await _fresh(info, joined.team_id)


def _answer(info: Info, input: ApproveJoinRequestInput, *, approve: bool) -> Awaitable[Any]:
    async def command() -> str:
        team_id = local(input.team_id, "Team", "teamId")
        user_id = local(input.user_id, "User", "userId")
        return await info.context.services.teams.answer_join(
            info.context.viewer, team_id, user_id, approve
        )

    return _team_mutation(info, command)


async def _left(team_id: str) -> TeamLeft:
    return TeamLeft(team_id=strawberry.ID(to_global("Team", team_id)))


@strawberry.type
class TeamQueries:
    @field(description="A team or class by id; null unless the viewer is a member.")
    async def team(self, info: Info, id: strawberry.ID) -> Team | None:
        team_id = local_id(id, "Team")
        return await team_by_id(info, team_id) if team_id else None


@strawberry.type
class TeamMutations:
    @mutation(
        description="Create a class or business team under an organisation (its staff); the "
        "creator becomes its teacher or leader."
    )
    async def create_team(self, info: Info, input: CreateTeamInput) -> TeamResult:
        async def command() -> str:
            data = {
                "organization_id": local(input.organization_id, "Organization", "organizationId"),
                "name": texts_input(input.name),
                "kind": input.kind.value,
            }
            return await info.context.services.teams.create(info.context.viewer, data)

        return await _team_mutation(info, command)

    @mutation(description="Add someone to the team, or change their role (teachers, leaders).")
    async def add_team_member(self, info: Info, input: AddTeamMemberInput) -> TeamResult:
        async def command() -> str:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "user_id": local(input.user_id, "User", "userId"),
                "role": input.role.value,
            }
            return await info.context.services.teams.add_member(info.context.viewer, data)

        return await _team_mutation(info, command)

    @mutation(
        description="Take someone out of the team (teachers, leaders); the last teacher or "
        "leader stays."
    )
    async def remove_team_member(self, info: Info, input: RemoveTeamMemberInput) -> TeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            user_id = local(input.user_id, "User", "userId")
            return await info.context.services.teams.remove_member(
                info.context.viewer, team_id, user_id
            )

        return await _team_mutation(info, command)

    @mutation(description="Leave a team; the last teacher or leader cannot.")
    async def leave_team(self, info: Info, input: LeaveTeamInput) -> LeaveTeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            return await info.context.services.teams.leave(info.context.viewer, team_id)

        return await as_result(command(), _left)

    @mutation(
        description="Join a class or team with its code (or ask to, when the team wants "
        "approval); joining twice is harmless. Attempts are limited per account and per "
        "client address (JOIN_MAX_ATTEMPTS...); codes expire after JOIN_CODE_DAYS."
    )
    async def join_team(self, info: Info, input: JoinTeamInput) -> JoinTeamResult:
        work = info.context.services.teams.join(
            info.context.viewer, {"code": input.code}, client_address(info)
        )
        return await as_result(work, lambda joined: _joined(info, joined))

    @mutation(description="Whether joining by code waits for a teacher's (leader's) approval.")
    async def set_team_join_approval(
        self, info: Info, input: SetTeamJoinApprovalInput
    ) -> TeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            return await info.context.services.teams.set_join_approval(
                info.context.viewer, team_id, input.join_approval
            )

        return await _team_mutation(info, command)

    @mutation(description="Let someone who asked to join in (teachers, leaders).")
    async def approve_join_request(self, info: Info, input: ApproveJoinRequestInput) -> TeamResult:
        return await _answer(info, input, approve=True)

    @mutation(description="Turn away someone who asked to join (teachers, leaders).")
    async def reject_join_request(self, info: Info, input: RejectJoinRequestInput) -> TeamResult:
        return await _answer(info, input, approve=False)

    @mutation(description="Give the team a new code; the old one stops working.")
    async def rotate_team_code(self, info: Info, input: RotateTeamCodeInput) -> TeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            return await info.context.services.teams.rotate_code(info.context.viewer, team_id)

        return await _team_mutation(info, command)
