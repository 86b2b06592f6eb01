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
# Data only the mail itself may carry (a reset, verification or download token): kept while
# the message waits to be sent, dropped from the row the moment it is sent or given up.
SECRETS = frozenset({"token"})


def without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in SECRETS}


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
    conn: AsyncConnection, ids: list[str], at: datetime, until: datetime, claim: str
) -> list[Message]:
    """Take the due messages for one sender until `until` under its `claim` (another
    instance skips them meanwhile, and takes them over once the lease ends); returns those
    taken."""
    m = mail_messages.c
    result = await conn.execute(
        mail_messages.update()
        .where(m.id.in_(ids), m.status == QUEUED, m.next_attempt_at <= at)
        .values(next_attempt_at=until, claim=claim)
        .returning(mail_messages)
    )
    return sorted((_message(row) for row in result), key=lambda m: (m.created_at, m.id))


def _claimed(message_id: str, claim: str) -> sa.ColumnElement[bool]:
    m = mail_messages.c
    return sa.and_(m.id == message_id, m.claim == claim, m.status == QUEUED)


async def renew(conn: AsyncConnection, message_id: str, claim: str, until: datetime) -> bool:
    """Extend the lease on one message just before it is sent; False when the lease ended
    and another sender holds (or sent) it: then it must not be sent here."""
    result = await conn.execute(
        mail_messages.update().where(_claimed(message_id, claim)).values(next_attempt_at=until)
    )
    return bool(result.rowcount)


async def release(conn: AsyncConnection, ids: list[str], claim: str, at: datetime) -> None:
    m = mail_messages.c
    await conn.execute(
        mail_messages.update()
        .where(m.id.in_(ids), m.claim == claim, m.status == QUEUED)
        .values(next_attempt_at=at)
    )


async def mark_sent(conn: AsyncConnection, message: Message, claim: str, at: datetime) -> bool:
    """Sent under this claim: its secrets leave the row. False when the claim was lost."""
    result = await conn.execute(
        mail_messages.update()
        .where(_claimed(message.id, claim))
        .values(
            status=SENT,
            sent_at=at,
            attempts=mail_messages.c.attempts + 1,
            last_error=None,
            data=without_secrets(message.data),
        )
    )
    return bool(result.rowcount)


async def mark_attempt_failed(
    conn: AsyncConnection, message: Message, claim: str, error: str, retry_at: datetime | None
) -> bool:
    """Count a failed attempt: retried at `retry_at`, or given up (FAILED, its secrets
    dropped) when None. False when the claim was lost."""
    values: dict[str, Any] = {
        "attempts": mail_messages.c.attempts + 1,
        "last_error": error[:500],
    }
    if retry_at:
        values["next_attempt_at"] = retry_at
    else:
        values |= {"status": FAILED, "data": without_secrets(message.data)}
    result = await conn.execute(
        mail_messages.update().where(_claimed(message.id, claim)).values(**values)
    )
    return bool(result.rowcount)


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
