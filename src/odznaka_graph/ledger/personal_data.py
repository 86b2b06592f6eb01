"""What the SQL store holds about one person (issue 14, data export), table by table and
column by column from an allow-list, and the archives made of it."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import (
    account_emails,
    accounts,
    audit_log,
    awards,
    badge_requests,
    challenge_completions,
    data_exports,
    external_credentials,
    issued_credentials,
    mail_preferences,
    notifications,
    organization_staff,
    point_events,
    registered_age_bands,
    sessions,
    uploaded_files,
)

# What goes into the archive is an allow-list: per section, its table, the column naming
# the person, and the columns kept. Left out: secrets (password hash, tokens, queued mail),
# internal keys, and whoever else acted (the staff member who awarded or revoked, the
# actor of a notification): the person's own data only. One statement per section.
SECTIONS: list[tuple[str, sa.Table, str, tuple[str, ...]]] = [
    ("emails", account_emails, "account_id", ("email", "verified_at", "for_sign_in", "created_at")),
    (
        "awards",
        awards,
        "recipient_id",
        ("id", "badge_id", "recipient_email", "issued_at", "expires_at", "evidence")
        + ("revoked_at", "revoke_reason"),
    ),
    (
        "importedCredentials",
        external_credentials,
        "account_id",
        ("id", "format", "source", "document", "summary", "status", "reasons")
        + ("checked_at", "created_at"),
    ),
    ("points", point_events, "account_id", ("amount", "reason", "source_id", "at")),
    ("challengesCompleted", challenge_completions, "account_id", ("challenge_id", "completed_at")),
    ("organizationRoles", organization_staff, "account_id", ("organization_id", "role")),
    ("notifications", notifications, "account_id", ("id", "kind", "created_at", "read_at")),
    ("sessions", sessions, "account_id", ("family_id", "device", "created_at", "last_used_at")),
    ("mailPreferences", mail_preferences, "account_id", ("locale", "choices")),
    ("activity", audit_log, "actor_id", ("at", "action", "subject_type", "subject_id", "data")),
    (
        "badgeRequests",
        badge_requests,
        "learner_id",
        ("id", "badge_id", "status", "narrative", "link", "file_id", "created_at")
        + ("decided_at", "decline_reason", "award_id"),
    ),
    (
        "uploadedFiles",
        uploaded_files,
        "owner_id",
        ("id", "purpose", "content_type", "size", "width", "height", "created_at"),
    ),
    ("ageBand", registered_age_bands, "account_id", ("age_band", "recorded_at")),
]
ACCOUNT = ("id", "handle", "role", "created_at")
ISSUED = ("award_id", "format", "issuer_id", "document", "issued_at")


def _kept(row: sa.Row[Any], columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: row._mapping[column] for column in columns}


async def rows_of(conn: AsyncConnection, account_id: str) -> dict[str, Any]:
    account = (await conn.execute(sa.select(accounts).where(accounts.c.id == account_id))).one()
    found: dict[str, Any] = {"account": _kept(account, ACCOUNT)}
    for name, table, person, columns in SECTIONS:
        result = await conn.execute(sa.select(table).where(table.c[person] == account_id))
        found[name] = [_kept(row, columns) for row in result]
    award_ids = [award["id"] for award in found["awards"]]
    issued = await conn.execute(
        sa.select(issued_credentials).where(issued_credentials.c.award_id.in_(award_ids))
    )
    found["credentialsAsIssued"] = [_kept(row, ISSUED) for row in issued]
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
