"""Uploaded files the API serves itself (issue 15): badge pictures (re-encoded PNG or
JPEG) and the evidence attached to badge requests. `tables` re-exports the table."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.table_types import AT, ID, metadata

uploaded_files = sa.Table(
    "uploaded_files",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("purpose", sa.String(20), nullable=False),  # BADGE_IMAGE, EVIDENCE
    sa.Column("club_id", ID, index=True),  # a club's badge picture (clubs live in the graph)
    sa.Column("owner_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("content_type", sa.String(40), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),  # of `data`: the ETag
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("width", sa.Integer),
    sa.Column("height", sa.Integer),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", AT, nullable=False),
)

Row = sa.Row[Any]

# Everything but the bytes: what permission checks and references need.
_META = [c for c in uploaded_files.c if c.name != "data"]


async def insert_file(
    conn: AsyncConnection,
    *,
    id: str,
    purpose: str,
    owner_id: str,
    club_id: str | None,
    content_type: str,
    sha256: str,
    data: bytes,
    width: int | None,
    height: int | None,
    at: datetime,
) -> None:
    await conn.execute(
        uploaded_files.insert().values(
            id=id,
            purpose=purpose,
            owner_id=owner_id,
            club_id=club_id,
            content_type=content_type,
            sha256=sha256,
            size=len(data),
            width=width,
            height=height,
            data=data,
            created_at=at,
        )
    )


async def uploaded_since(conn: AsyncConnection, owner_id: str, since: datetime) -> list[datetime]:
    """When the account uploaded each file since then, oldest first."""
    f = uploaded_files.c
    query = (
        sa.select(f.created_at)
        .where(f.owner_id == owner_id, f.created_at > since)
        .order_by(f.created_at)
    )
    return list((await conn.execute(query)).scalars())


async def file_meta(conn: AsyncConnection, file_id: str) -> Row | None:
    query = sa.select(*_META).where(uploaded_files.c.id == file_id)
    return (await conn.execute(query)).first()


async def file_with_data(conn: AsyncConnection, file_id: str) -> Row | None:
    query = sa.select(uploaded_files).where(uploaded_files.c.id == file_id)
    return (await conn.execute(query)).first()
