"""Badge requests (issue 15): a learner asks an organisation for one of its badges with
evidence; its staff approve (the award goes through the awards ledger) or decline.
`open_key` is set while a request is open: its unique constraint keeps one open request
per learner and badge (NULLs never collide). `tables` re-exports the table."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.images import uploaded_files
from odznaka_graph.ledger.pages import newest_page
from odznaka_graph.ledger.table_types import AT, ID, metadata
from odznaka_graph.paging import Page, Window

badge_requests = sa.Table(
    "badge_requests",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("badge_id", ID, sa.ForeignKey("badges.id"), nullable=False),
    sa.Column("organization_id", ID, sa.ForeignKey("organizations.id"), nullable=False),
    sa.Column("learner_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),  # OPEN, APPROVED, DECLINED
    sa.Column("open_key", sa.String(80), unique=True),  # badge:learner while OPEN
    sa.Column("narrative", sa.String(2000), nullable=False),
    sa.Column("link", sa.String(500)),
    sa.Column("file_id", ID, sa.ForeignKey("uploaded_files.id")),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("decided_by", ID, sa.ForeignKey("accounts.id")),
    sa.Column("decided_at", AT),
    sa.Column("decline_reason", sa.String(1000)),
    sa.Column("award_id", ID),
    sa.Index("ix_badge_requests_org_status", "organization_id", "status", "created_at"),
)

Row = sa.Row[Any]


@dataclass(frozen=True)
class BadgeRequestRow:
    id: str
    badge_id: str
    organization_id: str
    learner_id: str
    status: str
    narrative: str
    link: str | None
    file_id: str | None
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None
    award_id: str | None


def to_row(row: Row) -> BadgeRequestRow:
    return BadgeRequestRow(**{c.name: row._mapping[c.name] for c in _FIELDS})


_FIELDS = [c for c in badge_requests.c if c.name != "open_key"]


def open_key(badge_id: str, learner_id: str) -> str:
    return f"{badge_id}:{learner_id}"


async def insert_request(conn: AsyncConnection, **values: Any) -> None:
    await conn.execute(badge_requests.insert().values(**values))


async def request(conn: AsyncConnection, request_id: str) -> BadgeRequestRow | None:
    query = sa.select(*_FIELDS).where(badge_requests.c.id == request_id)
    row = (await conn.execute(query)).first()
    return to_row(row) if row else None


async def open_request(
    conn: AsyncConnection, badge_id: str, learner_id: str
) -> BadgeRequestRow | None:
    query = sa.select(*_FIELDS).where(badge_requests.c.open_key == open_key(badge_id, learner_id))
    row = (await conn.execute(query)).first()
    return to_row(row) if row else None


async def page(
    conn: AsyncConnection,
    window: Window,
    *,
    status: str | None,
    organization_id: str | None = None,
    learner_id: str | None = None,
) -> Page[BadgeRequestRow]:
    """A page of an organisation's (or a learner's) requests, newest first, with the count."""
    where = [
        column == value
        for column, value in (
            (badge_requests.c.organization_id, organization_id),
            (badge_requests.c.learner_id, learner_id),
            (badge_requests.c.status, status),
        )
        if value is not None
    ]
    query = sa.select(*_FIELDS).where(*where)
    counted = sa.select(sa.func.count()).select_from(badge_requests).where(*where)
    created, ids = badge_requests.c.created_at, badge_requests.c.id
    return await newest_page(conn, query, created, ids, window, counted, to_row)


async def decide(
    conn: AsyncConnection,
    request_id: str,
    *,
    status: str,
    actor: str,
    at: datetime,
    decline_reason: str | None = None,
) -> bool:
    """Close an OPEN request; False when it was not open any more (someone decided first:
    the conditional update lets exactly one decision through)."""
    result = await conn.execute(
        badge_requests.update()
        .where(badge_requests.c.id == request_id, badge_requests.c.status == "OPEN")
        .values(
            status=status,
            open_key=None,
            decided_by=actor,
            decided_at=at,
            decline_reason=decline_reason,
        )
    )
    return result.rowcount == 1


async def set_award(conn: AsyncConnection, request_id: str, award_id: str) -> None:
    query = badge_requests.update().where(badge_requests.c.id == request_id)
    await conn.execute(query.values(award_id=award_id))


async def erase_person(conn: AsyncConnection, account_id: str) -> None:
    """An erased account's badge requests and evidence files go (awards made from them
    stay, with the evidence they were given); a staff member's decisions lose their name."""
    r, f = badge_requests.c, uploaded_files.c
    await conn.execute(badge_requests.delete().where(r.learner_id == account_id))
    await conn.execute(
        badge_requests.update().where(r.decided_by == account_id).values(decided_by=None)
    )
    await conn.execute(
        uploaded_files.delete().where(f.owner_id == account_id, f.purpose == "EVIDENCE")
    )
