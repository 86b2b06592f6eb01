"""Teams and classes: the root read (members only) and membership mutations."""

from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.resolvers.accounts import client_address
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, Id
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.common import texts_input
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.teams import (
    AddTeamMemberInput,
    ApproveJoinRequestInput,
    CreateTeamInput,
    JoinRequested,
    JoinTeamInput,
    JoinTeamResult,
    LeaveTeamInput,
    LeaveTeamResult,
    RejectJoinRequestInput,
    RemoveTeamMemberInput,
    RotateTeamCodeInput,
    SetTeamJoinApprovalInput,
    Team,
    TeamLeft,
    TeamResult,
)
from odznaka_graph.services import team_reads
from odznaka_graph.services.teams import Joined


async def team_by_id(info: Info, team_id: str) -> Team | None:
    record = await team_reads.team(info.context.loaders, team_id)
    return Team(record=record) if record is not None else None


async def _changed(info: Info, team_id: str) -> Team:
    return Team(record=await team_reads.changed_team(info.context.loaders, team_id))


async def _joined(info: Info, joined: Joined) -> Any:
    if joined.asked:
        return JoinRequested(message="Your request was sent; a teacher will let you in.")
    return await _changed(info, joined.team_id)


async def _answer(
    info: Info, input: Annotated[ApproveJoinRequestInput, INPUT], *, approve: bool
) -> TeamResult:
    async def command() -> str:
        team_id = local(input.team_id, "Team", "teamId")
        user_id = local(input.user_id, "User", "userId")
        return await info.context.services.teams.answer_join(
            info.context.viewer, team_id, user_id, approve
        )

    return await as_result(command(), lambda team_id: _changed(info, team_id))


async def _left(team_id: str) -> TeamLeft:
    return TeamLeft(team_id=strawberry.ID(to_global("Team", team_id)))


@strawberry.type
class TeamQueries:
    @field(description="A team or class by id; null unless the viewer is a member.")
    async def team(self, info: Info, id: Id) -> Team | None:
        team_id = local_id(id, "Team")
        return await team_by_id(info, team_id) if team_id else None


@strawberry.type
class TeamMutations:
    @mutation(
        description="Create a class or business team under an organisation (its staff); the "
        "creator becomes its teacher or leader."
    )
    async def create_team(self, info: Info, input: Annotated[CreateTeamInput, INPUT]) -> TeamResult:
        async def command() -> str:
            data = {
                "organization_id": local(input.organization_id, "Organization", "organizationId"),
                "name": texts_input(input.name),
                "kind": input.kind.value,
            }
            return await info.context.services.teams.create(info.context.viewer, data)

        return await as_result(command(), lambda team_id: _changed(info, team_id))

    @mutation(description="Add someone to the team, or change their role (teachers, leaders).")
    async def add_team_member(
        self, info: Info, input: Annotated[AddTeamMemberInput, INPUT]
    ) -> TeamResult:
        async def command() -> str:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "user_id": local(input.user_id, "User", "userId"),
                "role": input.role.value,
            }
            return await info.context.services.teams.add_member(info.context.viewer, data)

        return await as_result(command(), lambda team_id: _changed(info, team_id))

    @mutation(
        description="Take someone out of the team (teachers, leaders); the last teacher or "
        "leader stays."
    )
    async def remove_team_member(
        self, info: Info, input: Annotated[RemoveTeamMemberInput, INPUT]
    ) -> TeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            user_id = local(input.user_id, "User", "userId")
            return await info.context.services.teams.remove_member(
                info.context.viewer, team_id, user_id
            )

        return await as_result(command(), lambda team_id: _changed(info, team_id))

    @mutation(description="Leave a team; the last teacher or leader cannot.")
    async def leave_team(
        self, info: Info, input: Annotated[LeaveTeamInput, INPUT]
    ) -> LeaveTeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            return await info.context.services.teams.leave(info.context.viewer, team_id)

        return await as_result(command(), _left)

    @mutation(
        description="Join a class or team with its code (or ask to, when the team wants "
        "approval); joining twice is harmless. Attempts are limited per account and per "
        "client address (JOIN_MAX_ATTEMPTS...); codes expire after JOIN_CODE_DAYS."
    )
    async def join_team(self, info: Info, input: Annotated[JoinTeamInput, INPUT]) -> JoinTeamResult:
        work = info.context.services.teams.join(
            info.context.viewer, {"code": input.code}, client_address(info)
        )
        return await as_result(work, lambda joined: _joined(info, joined))

    @mutation(description="Whether joining by code waits for a teacher's (leader's) approval.")
    async def set_team_join_approval(
        self, info: Info, input: Annotated[SetTeamJoinApprovalInput, INPUT]
    ) -> TeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            return await info.context.services.teams.set_join_approval(
                info.context.viewer, team_id, input.join_approval
            )

        return await as_result(command(), lambda team_id: _changed(info, team_id))

    @mutation(description="Let someone who asked to join in (teachers, leaders).")
    async def approve_join_request(
        self, info: Info, input: Annotated[ApproveJoinRequestInput, INPUT]
    ) -> TeamResult:
        return await _answer(info, input, approve=True)

    @mutation(description="Turn away someone who asked to join (teachers, leaders).")
    async def reject_join_request(
        self, info: Info, input: Annotated[RejectJoinRequestInput, INPUT]
    ) -> TeamResult:
        return await _answer(info, input, approve=False)

    @mutation(description="Give the team a new code; the old one stops working.")
    async def rotate_team_code(
        self, info: Info, input: Annotated[RotateTeamCodeInput, INPUT]
    ) -> TeamResult:
        async def command() -> str:
            team_id = local(input.team_id, "Team", "teamId")
            return await info.context.services.teams.rotate_code(info.context.viewer, team_id)

        return await as_result(command(), lambda team_id: _changed(info, team_id))
