"""The rows of wallet presentations in the SQL store: requests (found by the hash of their
request_uri code or of their result handle), each answered once, and wallet identities."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import accounts, awards, credential_status_entries
from odznaka_graph.ledger.wallet_tables import wallet_identities as identities
from odznaka_graph.ledger.wallet_tables import wallet_presentation_requests as requests

Row = sa.Row[Any]


async def insert_request(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(requests.insert().values(**values))


async def purge(conn: AsyncConnection, before: datetime) -> None:
    """Forget requests that expired a day ago (their outcome has been read or lost)."""
    await conn.execute(requests.delete().where(requests.c.expires_at < before))


async def by_code(conn: AsyncConnection, code_hash: str) -> Row | None:
    result = await conn.execute(sa.select(requests).where(requests.c.code_hash == code_hash))
    return result.first()


async def by_result(conn: AsyncConnection, result_hash: str) -> Row | None:
    result = await conn.execute(sa.select(requests).where(requests.c.result_hash == result_hash))
    return result.first()


async def answer(
    conn: AsyncConnection, request_id: str, outcome: dict[str, Any], at: datetime
) -> bool:
    """Stamp the request answered with its outcome; False if it was answered already."""
    result = await conn.execute(
        requests.update()
        .where(requests.c.id == request_id, requests.c.answered_at.is_(None))
        .values(answered_at=at, outcome=outcome)
    )
    return result.rowcount == 1


async def amend(conn: AsyncConnection, request_id: str, outcome: dict[str, Any]) -> None:
    await conn.execute(requests.update().where(requests.c.id == request_id).values(outcome=outcome))


async def collect(conn: AsyncConnection, request_id: str, at: datetime) -> bool:
    """Stamp a sign-in's tokens handed out; False if they were already."""
    result = await conn.execute(
        requests.update()
        .where(requests.c.id == request_id, requests.c.collected_at.is_(None))
        .values(collected_at=at)
    )
    return result.rowcount == 1


async def award_by_status(
    conn: AsyncConnection, issuer_id: str, list_no: int, index: int
) -> Row | None:
    """The award at this slot of its issuer's status list, with its recipient's account."""
    entries = credential_status_entries
    result = await conn.execute(
        sa.select(awards, accounts.c.erased_at.label("recipient_erased_at"))
        .join(entries, entries.c.award_id == awards.c.id)
        .join(accounts, accounts.c.id == awards.c.recipient_id, isouter=True)
        .where(
            entries.c.issuer_id == issuer_id,
            entries.c.list_no == list_no,
            entries.c.list_index == index,
        )
    )
    return result.first()


async def link_identity(
    conn: AsyncConnection,
    identity_id: str,
    issuer: str,
    subject: str,
    account_id: str,
    at: datetime,
) -> str | None:
    """The account an identity is linked to (linking it now if it is new)."""
    found = await conn.execute(
        sa.select(identities.c.id, identities.c.account_id).where(
            identities.c.issuer == issuer, identities.c.subject == subject
        )
    )
    row = found.first()
    if row is None:
        await conn.execute(
            identities.insert().values(
                id=identity_id,
                issuer=issuer,
                subject=subject,
                account_id=account_id,
                linked_at=at,
                last_used_at=at,
            )
        )
        return None
    await conn.execute(identities.update().where(identities.c.id == row.id).values(last_used_at=at))
    return str(row.account_id)
