"""Rows of an account merge (issue 14): the mailed offer, and moving one account's awards,
their points and the address to another in the caller's transaction."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.account_tables import account_merges
from odznaka_graph.ledger.tables import (
    account_emails,
    accounts,
    awards,
    organization_staff,
    point_events,
)


async def insert_offer(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(account_merges.insert().values(values))


async def offer(conn: AsyncConnection, token_hash: str) -> Row[Any] | None:
    found = await conn.execute(
        sa.select(account_merges).where(account_merges.c.token_hash == token_hash)
    )
    return found.first()


async def take(conn: AsyncConnection, offer_id: str, at: datetime) -> bool:
    """Mark the offer used; False when a merge with it happened already (or concurrently)."""
    m = account_merges.c
    result = await conn.execute(
        account_merges.update().where(m.id == offer_id, m.merged_at.is_(None)).values(merged_at=at)
    )
    return bool(result.rowcount)


async def note_moved(conn: AsyncConnection, offer_id: str, moved: int) -> None:
    await conn.execute(
        account_merges.update().where(account_merges.c.id == offer_id).values(moved=moved)
    )


async def has_duties(conn: AsyncConnection, account_id: str) -> bool:
    """A platform role or staff seat: such an account is not merged away."""
    role = await conn.execute(sa.select(accounts.c.role).where(accounts.c.id == account_id))
    staff = await conn.execute(
        sa.select(organization_staff.c.account_id)
        .where(organization_staff.c.account_id == account_id)
        .limit(1)
    )
    return role.scalar_one() != "USER" or staff.first() is not None


async def move_awards(conn: AsyncConnection, source_id: str, target_id: str) -> list[str]:
    """The source's awards whose badge the target does not hold yet become the target's,
    with the points they brought; the ids moved. An award of a badge both hold stays with
    the source (one live award of a badge per holder)."""
    held = sa.select(awards.c.badge_id).where(
        awards.c.recipient_id == target_id, awards.c.revoked_at.is_(None)
    )
    result = await conn.execute(
        awards.update()
        .where(
            awards.c.recipient_id == source_id,
            sa.or_(awards.c.revoked_at.is_not(None), awards.c.badge_id.not_in(held)),
        )
        .values(recipient_id=target_id)
        .returning(awards.c.id)
    )
    moved = sorted(result.scalars())
    if moved:
        p = point_events.c
        await conn.execute(
            point_events.update()
            .where(p.account_id == source_id, p.source_id.in_(moved))
            .values(account_id=target_id)
        )
    return moved


async def move_address(
    conn: AsyncConnection, email: str, source_id: str, target_id: str, at: datetime
) -> None:
    """The address leaves the source and is the target's, verified (the merge link proved
    it)."""
    e = account_emails.c
    await conn.execute(
        account_emails.delete().where(e.email == email, e.account_id.in_([source_id, target_id]))
    )
    await conn.execute(
        account_emails.insert().values(
            email=email, account_id=target_id, verified_at=at, for_sign_in=False, created_at=at
        )
    )


async def forget_addresses(conn: AsyncConnection, account_id: str) -> None:
    """Erasure: offers naming the account's addresses keep none (a used offer's address
    is the target's since)."""
    m = account_merges.c
    theirs = sa.or_(
        m.target_id == account_id, sa.and_(m.source_id == account_id, m.merged_at.is_(None))
    )
    await conn.execute(account_merges.update().where(theirs).values(email=""))
