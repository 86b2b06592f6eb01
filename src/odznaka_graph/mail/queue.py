"""Queue mail in the caller's transaction: the message is sent only if the change that
causes it commits, and the recipient's language and choices decide (mail/kinds.py)."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import mail as rows
from odznaka_graph.mail.kinds import MailKind, mail_locale, wanted
from odznaka_graph.mail.sealing import seal

_KEYS = uuid.UUID("5b0e4f0a-6b1e-4c55-9a53-7d1f0e3c2a14")


@dataclass(frozen=True)
class Mail:
    kind: MailKind
    to: str
    data: dict[str, Any]
    account_id: str | None = None
    key: str | None = None  # what makes it once-only, e.g. the causing event's id


def message_key(key: str) -> str:
    """The message id of a mail caused by something with this key (an event id and the
    kind and recipient): queuing it again finds it there."""
    return str(uuid.uuid5(_KEYS, key))


async def queue(conn: AsyncConnection, mail: Mail) -> str | None:
    """Queue one mail; None when the recipient turned this kind off."""
    found = await queue_many(conn, [mail])
    return found[0] if found else None


async def queue_many(conn: AsyncConnection, mails: list[Mail]) -> list[str]:
    """Queue mails (two statements, however many); the ids of those the recipients want."""
    account_ids = sorted({m.account_id for m in mails if m.account_id})
    preferences = await rows.preferences_of(conn, account_ids) if account_ids else {}
    new = []
    for mail in mails:
        chosen = preferences.get(mail.account_id or "", rows.Preferences(None, {}))
        if wanted(mail.kind, chosen.choices):
            message_id = message_key(mail.key) if mail.key else new_id()
            new.append(
                rows.NewMessage(
                    message_id,
                    mail.kind.value,
                    mail.to,
                    mail.account_id,
                    mail_locale(chosen.locale),
                    seal(conn, mail.data),  # its token encrypted while it waits
                )
            )
    await rows.insert_messages(conn, new, now())
    return [message.id for message in new]
