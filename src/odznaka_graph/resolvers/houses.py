"""Houses of a class: createHouse, updateHouse, deleteHouse, assignHouse (Team.houses and
Team.houseRanking read services/house_reads.py)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import NotFound
from odznaka_graph.outcomes import TeamReason
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.houses import (
    AssignHouseInput,
    CreateHouseInput,
    DeleteHouseInput,
    House,
    HouseResult,
    UpdateHouseInput,
)
from odznaka_graph.schema.teams import Team, TeamResult
from odznaka_graph.services import house_reads, team_reads


async def _house(info: Info, house_id: str) -> House:
    found = await house_reads.house(info.context.loaders, house_id)
    if found is None:  # deleted meanwhile
        raise NotFound("No such house.", reason=TeamReason.HOUSE_NOT_FOUND)
    return House(record=found)


async def _team(info: Info, team_id: str) -> Team:
    return Team(record=await team_reads.changed_team(info.context.loaders, team_id))


@strawberry.type
class HouseMutations:
    @mutation(
        description="Create a house in a class or team you teach or lead: a group of its "
        "learners that competes on points (Team.houseRanking)."
    )
    async def create_house(
        self, info: Info, input: Annotated[CreateHouseInput, INPUT]
    ) -> HouseResult:
        async def command() -> str:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "name": input.name,
                "colour": input.colour,
            }
            return await info.context.services.houses.create(info.context.viewer, data)

        return await as_result(command(), lambda house_id: _house(info, house_id))

    @mutation(description="Rename a house or change its colour (its team's teacher or leader).")
    async def update_house(
        self, info: Info, input: Annotated[UpdateHouseInput, INPUT]
    ) -> HouseResult:
        async def command() -> str:
            data = {
                "house_id": local(input.house_id, "House", "houseId"),
                "name": input.name,
                "colour": input.colour,
            }
            return await info.context.services.houses.change(info.context.viewer, data)

        return await as_result(command(), lambda house_id: _house(info, house_id))

    @mutation(
        description="Delete a house (its team's teacher or leader); its members are in no "
        "house after. Answers the team."
    )
    async def delete_house(
        self, info: Info, input: Annotated[DeleteHouseInput, INPUT]
    ) -> TeamResult:
        async def command() -> str:
            house_id = local(input.house_id, "House", "houseId")
            return await info.context.services.houses.delete(info.context.viewer, house_id)

        return await as_result(command(), lambda team_id: _team(info, team_id))

    @mutation(
        description="Put learners of a team in one of its houses (a learner is in one house "
        "per team: this moves them from another), or out of their house with `houseId: "
        "null` (the team's teacher or leader). Answers the team."
    )
    async def assign_house(
        self, info: Info, input: Annotated[AssignHouseInput, INPUT]
    ) -> TeamResult:
        async def command() -> str:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "house_id": local(input.house_id, "House", "houseId") if input.house_id else None,
                "user_ids": [
                    local(u, "User", f"userIds.{i}") for i, u in enumerate(input.user_ids)
                ],
            }
            return await info.context.services.houses.assign(info.context.viewer, data)

        return await as_result(command(), lambda team_id: _team(info, team_id))
