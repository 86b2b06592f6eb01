"""Houses of a class and who is in which (one house per pupil per class)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.inserts import insert_new
from odznaka_graph.ledger.tables import house_members, houses


@dataclass(frozen=True)
class HouseRow:
    id: str
    team_id: str
    name: str
    colour: str | None
    created_by: str
    created_at: datetime


def _house(row: sa.Row[Any]) -> HouseRow:
    values = row._mapping
    return HouseRow(**{name: values[name] for name in HouseRow.__dataclass_fields__})


async def create(conn: AsyncConnection, **values: Any) -> bool:
    """False when the class has a house of that name already."""
    return await insert_new(conn, houses, values)


async def by_id(conn: AsyncConnection, house_id: str) -> HouseRow | None:
    row = (await conn.execute(sa.select(houses).where(houses.c.id == house_id))).first()
    return _house(row) if row else None


async def name_taken(conn: AsyncConnection, team_id: str, name: str, but: str) -> bool:
    query = sa.select(houses.c.id).where(
        houses.c.team_id == team_id, houses.c.name == name, houses.c.id != but
    )
    return (await conn.execute(query)).first() is not None


async def change(conn: AsyncConnection, house_id: str, **values: Any) -> None:
    await conn.execute(houses.update().where(houses.c.id == house_id).values(**values))


async def delete(conn: AsyncConnection, house_id: str) -> None:
    """The house and its members' places in it (they are in no house after)."""
    await conn.execute(house_members.delete().where(house_members.c.house_id == house_id))
    await conn.execute(houses.delete().where(houses.c.id == house_id))


async def assign(
    conn: AsyncConnection, team_id: str, account_ids: Collection[str], house_id: str, at: datetime
) -> None:
    """Put the pupils in the house, moving those in another house of the class (one
    statement whatever their number)."""
    if not account_ids:
        return
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    rows = [
        {"team_id": team_id, "account_id": a, "house_id": house_id, "assigned_at": at}
        for a in account_ids
    ]
    statement = dialect.insert(house_members).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[house_members.c.team_id, house_members.c.account_id],
        set_={
            "house_id": statement.excluded.house_id,
            "assigned_at": statement.excluded.assigned_at,
        },
    )
    await conn.execute(statement)


async def unassign(
    conn: AsyncConnection,
    team_id: str,
    account_ids: Collection[str],
    assigned_before: datetime | None = None,
) -> None:
    """Take the pupils out of their house (only if they were put there before
    `assigned_before`, when given: a late removal event spares a later assignment)."""
    query = house_members.delete().where(
        house_members.c.team_id == team_id, house_members.c.account_id.in_(list(account_ids))
    )
    if assigned_before is not None:
        query = query.where(house_members.c.assigned_at <= assigned_before)
    await conn.execute(query)


async def of_teams(
    conn: AsyncConnection, team_ids: Collection[str]
) -> dict[str, list[tuple[HouseRow, list[str]]]]:
    """Each team's houses by name, each with its members' account ids, in one query."""
    query = (
        sa.select(houses, house_members.c.account_id)
        .select_from(houses.outerjoin(house_members, house_members.c.house_id == houses.c.id))
        .where(houses.c.team_id.in_(list(team_ids)))
        .order_by(houses.c.team_id, houses.c.name, houses.c.id, house_members.c.account_id)
    )
    found: dict[str, dict[str, tuple[HouseRow, list[str]]]] = {}
    for row in await conn.execute(query):
        team = found.setdefault(row.team_id, {})
        house, members = team.setdefault(row.id, (_house(row), []))
        if row.account_id is not None:
            members.append(row.account_id)
    return {team_id: list(team.values()) for team_id, team in found.items()}
