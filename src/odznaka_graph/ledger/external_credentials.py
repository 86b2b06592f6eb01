"""Credentials imported from elsewhere, per holder, newest first."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.pages import newest_page
from odznaka_graph.ledger.tables import external_credentials as table
from odznaka_graph.paging import Page, Window

Row = sa.Row[Any]


async def by_document(conn: AsyncConnection, account_id: str, document_hash: str) -> Row | None:
    result = await conn.execute(
        sa.select(table).where(
            table.c.account_id == account_id, table.c.document_hash == document_hash
        )
    )
    return result.first()


async def by_id(conn: AsyncConnection, credential_id: str) -> Row | None:
    result = await conn.execute(sa.select(table).where(table.c.id == credential_id))
    return result.first()


async def insert(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(table.insert().values(**values))


async def update(conn: AsyncConnection, credential_id: str, **values: Any) -> None:
    await conn.execute(table.update().where(table.c.id == credential_id).values(**values))


async def delete(conn: AsyncConnection, credential_id: str) -> None:
    await conn.execute(table.delete().where(table.c.id == credential_id))


async def page_of(conn: AsyncConnection, account_id: str, window: Window) -> Page[Row]:
    """Newest first, by (created_at, id) keyset."""
    mine = table.c.account_id == account_id
    query = sa.select(table).where(mine)
    counted = sa.select(sa.func.count()).select_from(table).where(mine)
    return await newest_page(
        conn, query, table.c.created_at, table.c.id, window, counted, lambda row: row
    )
