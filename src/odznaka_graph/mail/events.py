"""Mail caused by committed outbox events (issue 14): an award received, a claim invitation
for an award sent to an address nobody holds, a club or class invitation, a review outcome.

The event handler "mail" (effects.py) queues a batch's mail in the transaction that marks
the batch handled, so a crash never loses one and a fault is retried (then parked) without
holding up the graph; each mail's id comes from its event, kind and recipient, so an event
handled twice queues nothing twice. A handful of statements per batch, however long."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.effects import EventHandler, Finish
from odznaka_graph.ledger import mail as rows
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.ledger.tables import accounts, awards, badges, organization_staff
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue_many

STAFF_ROLES = ("OWNER", "ADMIN", "ISSUER")
MAILED = {"award.issued", "club.member_invited", "team.member_added", "badge.reviewed"}


def mail_handler() -> EventHandler:
    async def handle(events: list[OutboxEvent], finish: Finish) -> None:
        async def queue(conn: AsyncConnection) -> None:
            await queue_many(conn, await mails_for(conn, events))

        await finish(queue)

    return EventHandler("mail", tuple(sorted(MAILED)), handle)


async def mails_for(conn: AsyncConnection, events: list[OutboxEvent]) -> list[Mail]:
    award_ids = [e.payload["id"] for e in events if e.topic == "award.issued"]
    badge_ids = [e.payload["id"] for e in events if e.topic == "badge.reviewed"]
    found_awards = await _awards(conn, award_ids) if award_ids else {}
    reviewed = await _reviewed(conn, badge_ids) if badge_ids else {}
    people = {e.payload.get("userId") for e in events} | {e.payload.get("actorId") for e in events}
    people |= {a["recipient_id"] for a in found_awards.values()}
    people |= {person for _, members in reviewed.values() for person in members}
    known = sorted(person for person in people if person)
    addresses = await rows.addresses_of(conn, known) if known else {}
    handles = await _handles(conn, known) if known else {}
    mails = []
    for event in events:
        for kind, account_id, to, data in _for_event(event, found_awards, reviewed, addresses):
            data = data | {"inviterName": "@" + handles.get(event.payload.get("actorId"), "")}
            key = f"{event.event_id}:{kind.value}:{to}"
            mails.append(Mail(kind, to, data, account_id, key))
    return mails


Recipient = tuple[MailKind, str | None, str, dict[str, Any]]


def _for_event(
    event: OutboxEvent,
    found_awards: dict[str, dict[str, Any]],
    reviewed: dict[str, tuple[dict[str, str], list[str]]],
    addresses: dict[str, str],
) -> list[Recipient]:
    p = event.payload
    if event.topic == "award.issued" and p["id"] in found_awards:
        award = found_awards[p["id"]]
        data = {"awardId": p["id"], "badgeName": award["badge_name"]}
        holder = award["recipient_id"]
        if holder is None and award["recipient_email"]:
            return [(MailKind.CLAIM_INVITATION, None, award["recipient_email"], data)]
        return (
            [(MailKind.AWARD_RECEIVED, holder, addresses[holder], data)]
            if holder in addresses
            else []
        )
    if event.topic in ("club.member_invited", "team.member_added"):
        kind = (
            MailKind.CLUB_INVITATION
            if event.topic.startswith("club")
            else MailKind.CLASS_INVITATION
        )
        person = p.get("userId")
        return [(kind, person, addresses[person], {"id": p["id"]})] if person in addresses else []
    if event.topic == "badge.reviewed":
        props = p.get("props") or {}
        name, members = reviewed.get(p["id"], ({}, []))
        data = {
            "badgeName": name,
            "outcome": props.get("status"),
            "comment": props.get("reviewComment") or "",
        }
        return [(MailKind.REVIEW_OUTCOME, m, addresses[m], data) for m in members if m in addresses]
    return []


def _name(content: dict[str, Any]) -> dict[str, str]:
    """The badge's name in every language it has; the mail picks the recipient's."""
    return dict(content.get("name") or {})


async def _awards(conn: AsyncConnection, award_ids: list[str]) -> dict[str, dict[str, Any]]:
    a, b = awards.c, badges.c
    result = await conn.execute(
        sa.select(a.id, a.recipient_id, a.recipient_email, b.content)
        .join(badges, b.id == a.badge_id)
        .where(a.id.in_(award_ids))
    )
    return {
        row.id: {
            "recipient_id": row.recipient_id,
            "recipient_email": row.recipient_email,
            "badge_name": _name(row.content),
        }
        for row in result
    }


async def _reviewed(
    conn: AsyncConnection, badge_ids: list[str]
) -> dict[str, tuple[dict[str, str], list[str]]]:
    """Each badge's name and its issuer's staff who manage badges."""
    b, s = badges.c, organization_staff.c
    result = await conn.execute(
        sa.select(b.id, b.content, s.account_id)
        .outerjoin(organization_staff, s.organization_id == b.organization_id)
        .where(b.id.in_(badge_ids), sa.or_(s.role.in_(STAFF_ROLES), s.role.is_(None)))
    )
    found: dict[str, tuple[dict[str, str], list[str]]] = {}
    for row in result:
        _, members = found.setdefault(row.id, (_name(row.content), []))
        members.extend([row.account_id] if row.account_id else [])
    return found


async def _handles(conn: AsyncConnection, account_ids: list[str]) -> dict[str | None, str]:
    result = await conn.execute(
        sa.select(accounts.c.id, accounts.c.handle).where(accounts.c.id.in_(account_ids))
    )
    return {row.id: row.handle for row in result}
