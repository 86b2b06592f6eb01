"""The weekly digest (issue 14): for those who turned WEEKLY_DIGEST on, what their unread
notifications of the past week were about, counted per kind. Queued once per person and
ISO week (the id comes from both), so the worker may look as often as it likes."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger import mail as rows
from odznaka_graph.ledger.tables import mail_preferences, notifications
from odznaka_graph.mail.kinds import MailKind, mail_locale, wanted
from odznaka_graph.mail.queue import Mail, queue_many

WEEK = timedelta(days=7)
LABELS = {
    "pl": {
        "CONTACT_REQUESTED": "zaproszenia do kontaktów",
        "CONTACT_ACCEPTED": "przyjęte zaproszenia",
        "VOUCH_REQUESTED": "prośby o poparcie nominacji",
        "BADGE_PUBLISHED": "opublikowane odznaki",
        "BADGE_REJECTED": "odrzucone odznaki",
        "AWARD_RECEIVED": "nowe odznaki",
        "ADDED_TO_TEAM": "nowe klasy i zespoły",
    },
    "en": {
        "CONTACT_REQUESTED": "contact requests",
        "CONTACT_ACCEPTED": "accepted contact requests",
        "VOUCH_REQUESTED": "nominations asking for your vouch",
        "BADGE_PUBLISHED": "badges published",
        "BADGE_REJECTED": "badges rejected",
        "AWARD_RECEIVED": "new badges",
        "ADDED_TO_TEAM": "new classes and teams",
    },
}


async def queue_digests(conn: AsyncConnection, at: datetime) -> int:
    """Queue this week's digests that are due; how many there were (three statements)."""
    chosen = {
        row.account_id: rows.Preferences(row.locale, dict(row.choices))
        for row in await conn.execute(sa.select(mail_preferences))
    }
    readers = [a for a, p in chosen.items() if wanted(MailKind.WEEKLY_DIGEST, p.choices)]
    if not readers:
        return 0
    n = notifications.c
    counted = await conn.execute(
        sa.select(n.account_id, n.kind, sa.func.count())
        .where(n.account_id.in_(readers), n.read_at.is_(None), n.created_at > at - WEEK)
        .group_by(n.account_id, n.kind)
        .order_by(n.account_id, n.kind)
    )
    per_account: dict[str, list[tuple[str, int]]] = {}
    for account_id, kind, count in counted:
        per_account.setdefault(account_id, []).append((kind, int(count)))
    addresses = await rows.addresses_of(conn, list(per_account)) if per_account else {}
    year, week, _ = at.isocalendar()
    mails = []
    for account_id, kinds in per_account.items():
        if account_id not in addresses:
            continue
        labels = LABELS[mail_locale(chosen[account_id].locale)]
        items = [f"{count} × {labels.get(kind, kind)}" for kind, count in kinds]
        data = {"items": items, "count": sum(count for _, count in kinds)}
        key = f"digest:{account_id}:{year}-W{week:02d}"
        mails.append(Mail(MailKind.WEEKLY_DIGEST, addresses[account_id], data, account_id, key))
    await queue_many(conn, mails)
    return len(mails)
