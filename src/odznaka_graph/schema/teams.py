"""School classes and business teams: members, the class code, the teacher's progress view."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.team_joins import JoinRequest
from odznaka_graph.graph_model.teams import MemberRecord, TeamRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import (
    NODE_ID,
    Connection,
    Failure,
    Node,
    TextInput,
    Translation,
    localized_name,
    to_connection,
    translations_of,
)
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.leaderboards import LeaderboardWindow
from odznaka_graph.schema.organizations import Organization
from odznaka_graph.schema.person import PersonFacts, PersonRow
from odznaka_graph.services import challenge_reads, house_reads, team_reads
from odznaka_graph.services.leaderboards import BoardWindow
from odznaka_graph.vocabulary import TeamRole

if TYPE_CHECKING:
    from odznaka_graph.schema.challenges import Challenge
    from odznaka_graph.schema.houses import House, HouseStanding
    from odznaka_graph.schema.paths import Path, PathProgress
    from odznaka_graph.schema.pupils import RosterPupil

_PATHS = "odznaka_graph.schema.paths"
PathRef = Annotated["Path", strawberry.lazy(_PATHS)]
PathProgressRef = Annotated["PathProgress", strawberry.lazy(_PATHS)]
ChallengeRef = Annotated["Challenge", strawberry.lazy("odznaka_graph.schema.challenges")]
RosterPupilRef = Annotated["RosterPupil", strawberry.lazy("odznaka_graph.schema.pupils")]
_HOUSES = "odznaka_graph.schema.houses"
HouseRef = Annotated["House", strawberry.lazy(_HOUSES)]
HouseStandingRef = Annotated["HouseStanding", strawberry.lazy(_HOUSES)]

strawberry.enum(
    TeamRole,
    name="TeamRole",
    description="A member's role: TEACHER and STUDENT in a class, LEADER and MEMBER in a team.",
)
describe_values(
    TEACHER="Runs a class.",
    LEADER="Runs a business team.",
    STUDENT="Learns in a class.",
    MEMBER="Belongs to a business team.",
)(TeamRole)
TeamRoleEnum: TypeAlias = TeamRole


@describe_values(
    CLASS="A school class: teachers and students.",
    BUSINESS_TEAM="A team at work: leaders and members.",
)
@strawberry.enum(description="A school class or a business team.")
class TeamKind(Enum):
    CLASS = "CLASS"
    BUSINESS_TEAM = "BUSINESS_TEAM"


@strawberry.type(description="Someone in a team, with their role.")
class TeamMember(
    PersonRow, who="member", profile="The member's profile, when it is visible to the viewer."
):
    record: strawberry.Private[MemberRecord]

    def person(self) -> PersonFacts:
        return self.record

    @field(description="The member's role in this team.")
    def role(self) -> TeamRoleEnum:
        return TeamRole(self.record.role)

    @field(description="When they joined.")
    def since(self) -> datetime:
        return self.record.since


@strawberry.type(description="One learner of a team and their progress on each of its paths.")
class LearnerProgress:
    member: TeamMember = strawberry.field(description="The learner.")
    paths: list[PathProgressRef] = strawberry.field(
        description="Progress on each of the team's paths (newest path first, at most 100)."
    )


@strawberry.type(description="A school class or business team; visible to its members only.")
class Team(Node):
    record: strawberry.Private[TeamRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Team", self.record.id))

    name = localized_name("name", "The name in the best matching language.")

    @field(description="A class or a business team.")
    def kind(self) -> TeamKind:
        return TeamKind(self.record.kind)

    @field(description="The viewer's role in the team.")
    def viewer_role(self) -> TeamRoleEnum | None:
        return TeamRole(self.record.viewer_role) if self.record.viewer_role else None

    @field(description="The code to join with, e.g. 7K4-MPQ; for teachers and leaders only.")
    def join_code(self, info: Info) -> str | None:
        return team_reads.join_code(info.context.loaders, self.record)

    @field(
        description="Until when the join code works (JOIN_CODE_DAYS after it was made); "
        "rotateTeamCode gives a new one. For teachers and leaders only."
    )
    def join_code_expires_at(self, info: Info) -> datetime | None:
        shown = team_reads.join_code(info.context.loaders, self.record)
        return self.record.code_expires_at if shown else None

    @field(description="Whether joining by code waits for a teacher's approval.")
    def join_approval(self) -> bool:
        return self.record.join_approval

    @field(
        description="People who asked to join with the code, newest first (at most 100); "
        "for teachers and leaders, else null."
    )
    async def join_requests(self, info: Info) -> list["TeamJoinRequest"] | None:
        found = await info.context.services.teams.join_requests(info.context.viewer, self.record.id)
        return None if found is None else [TeamJoinRequest(record=r) for r in found]

    @field(description="How many members the team has.")
    def member_count(self) -> int:
        return self.record.member_count

    @field(description="When the team was created.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="The organisation the team belongs to.")
    async def organization(self, info: Info) -> Organization | None:
        record = await info.context.loaders.organization_by_id.load(self.record.organization_id)
        return Organization(record=record) if record else None

    @field(description="Members by name, with their roles.")
    async def members(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TeamMember]:
        page_window = window(info, first, after, last, before)
        page = await team_reads.members(info.context.loaders, self.record, page_window)
        return to_connection(page, lambda member: TeamMember(record=member))

    @field(description="The team's development paths, newest first.")
    async def paths(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PathRef]:
        from odznaka_graph.schema.paths import Path  # paths name their team

        page_window = window(info, first, after, last, before)
        page = await team_reads.team_paths(info.context.loaders, self.record.id, page_window)
        return to_connection(page, lambda record: Path(record=record))

    @field(description="The team's challenges, newest first.")
    async def challenges(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ChallengeRef]:
        from odznaka_graph.schema.challenges import Challenge  # challenges name their team

        page_window = window(info, first, after, last, before)
        page = await challenge_reads.of_team(info.context.loaders, self.record, page_window)
        return to_connection(page, lambda row: Challenge(record=row))

    @field(
        description="Each learner (students, or members of a business team) by name, with "
        "progress on each of the team's paths; for teachers and leaders, else null. Costs "
        "the same few round trips whatever the size of the class."
    )
    async def path_progress(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LearnerProgress] | None:
        from odznaka_graph.schema.paths import PathProgress  # paths name their team

        page_window = window(info, first, after, last, before)
        page = await team_reads.path_progress(info.context.loaders, self.record, page_window)
        if page is None:
            return None
        return to_connection(
            page,
            lambda row: LearnerProgress(
                member=TeamMember(record=row.member),
                paths=[PathProgress(record=p) for p in row.progress],
            ),
        )

    @field(
        description="The pupils enrolled without e-mail (enrolPupils) by name, with the names "
        "the teacher typed; for the class's teachers and the school's admins, else null."
    )
    async def roster(self, info: Info) -> list[RosterPupilRef] | None:
        from odznaka_graph.schema.pupils import RosterPupil  # pupils name their class

        found = await info.context.services.pupils.roster(info.context.viewer, self.record.id)
        return None if found is None else [RosterPupil(record=row) for row in found]

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)

    @field(description="The team's houses by name (issue 15): groups that compete on points.")
    async def houses(self, info: Info) -> list[HouseRef]:
        from odznaka_graph.schema.houses import House  # houses name their team

        return [
            House(record=row)
            for row in await house_reads.of_team(info.context.loaders, self.record.id)
        ]

    @field(
        description="The team's houses best first by the sum of their members' points in "
        "the window; equal scores share a rank (1, 2, 2, 4). One read for all houses."
    )
    async def house_ranking(
        self,
        info: Info,
        window: Annotated[
            LeaderboardWindow,
            strawberry.argument(description="The time counted (Polish time)."),
        ] = LeaderboardWindow.ALL_TIME,
    ) -> list[HouseStandingRef]:
        from odznaka_graph.schema.houses import HouseStanding  # houses name their team

        chosen = BoardWindow(window.name)
        found = await house_reads.ranking(info.context.loaders, self.record.id, chosen)
        return [HouseStanding(record=standing) for standing in found]


@strawberry.type(description="Someone waiting for a teacher (or leader) to let them in.")
class TeamJoinRequest(PersonRow, who="person asking", user_id="Who asked (a global User id)."):
    record: strawberry.Private[JoinRequest]

    def person(self) -> PersonFacts:
        return self.record

    @field(description="When they asked.")
    def since(self) -> datetime:
        return self.record.since


@strawberry.type(description="The team wants approval: a teacher or leader will answer.")
class JoinRequested:
    message: str = strawberry.field(description="What happens next, for people.")


@strawberry.type(description="The viewer left the team.")
class TeamLeft:
    team_id: strawberry.ID = strawberry.field(description="The team left.")


@strawberry.input(
    description="A new class or business team; the creator becomes its teacher "
    "(class) or leader (business team)."
)
class CreateTeamInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The organisation it belongs to (its staff create teams)."
    )
    name: list[TextInput] = strawberry.field(description="At least one language.")
    kind: TeamKind = strawberry.field(description="A class or a business team.")


@strawberry.input(description="Add someone to a team, or change their role.")
class AddTeamMemberInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    user_id: strawberry.ID = strawberry.field(description="Who to add.")
    role: TeamRoleEnum = strawberry.field(
        description="TEACHER or STUDENT in a class, LEADER or MEMBER in a business team."
    )


@strawberry.input(description="Take someone out of a team.")
class RemoveTeamMemberInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    user_id: strawberry.ID = strawberry.field(description="Who to remove.")


@strawberry.input(description="The team to leave.")
class LeaveTeamInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")


@strawberry.input(description="Join a class or team with the code its teacher or leader gave.")
class JoinTeamInput:
    code: str = strawberry.field(description="E.g. 7K4-MPQ; case, dashes and spaces are ignored.")


@strawberry.input(description="The team whose code to replace.")
class RotateTeamCodeInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")


@strawberry.input(description="Whether joining the team by code waits for approval.")
class SetTeamJoinApprovalInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    join_approval: bool = strawberry.field(description="True: teachers approve each join.")


@strawberry.input(description="Let someone who asked into the team.")
class ApproveJoinRequestInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    user_id: strawberry.ID = strawberry.field(description="Who asked.")


@strawberry.input(description="Turn away someone who asked to join the team.")
class RejectJoinRequestInput(ApproveJoinRequestInput):
    pass


TeamResult: TypeAlias = Annotated[
    Team | Failure, strawberry.union("TeamResult", description="The team, or why not.")
]
JoinTeamResult: TypeAlias = Annotated[
    Team | JoinRequested | Failure,
    strawberry.union("JoinTeamResult", description="The team joined, a request, or why not."),
]
LeaveTeamResult: TypeAlias = Annotated[
    TeamLeft | Failure,
    strawberry.union("LeaveTeamResult", description="The team left, or why not."),
]
