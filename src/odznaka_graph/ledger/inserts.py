"""INSERT … ON CONFLICT DO NOTHING on either store: a unique key decides who wins a race."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_new(conn: AsyncConnection, table: sa.Table, values: dict[str, Any]) -> bool:
    """Insert the row unless one with the same unique key exists; True when inserted."""
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing()
    return bool((await conn.execute(statement)).rowcount == 1)
