"""Badge lifecycle state and the ledger of issued awards."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import awards, badges

Row = sa.Row[Any]


async def insert_badge(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(badges.insert().values(**values))


async def badge(conn: AsyncConnection, badge_id: str) -> Row | None:
    result = await conn.execute(sa.select(badges).where(badges.c.id == badge_id))
    return result.first()


async def published_ids(conn: AsyncConnection, badge_ids: list[str]) -> set[str]:
    """Which of these badges are published, in one read."""
    query = sa.select(badges.c.id).where(badges.c.id.in_(badge_ids), badges.c.status == "PUBLISHED")
    return set((await conn.execute(query)).scalars())


async def update_badge(conn: AsyncConnection, badge_id: str, **values: Any) -> None:
    await conn.execute(badges.update().where(badges.c.id == badge_id).values(**values))


async def insert_award(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(awards.insert().values(**values))


async def award(conn: AsyncConnection, award_id: str) -> Row | None:
    result = await conn.execute(sa.select(awards).where(awards.c.id == award_id))
    return result.first()


async def award_by_key(conn: AsyncConnection, awarded_by: str, key: str) -> Row | None:
    result = await conn.execute(
        sa.select(awards).where(awards.c.awarded_by == awarded_by, awards.c.idempotency_key == key)
    )
    return result.first()


async def live_award(
    conn: AsyncConnection, badge_id: str, recipient_id: str | None, email: str | None
) -> Row | None:
    holder = (
        awards.c.recipient_id == recipient_id
        if recipient_id
        else sa.and_(awards.c.recipient_id.is_(None), awards.c.recipient_email == email)
    )
    result = await conn.execute(
        sa.select(awards).where(
            awards.c.badge_id == badge_id, awards.c.revoked_at.is_(None), holder
        )
    )
    return result.first()


async def revoke_award(
    conn: AsyncConnection, award_id: str, by: str, reason: str, at: datetime
) -> bool:
    result = await conn.execute(
        awards.update()
        .where(awards.c.id == award_id, awards.c.revoked_at.is_(None))
        .values(revoked_at=at, revoked_by=by, revoke_reason=reason)
    )
    return result.rowcount == 1


async def claim_awards(conn: AsyncConnection, email: str, account_id: str) -> list[str]:
    """Attach awards made to an e-mail before anyone had verified it; a badge the account
    already holds stays pending rather than being held twice."""
    held = sa.select(awards.c.badge_id).where(
        awards.c.recipient_id == account_id, awards.c.revoked_at.is_(None)
    )
    result = await conn.execute(
        awards.update()
        .where(
            awards.c.recipient_email == email,
            awards.c.recipient_id.is_(None),
            awards.c.revoked_at.is_(None),
            awards.c.badge_id.not_in(held),
        )
        .values(recipient_id=account_id)
        .returning(awards.c.id)
    )
    return list(result.scalars())


async def awards_by_keys(conn: AsyncConnection, awarded_by: str, keys: list[str]) -> list[Row]:
    result = await conn.execute(
        sa.select(awards).where(
            awards.c.awarded_by == awarded_by, awards.c.idempotency_key.in_(keys)
        )
    )
    return list(result)


async def live_holders(
    conn: AsyncConnection, badge_id: str, recipient_ids: list[str], emails: list[str]
) -> tuple[set[str], set[str]]:
    """Which of these accounts hold the badge, and which e-mails wait for it, now."""
    result = await conn.execute(
        sa.select(awards.c.recipient_id, awards.c.recipient_email).where(
            awards.c.badge_id == badge_id,
            awards.c.revoked_at.is_(None),
            sa.or_(awards.c.recipient_id.in_(recipient_ids), awards.c.recipient_email.in_(emails)),
        )
    )
    rows = list(result)
    held = {row.recipient_id for row in rows if row.recipient_id}
    waiting = {row.recipient_email for row in rows if row.recipient_id is None}
    return held, waiting


async def awards_by_ids(conn: AsyncConnection, award_ids: list[str]) -> dict[str, Row]:
    result = await conn.execute(sa.select(awards).where(awards.c.id.in_(award_ids)))
    return {row.id: row for row in result}
