"""Queued mail (issue 14): the rows the mail worker sends, and mail preferences."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.inserts import insert_new
from odznaka_graph.ledger.tables import account_emails, mail_messages, mail_preferences

QUEUED, SENT, FAILED = "QUEUED", "SENT", "FAILED"
STATUSES = (QUEUED, SENT, FAILED)


@dataclass(frozen=True)
class Message:
    id: str
    kind: str
    recipient: str
    account_id: str | None
    locale: str
    data: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


def _message(row: sa.Row[Any]) -> Message:
    return Message(**{column: getattr(row, column) for column in Message.__dataclass_fields__})


@dataclass(frozen=True)
class NewMessage:
    id: str
    kind: str
    recipient: str
    account_id: str | None
    locale: str
    data: dict[str, Any]


async def insert_messages(conn: AsyncConnection, new: list[NewMessage], at: datetime) -> None:
    """Queue messages in one statement; one whose id is queued already is left as it is."""
    if not new:
        return
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    values = [
        vars(message) | {"status": QUEUED, "attempts": 0, "next_attempt_at": at, "created_at": at}
        for message in new
    ]
    await conn.execute(dialect.insert(mail_messages).values(values).on_conflict_do_nothing())


async def due_ids(conn: AsyncConnection, at: datetime, limit: int) -> list[str]:
    m = mail_messages.c
    result = await conn.execute(
        sa.select(m.id)
        .where(m.status == QUEUED, m.next_attempt_at <= at)
        .order_by(m.next_attempt_at, m.id)
        .limit(limit)
    )
    return list(result.scalars())


async def lease(
    conn: AsyncConnection, ids: list[str], at: datetime, until: datetime
) -> list[Message]:
    """Take the due messages for one sender until `until` (another instance skips them
    meanwhile); returns those taken."""
    m = mail_messages.c
    result = await conn.execute(
        mail_messages.update()
        .where(m.id.in_(ids), m.status == QUEUED, m.next_attempt_at <= at)
        .values(next_attempt_at=until)
        .returning(mail_messages)
    )
    return sorted((_message(row) for row in result), key=lambda m: (m.created_at, m.id))


async def release(conn: AsyncConnection, ids: list[str], at: datetime) -> None:
    m = mail_messages.c
    await conn.execute(
        mail_messages.update().where(m.id.in_(ids), m.status == QUEUED).values(next_attempt_at=at)
    )


async def mark_sent(conn: AsyncConnection, message_id: str, at: datetime) -> None:
    await conn.execute(
        mail_messages.update()
        .where(mail_messages.c.id == message_id)
        .values(status=SENT, sent_at=at, attempts=mail_messages.c.attempts + 1, last_error=None)
    )


async def mark_attempt_failed(
    conn: AsyncConnection, message_id: str, error: str, retry_at: datetime | None
) -> None:
    """Count a failed attempt: retried at `retry_at`, or given up (FAILED) when None."""
    values: dict[str, Any] = {
        "attempts": mail_messages.c.attempts + 1,
        "last_error": error[:500],
    }
    values |= {"next_attempt_at": retry_at} if retry_at else {"status": FAILED}
    await conn.execute(
        mail_messages.update().where(mail_messages.c.id == message_id).values(**values)
    )


async def counts(conn: AsyncConnection) -> dict[str, int]:
    m = mail_messages.c
    result = await conn.execute(sa.select(m.status, sa.func.count()).group_by(m.status))
    found = {status: 0 for status in STATUSES}
    return found | {row[0]: int(row[1]) for row in result}


async def messages(conn: AsyncConnection, status: str | None, limit: int) -> list[Message]:
    """The newest messages first, of one status or all."""
    m = mail_messages.c
    query = sa.select(mail_messages).order_by(m.created_at.desc(), m.id).limit(limit)
    if status is not None:
        query = query.where(m.status == status)
    return [_message(row) for row in await conn.execute(query)]


async def message(conn: AsyncConnection, message_id: str) -> Message | None:
    row = await conn.execute(sa.select(mail_messages).where(mail_messages.c.id == message_id))
    found = row.first()
    return _message(found) if found is not None else None


@dataclass(frozen=True)
class Preferences:
    locale: str | None
    choices: dict[str, bool]


async def preferences(conn: AsyncConnection, account_id: str) -> Preferences:
    result = await conn.execute(
        sa.select(mail_preferences).where(mail_preferences.c.account_id == account_id)
    )
    row = result.first()
    return Preferences(row.locale, dict(row.choices)) if row else Preferences(None, {})


async def save_preferences(
    conn: AsyncConnection, account_id: str, preferences: Preferences
) -> None:
    p = mail_preferences.c
    values = {"locale": preferences.locale, "choices": preferences.choices}
    if not await insert_new(conn, mail_preferences, {"account_id": account_id} | values):
        await conn.execute(
            mail_preferences.update().where(p.account_id == account_id).values(values)
        )


async def remember_locale(conn: AsyncConnection, account_id: str, locale: str) -> None:
    chosen = await preferences(conn, account_id)
    await save_preferences(conn, account_id, Preferences(locale, chosen.choices))


async def preferences_of(conn: AsyncConnection, account_ids: list[str]) -> dict[str, Preferences]:
    """Several accounts' preferences in one statement (defaults for those without)."""
    p = mail_preferences.c
    result = await conn.execute(sa.select(mail_preferences).where(p.account_id.in_(account_ids)))
    found = {row.account_id: Preferences(row.locale, dict(row.choices)) for row in result}
    return {account_id: found.get(account_id, Preferences(None, {})) for account_id in account_ids}


async def addresses_of(conn: AsyncConnection, account_ids: list[str]) -> dict[str, str]:
    """Where each account's mail goes (see verified_address), in one statement."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(e.account_id, e.email)
        .where(e.account_id.in_(account_ids), sa.or_(e.verified_at.is_not(None), e.for_sign_in))
        .order_by(e.verified_at.is_(None).desc(), e.created_at.desc())
    )
    return {row.account_id: row.email for row in result}  # the last one wins: the best


async def verified_address(conn: AsyncConnection, account_id: str) -> str | None:
    """Where the account's mail goes: its first verified address, else the address it
    signs in with."""
    e = account_emails.c
    result = await conn.execute(
        sa.select(e.email)
        .where(e.account_id == account_id, sa.or_(e.verified_at.is_not(None), e.for_sign_in))
        .order_by(e.verified_at.is_(None), e.created_at)
        .limit(1)
    )
    address: str | None = result.scalar_one_or_none()
    return address


def retry_delay(attempts: int, first: float, longest: float) -> timedelta:
    """Back-off after `attempts` failed attempts: doubling from `first`, at most `longest`."""
    return timedelta(seconds=min(longest, first * 2 ** max(0, attempts - 1)))
