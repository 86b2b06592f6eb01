"""Reports and platform moderators (issue 15): anyone signed in reports a club, a peer
badge, a profile or an award; the report waits in its scope's queue (CLUB: the club's owners
and moderators; PLATFORM: the platform moderators) until one decision closes it.
`open_key` is set while a report is open: its unique constraint keeps one open report per
reporter and target (NULLs never collide). A decision is one conditional UPDATE of an OPEN
row, so of two concurrent decisions exactly one goes through."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.pages import newest_page
from odznaka_graph.ledger.table_types import AT, ID, metadata
from odznaka_graph.paging import Page, Window

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("reporter_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("target_type", sa.String(20), nullable=False),  # Club, Badge, User, Award
    sa.Column("target_id", ID, nullable=False),
    sa.Column("scope", sa.String(20), nullable=False),  # CLUB, PLATFORM
    sa.Column("club_id", ID),  # the club whose moderators see it (CLUB scope)
    sa.Column("reason", sa.String(20), nullable=False),
    sa.Column("note", sa.String(1000)),
    sa.Column("status", sa.String(20), nullable=False),  # OPEN, DECIDED
    sa.Column("open_key", sa.String(120), unique=True),  # reporter:type:target while OPEN
    sa.Column("created_at", AT, nullable=False),
    sa.Column("decision", sa.String(20)),  # HIDE, DISMISS
    sa.Column("decided_by", ID),
    sa.Column("decided_at", AT),
    sa.Column("decision_note", sa.String(1000)),
    sa.Index("ix_reports_scope_status", "scope", "status", "created_at"),
    sa.Index("ix_reports_club_status", "club_id", "status", "created_at"),
)

platform_moderators = sa.Table(
    "platform_moderators",
    metadata,
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True),
    sa.Column("granted_at", AT, nullable=False),
)


@dataclass(frozen=True)
class ReportRow:
    id: str
    reporter_id: str
    target_type: str
    target_id: str
    scope: str
    club_id: str | None
    reason: str
    note: str | None
    status: str
    created_at: datetime
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


_FIELDS = [c for c in reports.c if c.name != "open_key"]


def to_row(row: sa.Row[Any]) -> ReportRow:
    return ReportRow(**{c.name: row._mapping[c.name] for c in _FIELDS})


def open_key(reporter_id: str, target_type: str, target_id: str) -> str:
    return f"{reporter_id}:{target_type}:{target_id}"


async def insert_report(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(reports.insert().values(**values))


async def report(conn: AsyncConnection, report_id: str) -> ReportRow | None:
    row = (await conn.execute(sa.select(*_FIELDS).where(reports.c.id == report_id))).first()
    return to_row(row) if row else None


async def open_report(conn: AsyncConnection, key: str) -> ReportRow | None:
    row = (await conn.execute(sa.select(*_FIELDS).where(reports.c.open_key == key))).first()
    return to_row(row) if row else None


async def page(
    conn: AsyncConnection,
    window: Window,
    *,
    status: str,
    club_ids: Sequence[str] | None,
) -> Page[ReportRow]:
    """A page of the queue, newest first, with the count: every report (club_ids None, for
    platform moderators) or the club-scope reports of these clubs."""
    where = [reports.c.status == status]
    if club_ids is not None:
        where += [reports.c.scope == "CLUB", reports.c.club_id.in_(list(club_ids))]
    query = sa.select(*_FIELDS).where(*where)
    counted = sa.select(sa.func.count()).select_from(reports).where(*where)
    return await newest_page(
        conn, query, reports.c.created_at, reports.c.id, window, counted, to_row
    )


async def decide(
    conn: AsyncConnection,
    report_id: str,
    *,
    decision: str,
    actor: str,
    at: datetime,
    note: str | None,
) -> bool:
    """Close an OPEN report; False when it was decided already (the condition in the UPDATE
    lets exactly one of two concurrent decisions through)."""
    result = await conn.execute(
        reports.update()
        .where(reports.c.id == report_id, reports.c.status == "OPEN")
        .values(
            status="DECIDED",
            open_key=None,
            decision=decision,
            decided_by=actor,
            decided_at=at,
            decision_note=note,
        )
    )
    return result.rowcount == 1


async def escalate(conn: AsyncConnection, report_id: str) -> bool:
    """Move an OPEN club-scope report to the platform moderators; False if it was not one."""
    result = await conn.execute(
        reports.update()
        .where(reports.c.id == report_id, reports.c.status == "OPEN", reports.c.scope == "CLUB")
        .values(scope="PLATFORM")
    )
    return result.rowcount == 1


async def is_platform_moderator(conn: AsyncConnection, account_id: str) -> bool:
    query = sa.select(platform_moderators.c.account_id).where(
        platform_moderators.c.account_id == account_id
    )
    return (await conn.execute(query)).first() is not None


async def add_platform_moderator(conn: AsyncConnection, account_id: str, at: datetime) -> bool:
    """False when the account was one already."""
    if await is_platform_moderator(conn, account_id):
        return False
    await conn.execute(platform_moderators.insert().values(account_id=account_id, granted_at=at))
    return True
