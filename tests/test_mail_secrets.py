"""Secrets in mail (issue 14, review findings 2 and 5): a reset, verification or download
token lives only in the mail that carries it — never in an outbox payload, dropped from the
queued message once it is sent, hashed wherever the store keeps it — and two workers whose
leases run out mid-batch still deliver each message exactly once."""

import asyncio
import re

import sqlalchemy as sa

from odznaka_graph.ledger.tables import mail_messages, metadata, outbox
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue_many
from odznaka_graph.mail.worker import MailWorker
from odznaka_graph.settings import Settings
from tests.helpers import Api, register
from tests.mail_helpers import SmtpServer, deliver, worker

TOKEN = re.compile(r"token=([A-Za-z0-9_\-%]{20,})")


async def _everything_stored(api: Api) -> str:
    """Every row of every table of the SQL store, as text."""
    found = []
    async with api.runtime.services.stores.ledger.reading() as conn:
        for table in metadata.sorted_tables:
            found.extend(str(tuple(row)) for row in await conn.execute(sa.select(table)))
    return "\n".join(found)


async def test_no_mailed_token_is_stored_anywhere_once_sent(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)  # a verification token
    await api.mutate("requestPasswordReset", {"email": person.email}, "")  # a reset token
    async with api.runtime.services.stores.ledger.reading() as conn:
        payloads = await conn.execute(
            sa.select(outbox.c.payload).where(outbox.c.topic == "mail.verify_email")
        )
        assert [p for (p,) in payloads] == [{"to": person.email}]
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    texts = [m.part("plain") for m in smtp_server.to(person.email)]
    mailed = [t for text in texts for t in TOKEN.findall(text)]
    assert len(mailed) == 2, texts
    stored = await _everything_stored(api)
    for token in mailed:
        assert token not in stored
    async with api.runtime.services.stores.ledger.reading() as conn:
        data = (await conn.execute(sa.select(mail_messages.c.data))).scalars()
        assert all("token" not in d for d in data)


async def test_two_workers_racing_past_their_leases_send_each_message_once(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    ledger = api.runtime.services.stores.ledger
    mails = [Mail(MailKind.ACCOUNT_EXISTS, f"race{n}@example.org", {}) for n in range(120)]
    async with ledger.transaction() as conn:
        await queue_many(conn, mails)
    # A lease (4 x MAIL_TIMEOUT_SECONDS) far shorter than a batch of 120 takes: each
    # worker's lease runs out mid-batch and the other one takes over what is left.
    quick = {"mail_timeout_seconds": 0.3, "mail_retry_seconds": 0.0}
    first, second = (worker(ledger, settings, smtp_server, **quick) for _ in range(2))
    first.batch = second.batch = 200

    async def drain(sender: MailWorker) -> None:
        for _ in range(100):
            if not await sender.send_due():
                async with ledger.reading() as conn:
                    left = await conn.execute(
                        sa.select(mail_messages.c.id).where(mail_messages.c.status == "QUEUED")
                    )
                    if not left.first():
                        return
                await asyncio.sleep(0.05)

    await asyncio.gather(drain(first), drain(second))
    received = [m.rcpt_to for m in smtp_server.received()]
    assert sorted(received) == sorted(m.to for m in mails)  # each once, none lost
    async with ledger.reading() as conn:
        statuses = (await conn.execute(sa.select(mail_messages.c.status))).scalars()
        assert set(statuses) == {"SENT"}


async def test_a_queued_token_is_encrypted_until_the_worker_sends_it(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)  # a verification mail waits in the queue
    waiting = await _everything_stored(api)
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c
        found = await conn.execute(sa.select(m.data).where(m.recipient == person.email))
        (data,) = found.scalars()
        assert data["token"].startswith("sealed-v1:")
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    (text,) = [m.part("plain") for m in smtp_server.to(person.email)]
    (token,) = TOKEN.findall(text)
    assert token not in waiting  # not even while the mail waited
    verified = await api.mutate("verifyEmail", {"token": token}, "... on EmailPayload { email }")
    assert verified["email"] == person.email  # the worker opened what the queue sealed
