"""Erasing an account's personal data from the SQL store (issue 14, deleteMyAccount, GDPR
article 17). The account row stays under a pseudonym (`deleted-<id>`, no password) so the
awards it received stay verifiable for those who rely on them; everything that names the
person (addresses, sessions, mail, notifications, points, imported credentials, roles,
exports, audit and outbox payloads, throttle keys) goes or is blanked."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger import account_merges as merge_rows
from odznaka_graph.ledger import badge_requests as badge_request_rows
from odznaka_graph.ledger.tables import (
    account_emails,
    accounts,
    audit_log,
    awards,
    challenge_completions,
    data_exports,
    email_changes,
    external_credentials,
    guardian_consents,
    house_members,
    mail_messages,
    mail_preferences,
    notification_pushes,
    notifications,
    organization_staff,
    outbox,
    password_resets,
    platform_moderators,
    point_events,
    pupil_codes,
    pupils,
    refresh_tokens,
    registered_age_bands,
    reports,
    sessions,
    throttles,
    wallet_identities,
)

# Rows that are the person's alone: deleted.
OWN: tuple[sa.Table, ...] = (
    sessions,
    refresh_tokens,
    email_changes,
    password_resets,
    data_exports,
    mail_preferences,
    notification_pushes,
    notifications,
    point_events,
    challenge_completions,
    external_credentials,
    organization_staff,
    mail_messages,
    wallet_identities,  # a wallet that signed in as the person (issue 16)
    pupil_codes,  # a pupil's sign-in codes, the typed name, the guardian's address
    guardian_consents,
    pupils,
    registered_age_bands,  # the age band given at registration
    notification_pushes,  # which outbox events were the person's notifications
    house_members,  # the learner's house in a class (issue 15)
    platform_moderators,  # the role (issue 15, reports)
)
# Rows that name the account but are kept (tests/test_account_lifecycle_deletion.py):
KEPT = {
    "account_emails": "deleted by `erase` itself, with the mail sent to them",
    "awards": "what others hold and verify: the recipient's address is blanked",
    "badges": "an organisation's badge its staff member created",
    "challenges": "a team's challenge its teacher created",
    "organizations": "an organisation its owner created",
    "account_merges": "a merge's record; `forget_addresses` blanks its address",
    # issue 15: `badge_requests.erase_person` deletes the person's requests and evidence
    "badge_requests": "deleted when the learner's; a staff member's decisions lose the name",
    "uploaded_files": "evidence deleted; a club's badge picture stays with the club's badge",
    "reports": "the moderation trail: the reporter is the pseudonymised account, the note goes",
}
UNUSABLE = "!erased"  # no password hash: nothing signs in with it


async def schedule(conn: AsyncConnection, account_id: str, due: datetime) -> None:
    await conn.execute(
        accounts.update().where(accounts.c.id == account_id).values(deletion_due_at=due)
    )


async def cancel(conn: AsyncConnection, account_id: str) -> bool:
    """Signing in again keeps the account; True when a deletion was pending."""
    a = accounts.c
    result = await conn.execute(
        accounts.update()
        .where(a.id == account_id, a.deletion_due_at.is_not(None))
        .values(deletion_due_at=None)
    )
    return bool(result.rowcount)


async def close(conn: AsyncConnection, account_id: str, at: datetime) -> None:
    """Merged into another account: nothing signs in with it, and it is erased now (or by
    the next round of `due`)."""
    await conn.execute(
        accounts.update()
        .where(accounts.c.id == account_id)
        .values(password_hash=UNUSABLE, deletion_due_at=at)
    )


async def due(conn: AsyncConnection, at: datetime, limit: int) -> list[str]:
    a = accounts.c
    result = await conn.execute(
        sa.select(a.id)
        .where(a.deletion_due_at <= at, a.erased_at.is_(None))
        .order_by(a.deletion_due_at)
        .limit(limit)
    )
    return list(result.scalars())


async def erase(conn: AsyncConnection, account_id: str, at: datetime) -> None:
    """Erase one account's personal data (one transaction, the caller's)."""
    account = (await conn.execute(sa.select(accounts).where(accounts.c.id == account_id))).one()
    emails = list(
        (
            await conn.execute(
                sa.select(account_emails.c.email).where(account_emails.c.account_id == account_id)
            )
        ).scalars()
    )
    for table in OWN:
        await conn.execute(table.delete().where(table.c.account_id == account_id))
    await conn.execute(account_emails.delete().where(account_emails.c.account_id == account_id))
    await merge_rows.forget_addresses(conn, account_id)
    await badge_request_rows.erase_person(conn, account_id)
    await conn.execute(
        reports.update().where(reports.c.reporter_id == account_id).values(note=None)
    )
    if emails:
        await conn.execute(mail_messages.delete().where(mail_messages.c.recipient.in_(emails)))
        await conn.execute(throttles.delete().where(throttles.c.key.in_(emails)))
    await conn.execute(
        notifications.update().where(notifications.c.actor_id == account_id).values(actor_id=None)
    )
    await conn.execute(
        awards.update().where(awards.c.recipient_id == account_id).values(recipient_email=None)
    )
    a = audit_log.c
    await conn.execute(
        audit_log.update()
        .where(sa.or_(a.actor_id == account_id, a.subject_id == account_id))
        .values(data={})
    )
    await _blank_outbox(conn, [account_id, account.handle, *emails])
    pseudonym = "deleted-" + account_id.replace("-", "")[:32]
    await conn.execute(
        accounts.update()
        .where(accounts.c.id == account_id)
        .values(handle=pseudonym, password_hash=UNUSABLE, deletion_due_at=None, erased_at=at)
    )


async def _blank_outbox(conn: AsyncConnection, names: list[str]) -> None:
    """Projected outbox payloads that name the person keep only their ids."""
    o = outbox.c
    text = sa.cast(o.payload, sa.Text)
    named = [text.contains(f'"{name}"', autoescape=True) for name in names]  # a JSON value
    result = await conn.execute(
        sa.select(o.id, o.payload).where(o.projected_at.is_not(None), sa.or_(*named))
    )
    for row_id, payload in list(result):
        kept: dict[str, Any] = {k: v for k, v in payload.items() if k == "id"} | {"erased": True}
        await conn.execute(outbox.update().where(o.id == row_id).values(payload=kept))
