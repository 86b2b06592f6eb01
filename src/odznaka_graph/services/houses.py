"""Houses (issue 15): teams within a class that compete on points. A class's teachers
(and a business team's leaders) create, rename and delete houses and put learners in them,
one house per learner per team (putting them in another moves them). A house's score is
the sum of its members' points in a window (the points ledger, as the team's board
counts them); its members are the team's current learners, so someone taken out of the
team is out of their house at once (the row itself goes with the `team.member_removed`
and `team.member_left` events: services/house_cleanup.py)."""

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import gamification
from odznaka_graph.graph_model.teams import TeamAccess
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import houses
from odznaka_graph.ledger.houses import HouseRow
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import InputReason, LearningReason, TeamReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import Action, require
from odznaka_graph.services.teams import MANAGERS, TeamService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

Name = Annotated[str, Field(min_length=1, max_length=60)]
Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
MAX_ASSIGNED = 200


class HouseInput(Model):
    team_id: str
    name: Name
    colour: Colour | None = None


class HouseChange(Model):
    house_id: str
    name: Name | None = None
    colour: Colour | None = None


class Assignment(Model):
    team_id: str
    house_id: str | None = None  # None: out of their house
    user_ids: Annotated[list[str], Field(min_length=1, max_length=MAX_ASSIGNED)]


@dataclass(frozen=True)
class Managed:
    actor: str
    team: TeamAccess


class HouseService:
    def __init__(self, stores: Stores, teams: TeamService) -> None:
        self.stores = stores
        self.teams = teams

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(HouseInput, data)
        managed = await self._managed(viewer, request.team_id)
        house_id = new_id()
        values = request.model_dump() | {"team_id": managed.team.team_id}

        async def work(conn: AsyncConnection) -> str:
            created = await houses.create(
                conn, id=house_id, created_by=managed.actor, created_at=now(), **values
            )
            if not created:
                raise _taken()
            await _audit(conn, managed.actor, "house.created", house_id, values)
            return house_id

        return await self.stores.commit(work)

    async def change(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(HouseChange, data)
        values = request.model_dump(exclude_none=True, exclude={"house_id"})
        if not values:
            raise ValidationFailed(
                {"input": "Name something to change."}, reason=InputReason.INVALID_INPUT
            )
        managed, house = await self._house(viewer, request.house_id)

        async def work(conn: AsyncConnection) -> str:
            name = values.get("name")
            if name is not None and await houses.name_taken(conn, house.team_id, name, house.id):
                raise _taken()
            await houses.change(conn, house.id, **values)
            await _audit(conn, managed.actor, "house.updated", house.id, values)
            return house.id

        return await self.stores.commit(work)

    async def delete(self, viewer: Viewer, house_id: str) -> str:
        """The team's id; the house's members are in no house after."""
        managed, house = await self._house(viewer, house_id)

        async def work(conn: AsyncConnection) -> str:
            await houses.delete(conn, house.id)
            await _audit(conn, managed.actor, "house.deleted", house.id, {"name": house.name})
            return house.team_id

        return await self.stores.commit(work)

    async def assign(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Put learners of the team in a house (moving them from another), or out of
        theirs; the team's id."""
        request = parse(Assignment, data)
        managed = await self._managed(viewer, request.team_id)
        team_id = managed.team.team_id
        if request.house_id is not None:
            house = await self._house_row(request.house_id)
            if house is None or house.team_id != team_id:
                raise _no_house()
        learners = {x.id for x in await gamification.learners(self.stores.graph, team_id, MANAGERS)}
        chosen = list(dict.fromkeys(request.user_ids))
        strangers = {
            f"user_ids.{i}": "Not a learner of this team."
            for i, user_id in enumerate(chosen)
            if user_id not in learners
        }
        if strangers:
            raise ValidationFailed(strangers, reason=LearningReason.NOT_A_LEARNER)

        async def work(conn: AsyncConnection) -> str:
            if request.house_id is None:
                await houses.unassign(conn, team_id, chosen)
            else:
                await houses.assign(conn, team_id, chosen, request.house_id, now())
            payload = {"teamId": team_id, "houseId": request.house_id, "userIds": chosen}
            await _audit(
                conn, managed.actor, "house.assigned", request.house_id or team_id, payload
            )
            return team_id

        return await self.stores.commit(work)

    async def _managed(self, viewer: Viewer, team_id: str) -> Managed:
        team = await self.teams.access(viewer, team_id)
        return Managed(require(Action.MANAGE_TEAM, viewer, team.role), team)

    async def _house_row(self, house_id: str) -> HouseRow | None:
        async with self.stores.ledger.reading() as conn:
            return await houses.by_id(conn, house_id)

    async def _house(self, viewer: Viewer, house_id: str) -> tuple[Managed, HouseRow]:
        house = await self._house_row(house_id)
        if house is None:
            raise _no_house()
        try:
            return await self._managed(viewer, house.team_id), house
        except NotFound:
            raise _no_house() from None


def _taken() -> Conflict:
    return Conflict(
        "The team has a house of this name already.", reason=TeamReason.HOUSE_NAME_TAKEN
    )


def _no_house() -> NotFound:
    return NotFound("No such house.", reason=TeamReason.HOUSE_NOT_FOUND)


async def _audit(
    conn: AsyncConnection, actor: str, action: str, subject_id: str, payload: dict[str, Any]
) -> None:
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="House",
        subject_id=subject_id,
        payload={"id": subject_id, **payload},
    )
