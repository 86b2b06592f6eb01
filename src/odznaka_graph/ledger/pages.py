"""Newest-first pages of SQL rows by a (time, id) key, for lists read from the ledger."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.paging import BadCursor, Page, Window, decode_cursor, make_page

T = TypeVar("T")


async def newest_page(
    conn: AsyncConnection,
    query: sa.Select[Any],
    at: sa.Column[datetime],
    row_id: sa.Column[str],
    window: Window,
    counted: sa.Select[Any],
    convert: Callable[[sa.Row[Any]], T],
) -> Page[T]:
    """One Relay page of `query`'s rows, newest first by (`at`, `row_id`), in either
    direction (going backwards reads oldest first and make_page turns the rows round),
    with the total from the `counted` statement: two round trips, the rows and the count."""
    if window.cursor is not None:
        query = query.where(_beyond(window.cursor, at, row_id, older=window.forward))
    order = (at.desc(), row_id.desc()) if window.forward else (at.asc(), row_id.asc())
    rows = list(await conn.execute(query.order_by(*order).limit(window.size + 1)))
    total = int((await conn.execute(counted)).scalar_one() or 0)
    keyed = [(row._mapping[at].isoformat(), row._mapping[row_id], convert(row)) for row in rows]
    return make_page(keyed, window, total)


def _beyond(
    cursor: str, at: sa.Column[datetime], row_id: sa.Column[str], older: bool
) -> sa.ColumnElement[bool]:
    key, last_id = decode_cursor(cursor)
    try:
        when = datetime.fromisoformat(str(key))
    except ValueError:
        raise BadCursor("That cursor is not one this list gave out.") from None
    if older:
        return sa.or_(at < when, sa.and_(at == when, row_id < last_id))
    return sa.or_(at > when, sa.and_(at == when, row_id > last_id))
