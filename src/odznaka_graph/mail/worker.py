"""Sends queued mail over SMTP: due messages are leased (so another instance skips them),
sent over one connection, and marked SENT one by one. Each message's lease is renewed just
before it is sent and every mark is conditional on the sender's claim, so two workers never
both send one message however long a batch takes; a failure is retried with doubling
back-off until MAIL_GIVE_UP_SECONDS after it was queued, then marked FAILED with its
error. A message leased by a process that died is due again once its lease ends."""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
from prometheus_client import Gauge

from odznaka_graph.clock import now
from odznaka_graph.ledger import mail as rows
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.personal_data import purge_expired_exports
from odznaka_graph.mail import sealing
from odznaka_graph.mail.digest import queue_digests
from odznaka_graph.mail.render import email
from odznaka_graph.settings import Settings

log = logging.getLogger(__name__)
DIGEST_CHECK = timedelta(hours=1)
MAIL_MESSAGES = Gauge(
    "odznaka_mail_messages", "Queued mail by status (FAILED: given up)", ["status"]
)


@dataclass(frozen=True)
class Relay:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None  # None: STARTTLS when the server offers it


def relay(url: str) -> Relay:
    """smtp://[user:password@]host[:port][?starttls=required|off] or smtps://..."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("SMTP_URL must be smtp://host[:port] or smtps://host[:port]")
    implicit = parts.scheme == "smtps"
    starttls = parse_qs(parts.query).get("starttls", [""])[0]
    return Relay(
        parts.hostname,
        parts.port or (465 if implicit else 25),
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        implicit,
        False if implicit or starttls == "off" else (True if starttls == "required" else None),
    )


def _fields(message: rows.Message) -> dict[str, dict[str, str]]:
    return {"fields": {"message": message.id}}


def _permanent(error: Exception) -> bool:
    """The server refused for good (5xx): trying again would not help."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= refused.code < 600 for refused in error.recipients)
    return isinstance(error, aiosmtplib.SMTPResponseException) and 500 <= error.code < 600


class MailWorker:
    def __init__(
        self,
        ledger: Ledger,
        settings: Settings,
        batch: int = 50,
        hourly: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        if settings.smtp_url is None:
            raise ValueError("the mail worker needs SMTP_URL")
        self.ledger = ledger
        self.settings = settings
        self.relay = relay(settings.smtp_url)
        self._key = sealing.mail_key(settings.credential_keys_secret.get_secret_value())
        self.batch = batch
        self._digests_at: datetime | None = None
        self.hourly = hourly  # more housekeeping of the hourly round (account erasure)

    @property
    def _lease(self) -> timedelta:
        """How long one message stays taken: longer than its SMTP conversation may last
        (MAIL_TIMEOUT_SECONDS), renewed just before each message is sent."""
        return timedelta(seconds=self.settings.mail_timeout_seconds * 4)

    async def send_due(self) -> int:
        """Send the messages that are due, one batch; how many were tried."""
        at, claim = now(), str(uuid.uuid4())
        async with self.ledger.transaction() as conn:
            ids = await rows.due_ids(conn, at, self.batch)
            taken = await rows.lease(conn, ids, at, at + self._lease, claim) if ids else []
        if taken:
            await self._send(taken, claim)
        return len(taken)

    async def _send(self, taken: list[rows.Message], claim: str) -> None:
        r = self.relay
        client = aiosmtplib.SMTP(
            hostname=r.hostname,
            port=r.port,
            username=r.username,
            password=r.password,
            use_tls=r.use_tls,
            start_tls=r.start_tls,
            timeout=self.settings.mail_timeout_seconds,
        )
        try:
            await client.connect()
        except Exception as error:
            for message in taken:
                await self._failed(message, claim, error)
            return
        try:
            for index, message in enumerate(taken):
                async with self.ledger.transaction() as conn:  # still ours? then for a while
                    if not await rows.renew(conn, message.id, claim, now() + self._lease):
                        continue
                try:
                    await client.send_message(email(self._opened(message), self.settings))
                except Exception as error:
                    await self._failed(message, claim, error)
                    if not client.is_connected:  # the rest waits for the next pass
                        await self._release(taken[index + 1 :], claim)
                        return
                    continue
                async with self.ledger.transaction() as conn:
                    if not await rows.mark_sent(conn, message, claim, now()):
                        log.warning("mail sent after its lease ended", extra=_fields(message))
        finally:
            if client.is_connected:
                try:
                    await client.quit()
                except Exception:
                    client.close()

    async def _release(self, untried: list[rows.Message], claim: str) -> None:
        """Messages the connection ended before: due again now, no attempt counted."""
        async with self.ledger.transaction() as conn:
            await rows.release(conn, [message.id for message in untried], claim, now())

    def _opened(self, message: rows.Message) -> rows.Message:
        """The message with its secrets readable, only for the mail being sent."""
        return replace(message, data=sealing.unseal(self._key, message.data))

    async def _failed(self, message: rows.Message, claim: str, error: Exception) -> None:
        at = now()
        deadline = message.created_at + timedelta(seconds=self.settings.mail_give_up_seconds)
        attempts = message.attempts + 1
        delay = rows.retry_delay(
            attempts, self.settings.mail_retry_seconds, self.settings.mail_max_retry_seconds
        )
        retry_at = None if _permanent(error) or at >= deadline else min(at + delay, deadline)
        described = f"{type(error).__name__}: {error}"
        log.warning(
            "mail not sent",
            extra={"fields": {"message": message.id, "error": described, "retry": bool(retry_at)}},
        )
        async with self.ledger.transaction() as conn:
            await rows.mark_attempt_failed(conn, message, claim, described, retry_at)

    async def measure(self) -> None:
        async with self.ledger.reading() as conn:
            found = await rows.counts(conn)
        for status, count in found.items():
            MAIL_MESSAGES.labels(status).set(count)

    async def queue_digests(self) -> None:
        """At most once an hour: the weekly digests not queued yet this week; and the
        personal data archives past their expiry are dropped, and `hourly` runs."""
        at = now()
        if self._digests_at is not None and at - self._digests_at < DIGEST_CHECK:
            return
        async with self.ledger.transaction() as conn:
            await queue_digests(conn, at)
            await purge_expired_exports(conn, at)
        if self.hourly is not None:
            await self.hourly()
        self._digests_at = at

    async def run_forever(self) -> None:
        while True:
            try:
                await self.queue_digests()
                while await self.send_due() >= self.batch:
                    pass
                await self.measure()
            except Exception:
                log.exception("mail worker pass failed")
            await asyncio.sleep(self.settings.mail_poll_seconds)
