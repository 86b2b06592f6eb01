"""Issuer authority: organisations' verification state and who may act for them."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import organization_staff, organizations

Row = sa.Row[Any]


async def insert_organization(
    conn: AsyncConnection, org_id: str, created_by: str, at: datetime
) -> None:
    await conn.execute(
        organizations.insert().values(id=org_id, created_by=created_by, created_at=at)
    )


async def organization(conn: AsyncConnection, org_id: str) -> Row | None:
    result = await conn.execute(sa.select(organizations).where(organizations.c.id == org_id))
    return result.first()


async def update_organization(conn: AsyncConnection, org_id: str, **values: Any) -> None:
    await conn.execute(organizations.update().where(organizations.c.id == org_id).values(**values))


async def staff_role(conn: AsyncConnection, org_id: str, account_id: str) -> str | None:
    result = await conn.execute(
        sa.select(organization_staff.c.role).where(
            organization_staff.c.organization_id == org_id,
            organization_staff.c.account_id == account_id,
        )
    )
    return result.scalar_one_or_none()


async def put_staff(conn: AsyncConnection, org_id: str, account_id: str, role: str) -> None:
    await conn.execute(
        organization_staff.delete().where(
            organization_staff.c.organization_id == org_id,
            organization_staff.c.account_id == account_id,
        )
    )
    await conn.execute(
        organization_staff.insert().values(organization_id=org_id, account_id=account_id, role=role)
    )


async def roles_of(conn: AsyncConnection, account_id: str) -> dict[str, str]:
    result = await conn.execute(
        sa.select(organization_staff.c.organization_id, organization_staff.c.role).where(
            organization_staff.c.account_id == account_id
        )
    )
    return {row.organization_id: row.role for row in result}
