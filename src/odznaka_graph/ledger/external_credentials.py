"""Credentials imported from elsewhere, per holder, newest first."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import external_credentials as table
from odznaka_graph.paging import BadCursor, Page, Window, decode_cursor, make_page

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
    newest_first = window.forward
    query = sa.select(table).where(table.c.account_id == account_id)
    if window.cursor is not None:
        query = query.where(_after(window.cursor, older=newest_first))
    order = (sa.desc, sa.desc) if newest_first else (sa.asc, sa.asc)
    query = query.order_by(order[0](table.c.created_at), order[1](table.c.id))
    rows = list(await conn.execute(query.limit(window.size + 1)))
    total = await conn.scalar(
        sa.select(sa.func.count()).select_from(table).where(table.c.account_id == account_id)
    )
    keyed = [(row.created_at.isoformat(), row.id, row) for row in rows]
    return make_page(keyed, window, int(total or 0))


def _after(cursor: str, older: bool) -> sa.ColumnElement[bool]:
    key, row_id = decode_cursor(cursor)
    try:
        at = datetime.fromisoformat(str(key))
    except ValueError:
        raise BadCursor("That cursor is not one this list gave out.") from None
    if older:
        return sa.or_(
            table.c.created_at < at, sa.and_(table.c.created_at == at, table.c.id < row_id)
        )
    return sa.or_(table.c.created_at > at, sa.and_(table.c.created_at == at, table.c.id > row_id))
