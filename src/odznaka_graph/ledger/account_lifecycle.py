"""Password resets, sessions (device, last use) and e-mail changes (issue 14)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import (
    account_emails,
    accounts,
    email_changes,
    password_resets,
    refresh_tokens,
    sessions,
)

Row = sa.Row[Any]


async def insert_reset(
    conn: AsyncConnection, token_hash: str, account_id: str, expires_at: datetime
) -> None:
    await conn.execute(
        password_resets.insert().values(
            token_hash=token_hash, account_id=account_id, expires_at=expires_at
        )
    )


async def account_signing_in_with(conn: AsyncConnection, email: str) -> str | None:
    """The account whose sign-in address this is (a verified holder first), or None."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(e.account_id)
        .where(e.email == email, e.for_sign_in)
        .order_by(e.verified_at.is_(None), e.created_at)
        .limit(1)
    )
    account_id: str | None = result.scalar_one_or_none()
    return account_id


async def sign_in_address(conn: AsyncConnection, account_id: str) -> str | None:
    """The address the account signs in with: where mail that opens it goes."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(e.email).where(e.account_id == account_id, e.for_sign_in).limit(1)
    )
    address: str | None = result.scalar_one_or_none()
    return address


async def live_reset(conn: AsyncConnection, token_hash: str, at: datetime) -> str | None:
    """The account a live (unused, unexpired) reset token is for, without spending it."""
    r = password_resets.c
    result = await conn.execute(
        sa.select(r.account_id).where(
            r.token_hash == token_hash, r.used_at.is_(None), r.expires_at > at
        )
    )
    account_id: str | None = result.scalar_one_or_none()
    return account_id


async def spend_resets(conn: AsyncConnection, account_id: str, at: datetime) -> None:
    """Every outstanding reset token of the account stops working (its password changed)."""
    r = password_resets.c
    await conn.execute(
        password_resets.update()
        .where(r.account_id == account_id, r.used_at.is_(None))
        .values(used_at=at)
    )


async def use_reset(conn: AsyncConnection, token_hash: str, at: datetime) -> str | None:
    """Spend a live reset token; the account it was for, or None (unknown, used, expired)."""
    r = password_resets.c
    result = await conn.execute(
        password_resets.update()
        .where(r.token_hash == token_hash, r.used_at.is_(None), r.expires_at > at)
        .values(used_at=at)
        .returning(r.account_id)
    )
    account_id: str | None = result.scalar_one_or_none()
    return account_id


async def set_password(conn: AsyncConnection, account_id: str, password_hash: str) -> None:
    await conn.execute(
        accounts.update().where(accounts.c.id == account_id).values(password_hash=password_hash)
    )


async def revoke_other_families(
    conn: AsyncConnection, account_id: str, keep: str | None, at: datetime
) -> None:
    """Every session of the account ends but `keep` (None: every one)."""
    t = refresh_tokens.c
    query = refresh_tokens.update().where(t.account_id == account_id, t.revoked_at.is_(None))
    if keep is not None:
        query = query.where(t.family_id != keep)
    await conn.execute(query.values(revoked_at=at))


async def touch_session(
    conn: AsyncConnection, family_id: str, account_id: str, device: str | None, at: datetime
) -> None:
    """A session started (with its device) or refreshed (its last use)."""
    s = sessions.c
    updated = await conn.execute(
        sessions.update().where(s.family_id == family_id).values(last_used_at=at)
    )
    if updated.rowcount == 0:
        await conn.execute(
            sessions.insert().values(
                family_id=family_id,
                account_id=account_id,
                device=(device or "")[:200] or None,
                created_at=at,
                last_used_at=at,
            )
        )


async def live_sessions(conn: AsyncConnection, account_id: str, at: datetime) -> list[Row]:
    """The account's sessions that are not revoked and whose refresh token still works,
    last used first."""
    s, t = sessions.c, refresh_tokens.c
    revoked = sa.select(t.token_hash).where(t.family_id == s.family_id, t.revoked_at.is_not(None))
    live = sa.select(t.token_hash).where(
        t.family_id == s.family_id, t.used_at.is_(None), t.expires_at > at
    )
    result = await conn.execute(
        sa.select(sessions)
        .where(s.account_id == account_id, ~sa.exists(revoked), sa.exists(live))
        .order_by(s.last_used_at.desc(), s.family_id)
    )
    return list(result)


async def session_owner(conn: AsyncConnection, family_id: str) -> str | None:
    result = await conn.execute(
        sa.select(sessions.c.account_id).where(sessions.c.family_id == family_id)
    )
    owner: str | None = result.scalar_one_or_none()
    return owner


async def request_email_change(
    conn: AsyncConnection, account_id: str, email: str, at: datetime
) -> None:
    c = email_changes.c
    await conn.execute(email_changes.delete().where(c.account_id == account_id))
    await conn.execute(
        email_changes.insert().values(account_id=account_id, email=email, requested_at=at)
    )


async def complete_email_change(conn: AsyncConnection, account_id: str, email: str) -> bool:
    """If the account asked to sign in with this (now verified) address, it does from now
    on; its other addresses stay, verified, for credentials sent to them."""
    c, e = email_changes.c, account_emails.c
    done = await conn.execute(
        email_changes.delete().where(c.account_id == account_id, c.email == email)
    )
    if done.rowcount == 0:
        return False
    await conn.execute(
        account_emails.update()
        .where(e.account_id == account_id, e.email != email)
        .values(for_sign_in=False)
    )
    await conn.execute(
        account_emails.update()
        .where(e.account_id == account_id, e.email == email)
        .values(for_sign_in=True)
    )
    return True
