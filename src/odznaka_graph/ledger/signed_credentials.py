"""Issuer keys, status list entries, issued credential documents and signed status lists."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import (
    awards,
    credential_status_entries,
    issued_credentials,
    issuer_keys,
    status_lists,
)

Row = sa.Row[Any]


async def keys_of(conn: AsyncConnection, issuer_id: str) -> list[Row]:
    """Every key the issuer ever had, oldest first."""
    result = await conn.execute(
        sa.select(issuer_keys)
        .where(issuer_keys.c.issuer_id == issuer_id)
        .order_by(issuer_keys.c.created_at, issuer_keys.c.id)
    )
    return list(result)


async def insert_key(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(issuer_keys.insert().values(**values))


async def retire_keys(conn: AsyncConnection, issuer_id: str, at: datetime) -> int:
    result = await conn.execute(
        issuer_keys.update()
        .where(issuer_keys.c.issuer_id == issuer_id, issuer_keys.c.retired_at.is_(None))
        .values(retired_at=at)
    )
    return result.rowcount


async def key(conn: AsyncConnection, key_id: str) -> Row | None:
    result = await conn.execute(sa.select(issuer_keys).where(issuer_keys.c.id == key_id))
    return result.first()


async def status_entry(conn: AsyncConnection, award_id: str) -> Row | None:
    result = await conn.execute(
        sa.select(credential_status_entries).where(credential_status_entries.c.award_id == award_id)
    )
    return result.first()


async def insert_status_entry(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(credential_status_entries.insert().values(**values))


async def entry_count(conn: AsyncConnection, issuer_id: str) -> int:
    result = await conn.execute(
        sa.select(sa.func.count()).where(credential_status_entries.c.issuer_id == issuer_id)
    )
    return int(result.scalar_one())


async def revoked_indexes(conn: AsyncConnection, issuer_id: str, list_no: int) -> list[int]:
    """The list positions of this issuer's credentials whose awards are revoked."""
    entries = credential_status_entries
    result = await conn.execute(
        sa.select(entries.c.list_index)
        .join(awards, awards.c.id == entries.c.award_id)
        .where(
            entries.c.issuer_id == issuer_id,
            entries.c.list_no == list_no,
            awards.c.revoked_at.is_not(None),
        )
        .order_by(entries.c.list_index)
    )
    return list(result.scalars())


async def list_exists(conn: AsyncConnection, issuer_id: str, list_no: int) -> bool:
    entries = credential_status_entries
    result = await conn.execute(
        sa.select(entries.c.award_id)
        .where(entries.c.issuer_id == issuer_id, entries.c.list_no == list_no)
        .limit(1)
    )
    return result.first() is not None


async def issued(conn: AsyncConnection, award_id: str, format: str) -> Row | None:
    result = await conn.execute(
        sa.select(issued_credentials).where(
            issued_credentials.c.award_id == award_id, issued_credentials.c.format == format
        )
    )
    return result.first()


async def insert_issued(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(issued_credentials.insert().values(**values))


async def status_list(conn: AsyncConnection, issuer_id: str, list_no: int) -> Row | None:
    result = await conn.execute(
        sa.select(status_lists).where(
            status_lists.c.issuer_id == issuer_id, status_lists.c.list_no == list_no
        )
    )
    return result.first()


async def put_status_list(
    conn: AsyncConnection, issuer_id: str, list_no: int, digest: str, document: str, at: datetime
) -> None:
    values = {"revoked_digest": digest, "document": document, "signed_at": at}
    updated = await conn.execute(
        status_lists.update()
        .where(status_lists.c.issuer_id == issuer_id, status_lists.c.list_no == list_no)
        .values(**values)
    )
    if updated.rowcount == 0:
        await conn.execute(
            status_lists.insert().values(issuer_id=issuer_id, list_no=list_no, **values)
        )
