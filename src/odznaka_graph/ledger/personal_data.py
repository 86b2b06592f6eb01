"""What the SQL store holds about one person (issue 14, data export), table by table, and
the archives made of it. Secrets (password hash, tokens, queued mail) are left out."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import (
    account_emails,
    accounts,
    audit_log,
    awards,
    challenge_completions,
    data_exports,
    external_credentials,
    issued_credentials,
    mail_preferences,
    notifications,
    organization_staff,
    point_events,
    sessions,
)

# (section, table, the column naming the person); one statement each.
SECTIONS: list[tuple[str, sa.Table, sa.Column[Any]]] = [
    ("emails", account_emails, account_emails.c.account_id),
    ("awards", awards, awards.c.recipient_id),
    ("importedCredentials", external_credentials, external_credentials.c.account_id),
    ("points", point_events, point_events.c.account_id),
    ("challengesCompleted", challenge_completions, challenge_completions.c.account_id),
    ("organizationRoles", organization_staff, organization_staff.c.account_id),
    ("notifications", notifications, notifications.c.account_id),
    ("sessions", sessions, sessions.c.account_id),
    ("mailPreferences", mail_preferences, mail_preferences.c.account_id),
    ("activity", audit_log, audit_log.c.actor_id),
]
HIDDEN = {"password_hash", "verification_hash"}


def _plain(row: sa.Row[Any]) -> dict[str, Any]:
    return {key: value for key, value in row._mapping.items() if key not in HIDDEN}


async def rows_of(conn: AsyncConnection, account_id: str) -> dict[str, Any]:
    account = (await conn.execute(sa.select(accounts).where(accounts.c.id == account_id))).one()
    found: dict[str, Any] = {"account": _plain(account)}
    for name, table, column in SECTIONS:
        result = await conn.execute(sa.select(table).where(column == account_id))
        found[name] = [_plain(row) for row in result]
    award_ids = [award["id"] for award in found["awards"]]
    issued = await conn.execute(
        sa.select(issued_credentials).where(issued_credentials.c.award_id.in_(award_ids))
    )
    found["credentialsAsIssued"] = [_plain(row) for row in issued]
    return found


async def insert_export(
    conn: AsyncConnection,
    export_id: str,
    account_id: str,
    token_hash: str,
    content: str,
    at: datetime,
    expires_at: datetime,
) -> None:
    await conn.execute(
        data_exports.insert().values(
            id=export_id,
            account_id=account_id,
            token_hash=token_hash,
            content=content,
            created_at=at,
            expires_at=expires_at,
        )
    )


async def replace_live_exports(conn: AsyncConnection, account_id: str) -> None:
    """A new archive replaces the account's earlier ones: their links stop working."""
    d = data_exports.c
    await conn.execute(
        data_exports.update()
        .where(d.account_id == account_id, d.content.is_not(None))
        .values(content=None)
    )


async def take_export(
    conn: AsyncConnection, export_id: str, token_hash: str, at: datetime
) -> str | None:
    """The archive, once: it is dropped as it is handed out. None for a wrong token, or an
    archive downloaded, replaced or expired."""
    d = data_exports.c
    result = await conn.execute(
        sa.select(d.content)
        .where(d.id == export_id, d.token_hash == token_hash, d.expires_at > at)
        .where(d.used_at.is_(None), d.content.is_not(None))
    )
    content: str | None = result.scalar_one_or_none()
    if content is None:
        return None
    taken = await conn.execute(
        data_exports.update()
        .where(d.id == export_id, d.used_at.is_(None))
        .values(used_at=at, content=None)
    )
    return content if taken.rowcount == 1 else None  # a concurrent download won


async def purge_expired_exports(conn: AsyncConnection, at: datetime) -> int:
    """Drop the content of archives past their expiry; how many."""
    d = data_exports.c
    result = await conn.execute(
        data_exports.update().where(d.expires_at <= at, d.content.is_not(None)).values(content=None)
    )
    return int(result.rowcount)
