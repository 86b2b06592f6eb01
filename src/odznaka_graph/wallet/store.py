"""The wallet's rows in the SQL store: offers (hashes of their codes and tokens, each step
stamped once) and the key-proof nonces proofs have used, and which credentials a token
status list marks invalid."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import awards, credential_status_entries, wallet_nonces
from odznaka_graph.ledger.tables import wallet_offers as offers

Row = sa.Row[Any]


async def insert_offer(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(offers.insert().values(**values))


async def offer_by_code(conn: AsyncConnection, code_hash: str) -> Row | None:
    result = await conn.execute(sa.select(offers).where(offers.c.code_hash == code_hash))
    return result.first()


async def offer_by_token(conn: AsyncConnection, token_hash: str) -> Row | None:
    result = await conn.execute(sa.select(offers).where(offers.c.token_hash == token_hash))
    return result.first()


async def count_tx_failure(conn: AsyncConnection, offer_id: str) -> None:
    await conn.execute(
        offers.update().where(offers.c.id == offer_id).values(tx_failures=offers.c.tx_failures + 1)
    )


async def redeem(
    conn: AsyncConnection, offer_id: str, token_hash: str, token_expires_at: datetime, at: datetime
) -> bool:
    """Stamp the offer redeemed with its access token; False if it was redeemed already."""
    result = await conn.execute(
        offers.update()
        .where(offers.c.id == offer_id, offers.c.redeemed_at.is_(None))
        .values(redeemed_at=at, token_hash=token_hash, token_expires_at=token_expires_at)
    )
    return result.rowcount == 1


async def mark_issued(conn: AsyncConnection, offer_id: str, at: datetime) -> bool:
    result = await conn.execute(
        offers.update()
        .where(offers.c.id == offer_id, offers.c.issued_at.is_(None))
        .values(issued_at=at)
    )
    return result.rowcount == 1


async def purge_nonces(conn: AsyncConnection, before: datetime) -> None:
    """Forget used nonces that have expired anyway (they can no longer be replayed)."""
    await conn.execute(wallet_nonces.delete().where(wallet_nonces.c.expires_at < before))


async def use_nonce(conn: AsyncConnection, nonce: str, expires_at: datetime, at: datetime) -> None:
    """Write the nonce down as used (IntegrityError when it was used before)."""
    await conn.execute(
        wallet_nonces.insert().values(nonce=nonce, expires_at=expires_at, used_at=at)
    )


async def invalid_indexes(
    conn: AsyncConnection, issuer_id: str, list_no: int, at: datetime
) -> list[int]:
    """The list positions of this issuer's awards that are revoked or have expired."""
    entries = credential_status_entries
    over = sa.or_(awards.c.revoked_at.is_not(None), awards.c.expires_at <= at)
    result = await conn.execute(
        sa.select(entries.c.list_index)
        .join(awards, awards.c.id == entries.c.award_id)
        .where(entries.c.issuer_id == issuer_id, entries.c.list_no == list_no, over)
        .order_by(entries.c.list_index)
    )
    return list(result.scalars())
