"""The Alembic revisions build exactly the tables the code defines, on both SQL stores."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from odznaka_graph.ledger.db import Ledger, create_engine
from odznaka_graph.ledger.tables import metadata


def _differences(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [d for d in compare_metadata(context, metadata) if d[0] != "remove_table"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_migrations_match_the_table_definitions(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    ledger = Ledger(create_engine(url))
    try:
        await ledger.migrate()
        await ledger.migrate()  # a second run finds nothing to do
        async with ledger.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await ledger.engine.dispose()
