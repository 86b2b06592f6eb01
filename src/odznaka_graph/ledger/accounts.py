"""Accounts, e-mail addresses and refresh tokens (the sessions)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import account_emails, accounts, refresh_tokens

Row = sa.Row[Any]


async def insert_account(
    conn: AsyncConnection, account_id: str, handle: str, password_hash: str, at: datetime
) -> None:
    await conn.execute(
        accounts.insert().values(
            id=account_id, handle=handle, password_hash=password_hash, created_at=at
        )
    )


async def insert_email(
    conn: AsyncConnection,
    account_id: str,
    email: str,
    at: datetime,
    *,
    verified: bool,
    verification_hash: str | None = None,
    for_sign_in: bool = False,
) -> None:
    await conn.execute(
        account_emails.insert().values(
            email=email,
            account_id=account_id,
            verified_at=at if verified else None,
            verification_hash=verification_hash,
            for_sign_in=for_sign_in,
            created_at=at,
        )
    )


async def email_claims(conn: AsyncConnection, email: str) -> list[Row]:
    """Every account's claim on the address (verified or not)."""
    result = await conn.execute(sa.select(account_emails).where(account_emails.c.email == email))
    return list(result)


async def email_row(conn: AsyncConnection, email: str) -> Row | None:
    """The verified claim on the address (its holder), if any."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(account_emails).where(e.email == email, e.verified_at.is_not(None))
    )
    return result.first()


def owned(claims: list[Row]) -> bool:
    """Someone holds the address: verified it, or signs in with it."""
    return any(c.verified_at is not None or c.for_sign_in for c in claims)


async def drop_other_claims(conn: AsyncConnection, email: str, account_id: str) -> None:
    """The first to verify an address keeps it: other unverified claims go."""
    e = account_emails.c
    await conn.execute(
        account_emails.delete().where(
            e.email == email, e.account_id != account_id, e.verified_at.is_(None)
        )
    )


async def emails_of(conn: AsyncConnection, account_id: str) -> list[Row]:
    result = await conn.execute(
        sa.select(account_emails)
        .where(account_emails.c.account_id == account_id)
        .order_by(account_emails.c.created_at, account_emails.c.email)
    )
    return list(result)


async def verify_email(conn: AsyncConnection, verification_hash: str, at: datetime) -> Row | None:
    result = await conn.execute(
        account_emails.update()
        .where(account_emails.c.verification_hash == verification_hash)
        .values(verified_at=at, verification_hash=None)
        .returning(account_emails.c.email, account_emails.c.account_id)
    )
    return result.first()


async def account_by_id(conn: AsyncConnection, account_id: str) -> Row | None:
    result = await conn.execute(sa.select(accounts).where(accounts.c.id == account_id))
    return result.first()


async def account_by_email(conn: AsyncConnection, email: str) -> Row | None:
    """The account that signs in with the address: its verified holder, else the account
    that registered with it (an unverified added address opens nothing)."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(accounts)
        .join(account_emails, e.account_id == accounts.c.id)
        .where(e.email == email, sa.or_(e.verified_at.is_not(None), e.for_sign_in))
        .order_by(e.verified_at.is_(None))
        .limit(1)
    )
    return result.first()


async def sign_in_account(conn: AsyncConnection, email: str) -> Row | None:
    """The account that signs in with the address: only its sign-in address (the one it
    registered with, or switched to by changeEmail) opens it; its other verified addresses
    receive credentials but open nothing (a password reset goes to the sign-in address too)."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(accounts)
        .join(account_emails, e.account_id == accounts.c.id)
        .where(e.email == email, e.for_sign_in)
        .order_by(e.verified_at.is_(None))
        .limit(1)
    )
    return result.first()


async def session_role(conn: AsyncConnection, account_id: str, family_id: str) -> str | None:
    """The account's role while the session (refresh family) is live; None once it is
    revoked or the account is gone or erased (erasure deletes the revoked tokens, so an
    access token issued before must not count again). One statement: it runs on every
    request."""
    r, a = refresh_tokens.c, accounts.c
    revoked = sa.select(r.token_hash).where(r.family_id == family_id, r.revoked_at.is_not(None))
    result = await conn.execute(
        sa.select(a.role).where(a.id == account_id, a.erased_at.is_(None), ~sa.exists(revoked))
    )
    role: str | None = result.scalar_one_or_none()
    return role


async def handle_taken(conn: AsyncConnection, handle: str) -> bool:
    result = await conn.execute(sa.select(accounts.c.id).where(accounts.c.handle == handle))
    return result.first() is not None


async def set_role(conn: AsyncConnection, account_id: str, role: str) -> None:
    await conn.execute(accounts.update().where(accounts.c.id == account_id).values(role=role))


async def insert_refresh_token(
    conn: AsyncConnection, token_hash: str, account_id: str, family_id: str, expires_at: datetime
) -> None:
    await conn.execute(
        refresh_tokens.insert().values(
            token_hash=token_hash, account_id=account_id, family_id=family_id, expires_at=expires_at
        )
    )


async def use_refresh_token(conn: AsyncConnection, token_hash: str, at: datetime) -> Row | None:
    """Mark a live token used and return it; None when it is unknown, spent or revoked."""
    result = await conn.execute(
        refresh_tokens.update()
        .where(
            refresh_tokens.c.token_hash == token_hash,
            refresh_tokens.c.used_at.is_(None),
            refresh_tokens.c.revoked_at.is_(None),
        )
        .values(used_at=at)
        .returning(refresh_tokens)
    )
    row: Row | None = result.first()
    return row


async def refresh_token(conn: AsyncConnection, token_hash: str) -> Row | None:
    result = await conn.execute(
        sa.select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
    )
    return result.first()


async def revoke_family(conn: AsyncConnection, family_id: str, at: datetime) -> None:
    await conn.execute(
        refresh_tokens.update()
        .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )


async def revoke_all_families(conn: AsyncConnection, account_id: str, at: datetime) -> None:
    """Every session of the account ends (sign out everywhere)."""
    await conn.execute(
        refresh_tokens.update()
        .where(refresh_tokens.c.account_id == account_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )


# An account that is erased, or waits for erasure (deleteMyAccount), receives nothing new.
_OPEN = sa.and_(accounts.c.erased_at.is_(None), accounts.c.deletion_due_at.is_(None))


async def ids_by_handles(conn: AsyncConnection, handles: list[str]) -> dict[str, str]:
    """The open accounts with these handles."""
    result = await conn.execute(
        sa.select(accounts.c.handle, accounts.c.id).where(accounts.c.handle.in_(handles), _OPEN)
    )
    return {row.handle: row.id for row in result}


async def verified_ids_by_emails(conn: AsyncConnection, emails: list[str]) -> dict[str, str]:
    """The open accounts that verified these addresses."""
    result = await conn.execute(
        sa.select(account_emails.c.email, account_emails.c.account_id)
        .join(accounts, accounts.c.id == account_emails.c.account_id)
        .where(account_emails.c.email.in_(emails), account_emails.c.verified_at.is_not(None), _OPEN)
    )
    return {row.email: row.account_id for row in result}
