"""Houses: groups within a class that compete on points (issue 15)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.gamification import Learner
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.leaderboards import LeaderboardWindow, Named
from odznaka_graph.schema.person import PersonFacts, PersonRow
from odznaka_graph.services import house_reads, team_reads
from odznaka_graph.services.house_reads import HouseRow, Standing
from odznaka_graph.services.leaderboards import BoardWindow

if TYPE_CHECKING:
    from odznaka_graph.schema.teams import Team

TeamRef = Annotated["Team", strawberry.lazy("odznaka_graph.schema.teams")]
WINDOW = "The time counted (Polish time); all time if not given."


@strawberry.type(description="A learner in a house.")
class HouseMember(PersonRow, who="member", profile="The member's profile, when visible."):
    record: strawberry.Private[Learner]

    def person(self) -> PersonFacts:
        learner = self.record
        return Named(learner.id, learner.handle, learner.display_name)


@strawberry.type(
    description="A house: a group of a class's learners that competes on points (each "
    "learner is in at most one house of a team). Its score sums its members' points."
)
class House:
    record: strawberry.Private[HouseRow]

    @field(description="The house's id (a global House id).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("House", self.record.id))

    @field(description="The name, unique in the team.")
    def name(self) -> str:
        return self.record.name

    @field(description="A colour, #RRGGBB, if one was given.")
    def colour(self) -> str | None:
        return self.record.colour

    @field(description="When it was created.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="How many learners of the team are in it now.")
    async def member_count(self, info: Info) -> int:
        return await house_reads.member_count(info.context.loaders, self.record)

    @field(
        description="Its members by name: those the team's leaderboard shows the viewer "
        "(teachers see all; a learner, the classmates who share their progress)."
    )
    async def members(self, info: Info) -> list[HouseMember]:
        found = await house_reads.members(info.context.loaders, self.record)
        return [HouseMember(record=learner) for learner in found]

    @field(
        description="The sum of its members' points in the window (every house of the team "
        "in one read)."
    )
    async def score(
        self,
        info: Info,
        window: Annotated[
            LeaderboardWindow, strawberry.argument(description=WINDOW)
        ] = LeaderboardWindow.ALL_TIME,
    ) -> int:
        board_window = BoardWindow(window.name)
        return await house_reads.score(info.context.loaders, self.record, board_window)

    @field(description="The team.")
    async def team(self, info: Info) -> TeamRef | None:
        from odznaka_graph.schema.teams import Team  # teams list their houses

        record = await team_reads.team(info.context.loaders, self.record.team_id)
        return Team(record=record) if record is not None else None


@strawberry.type(description="A house's place in its team's ranking.")
class HouseStanding:
    record: strawberry.Private[Standing]

    @field(description="1 for the top; equal scores share a rank and the next skips (1, 2, 2, 4).")
    def rank(self) -> int:
        return self.record.rank

    @field(description="The sum of its members' points in the window.")
    def score(self) -> int:
        return self.record.score

    @field(description="The house.")
    def house(self) -> House:
        return House(record=self.record.house)


@strawberry.input(description="A new house in a team (its teacher or leader).")
class CreateHouseInput:
    team_id: strawberry.ID = strawberry.field(description="The class or team.")
    name: str = strawberry.field(description="1–60 characters, unique in the team.")
    colour: str | None = strawberry.field(default=None, description="#RRGGBB, optional.")


@strawberry.input(description="Rename a house or change its colour (its team's teacher or leader).")
class UpdateHouseInput:
    house_id: strawberry.ID = strawberry.field(description="The house.")
    name: str | None = strawberry.field(default=None, description="1–60 characters.")
    colour: str | None = strawberry.field(default=None, description="#RRGGBB.")


@strawberry.input(description="Delete a house; its members are in no house after.")
class DeleteHouseInput:
    house_id: strawberry.ID = strawberry.field(description="The house.")


@strawberry.input(
    description="Put learners of a team in a house (moving them out of another house of "
    "the team), or out of their house."
)
class AssignHouseInput:
    team_id: strawberry.ID = strawberry.field(description="The class or team.")
    house_id: strawberry.ID | None = strawberry.field(
        default=None, description="The house; null takes them out of their house."
    )
    user_ids: list[strawberry.ID] = strawberry.field(
        description="1 to 200 learners of the team (User ids)."
    )


HouseResult: TypeAlias = Annotated[
    House | Failure, strawberry.union("HouseResult", description="The house, or why not.")
]
