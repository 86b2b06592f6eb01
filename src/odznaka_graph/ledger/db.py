"""Engine, transactions and migrations of the relational store."""

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from odznaka_graph.observability import count_sql

MIGRATIONS = Path(__file__).parent / "migrations"
_writing = contextvars.ContextVar("writing", default=False)  # inside this process's writer
CHANGED = "odznaka_changed_rows"  # connection info key: this transaction changed something


def create_engine(url: str) -> AsyncEngine:
    is_sqlite = url.startswith("sqlite")
    if is_sqlite and ":///" in url:
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url, connect_args={"timeout": 30} if is_sqlite else {}, pool_pre_ping=not is_sqlite
    )
    sa.event.listen(engine.sync_engine, "before_cursor_execute", _count)
    sa.event.listen(engine.sync_engine, "after_cursor_execute", _note_change)
    if is_sqlite:
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    count_sql(statement)


def _note_change(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    """Mark the connection when a statement changed rows (SELECTs and no-op updates don't)."""
    if (cursor.rowcount or 0) > 0 and not statement.lstrip()[:6].upper() == "SELECT":
        conn.info[CHANGED] = True


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work during a write; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Ledger:
    """The relational store as one object: transactions and health."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # SQLite takes one writer at a time and makes the others sleep and poll for its
        # lock (1, 2, 5, 10 ... 100 ms): this process's writers queue here instead, and go
        # the moment the one before them commits. Nested transactions don't queue again.
        self._one_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        # Committed transactions of this process that changed rows: a reader's cache
        # compares it to know that nothing changed here since it read
        # (services/session_roles.py). A transaction that only read, or claimed nothing,
        # does not count.
        self.writes = 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        if self._one_writer is None or _writing.get():
            async with self._begin() as conn:
                yield conn
            return
        async with self._one_writer:
            token = _writing.set(True)
            try:
                async with self._begin() as conn:
                    yield conn
            finally:
                _writing.reset(token)

    @asynccontextmanager
    async def _begin(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.begin() as conn:
            conn.info.pop(CHANGED, None)
            yield conn
            changed = conn.info.pop(CHANGED, False)
        if changed:
            self.writes += 1

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))

    async def migrate(self) -> None:
        async with self.engine.connect() as conn:
            # SQLite changes a column by copying its table, which drops a table that others
            # refer to: foreign keys go off for the migration (a pragma that only takes
            # effect outside a transaction) and back on before the connection is pooled.
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                await _pragma(conn, "PRAGMA foreign_keys=OFF")
            try:
                async with conn.begin():
                    await conn.run_sync(_upgrade)
            finally:
                if sqlite:
                    await _pragma(conn, "PRAGMA foreign_keys=ON")


async def _pragma(conn: AsyncConnection, statement: str) -> None:
    await conn.exec_driver_sql(statement)
    await conn.commit()


def _upgrade(sync_connection: sa.Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = sync_connection
    command.upgrade(config, "head")
