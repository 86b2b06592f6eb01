"""Mail (issue 14): queued with the change that causes it, sent over SMTP to a real server
process, in the recipient's language, retried with back-off, given up and shown."""

import asyncio
import re
import subprocess
import sys
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from odznaka_graph.app import create_app
from odznaka_graph.clock import now
from odznaka_graph.ledger import mail as rows
from odznaka_graph.ledger.tables import mail_messages
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue_many
from odznaka_graph.mail.worker import relay
from odznaka_graph.settings import Settings
from tests.club_helpers import create_club
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer
from tests.mail_helpers import SmtpServer, deliver, worker

LINK = re.compile(r"(http://\S+/account/verify-email\?token=)(\S+)")


async def _statuses(api: Api) -> list[tuple[str, str, str]]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        found = await conn.execute(
            sa.select(mail_messages.c.kind, mail_messages.c.recipient, mail_messages.c.status)
        )
        return sorted((r.kind, r.recipient, r.status) for r in found)


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_the_verification_mail_reaches_the_smtp_server_and_its_link_verifies(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    assert await _statuses(api) == [("VERIFY_EMAIL", person.email, "QUEUED")]
    ledger = api.runtime.services.stores.ledger
    assert await deliver(ledger, settings, smtp_server) == 1
    assert await _statuses(api) == [("VERIFY_EMAIL", person.email, "SENT")]
    [got] = smtp_server.to(person.email)
    mail = got.parsed()
    assert mail["Subject"] == "Potwierdź adres e-mail"
    assert mail["From"] == settings.mail_from
    async with ledger.reading() as conn:
        [queued] = await rows.messages(conn, None, 10)
    assert mail["Message-ID"] == f"<{queued.id}@odznaka.localhost>"
    assert "List-Unsubscribe" not in mail  # transactional
    text, html = got.part("plain"), got.part("html")
    base, token = LINK.search(text).groups()  # type: ignore[union-attr]
    assert base.startswith(settings.public_base_url)
    assert f"{base}{token}" in html and "<a href=" in html
    done = await api.mutate("verifyEmail", {"token": token}, "... on EmailPayload { verified }")
    assert done["verified"] is True
    # Sent once: another pass finds nothing due.
    assert await deliver(ledger, settings, smtp_server) == 0
    assert len(smtp_server.to(person.email)) == 1


async def test_an_award_to_an_unknown_address_mails_a_claim_invitation_once(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    invited = "someone.new@example.org"
    award = {"badgeId": badge_id, "recipientEmail": invited}
    done = await api.mutate("awardBadge", award, AWARD, issuer.owner.token)
    assert done["__typename"] == "Award"
    projector = api.runtime.services.stores.projector
    await projector.flush()
    ledger = api.runtime.services.stores.ledger
    async with ledger.transaction() as conn:  # the event handled again queues nothing new
        await conn.execute(sa.text("UPDATE outbox SET projected_at = NULL"))
    await projector.flush()
    await deliver(ledger, settings, smtp_server)
    [got] = smtp_server.to(invited)
    assert got.subject == "Czeka na Ciebie odznaka: Analiza danych"
    assert "List-Unsubscribe" not in got.parsed()


async def test_a_failing_relay_is_retried_with_back_off_then_given_up_and_shown(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    ledger = api.runtime.services.stores.ledger
    async with ledger.transaction() as conn:
        await queue_many(conn, [Mail(MailKind.ACCOUNT_EXISTS, "lost@example.org", {})])
    smtp_server.stop()  # nobody listens on its port now
    sender = worker(ledger, settings, smtp_server, mail_retry_seconds=60.0)
    assert await sender.send_due() == 1
    assert await sender.send_due() == 0  # backing off
    async with ledger.reading() as conn:
        [waiting] = await rows.messages(conn, None, 10)
    assert (waiting.status, waiting.attempts) == ("QUEUED", 1)
    assert waiting.last_error and "SMTPConnect" in waiting.last_error
    assert 55 < (waiting.next_attempt_at - waiting.created_at).total_seconds() < 65

    impatient = worker(ledger, settings, smtp_server, mail_give_up_seconds=0.0)
    async with ledger.transaction() as conn:
        await conn.execute(mail_messages.update().values(next_attempt_at=waiting.created_at))
    assert await impatient.send_due() == 1
    await impatient.measure()
    assert REGISTRY.get_sample_value("odznaka_mail_messages", {"status": "FAILED"}) == 1
    listing = await asyncio.to_thread(_cli, settings, "mail", "--status", "FAILED")
    assert "FAILED=1" in listing
    assert f"{waiting.id} FAILED ACCOUNT_EXISTS lost@example.org" in listing
    assert "attempts=2" in listing


def _cli(settings: Settings, *args: str) -> str:
    command = [sys.executable, "-m", "odznaka_graph.cli", *args]
    env = {"VAR_DIR": str(settings.var_dir), "PATH": ""}
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_killing_the_smtp_server_loses_no_message_and_sends_none_twice(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    ledger = api.runtime.services.stores.ledger
    mails = [Mail(MailKind.ACCOUNT_EXISTS, f"p{n}@example.org", {}) for n in range(200)]
    async with ledger.transaction() as conn:
        ids = await queue_many(conn, mails)
    sender = worker(ledger, settings, smtp_server, mail_retry_seconds=0.2, mail_poll_seconds=0.05)
    task = asyncio.create_task(sender.run_forever())
    try:
        for _ in range(3000):
            if len(smtp_server.received()) >= 40:
                break
            await asyncio.sleep(0.01)
        smtp_server.kill()
        await asyncio.sleep(1.0)  # the worker fails and backs off meanwhile
        before = len(smtp_server.received())
        assert before < 200
        smtp_server.start()
        for _ in range(600):
            async with ledger.reading() as conn:
                if (await rows.counts(conn))["SENT"] == 200:
                    break
            await asyncio.sleep(0.1)
    finally:
        task.cancel()
    received = [m.message_id for m in smtp_server.received()]
    assert set(received) == {f"<{i}@odznaka.localhost>" for i in ids}
    # Every retried message was one the server never acknowledged. The one message it may
    # have stored and died before acknowledging (RFC 1047's window, which no SMTP client
    # can close) comes again with the same Message-ID, which receivers deduplicate by.
    assert len(received) - len(set(received)) <= 1, sorted(received)
    async with ledger.reading() as conn:
        assert await rows.counts(conn) == {"QUEUED": 0, "SENT": 200, "FAILED": 0}


async def test_the_development_mailbox_page_shows_mail_only_when_turned_on(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    assert (await api.client.get("/dev/mailbox")).status_code == 404  # off by default
    development = settings.model_copy(
        update={"dev_mailbox": True, "var_dir": smtp_server.store.parent}
    )
    app = create_app(development, api.runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            listing = await client.get("/dev/mailbox")
            assert person.email in listing.text and "Potwierdź adres e-mail" in listing.text
            [number] = re.findall(r"/dev/mailbox/(\d+)", listing.text)
            shown = (await client.get(f"/dev/mailbox/{number}")).text
    link = LINK.search(smtp_server.to(person.email)[0].part("plain")).group(0)  # type: ignore[union-attr]
    assert f"<a href='{link}" in shown  # the plain part, its link clickable
    assert "<iframe sandbox" in shown


async def test_review_outcomes_and_club_invitations_are_mailed_to_whom_they_concern(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    issuer = await verified_issuer(api)
    await published_badge(api, issuer)  # reviewed: PUBLISHED
    owner, guest = await register(api), await register(api)
    club_id = await create_club(api, owner, join_policy="INVITE")
    invited = await api.mutate(
        "inviteToClub", {"clubId": club_id, "userId": guest.id}, "... on Club { id }", owner.token
    )
    assert invited["__typename"] == "Club", invited
    await api.runtime.services.stores.projector.flush()
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [review] = [m for m in smtp_server.to(issuer.owner.email) if "recenzji" in m.subject]
    assert review.subject == "Wynik recenzji: Analiza danych"
    assert "PUBLISHED" in review.part("plain")
    [invitation] = smtp_server.to(guest.email)[1:]  # after the verification mail
    assert invitation.subject == "Zaproszenie do klubu"
    assert f"@{owner.handle}" in invitation.part("plain")
    assert invitation.parsed()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_smtp_urls_name_the_relay_its_tls_and_credentials() -> None:
    implicit = relay("smtps://apikey:p%40ss@smtp.example.net")
    assert (implicit.hostname, implicit.port, implicit.use_tls, implicit.start_tls) == (
        "smtp.example.net",
        465,
        True,
        False,
    )
    assert (implicit.username, implicit.password) == ("apikey", "p@ss")
    required = relay("smtp://mail.example.org:587?starttls=required")
    assert (required.port, required.use_tls, required.start_tls) == (587, False, True)
    assert relay("smtp://localhost").start_tls is None  # when offered
    assert relay("smtp://localhost:2525?starttls=off").start_tls is False
    with pytest.raises(ValueError, match="SMTP_URL"):
        relay("http://localhost")


async def test_messages_leased_by_a_worker_that_died_are_sent_once_the_lease_ends(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    ledger = api.runtime.services.stores.ledger
    mails = [Mail(MailKind.ACCOUNT_EXISTS, f"lease{n}@example.org", {}) for n in range(3)]
    async with ledger.transaction() as conn:
        ids = await queue_many(conn, mails)
        at = now()
        taken = await rows.lease(conn, ids, at, at + timedelta(seconds=1), "dead")  # then it died
    assert len(taken) == 3
    assert await deliver(ledger, settings, smtp_server) == 0  # still leased
    await asyncio.sleep(1.1)
    assert await deliver(ledger, settings, smtp_server) == 3
    assert len(smtp_server.received()) == 3
