"""A real SMTP server process for tests (odznaka_graph.mail.dev_server) and what it got."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from odznaka_graph.ledger.db import Ledger
from odznaka_graph.mail import mailbox, sealing
from odznaka_graph.mail.worker import MailWorker
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.settings import Settings


class SmtpServer:
    """The development SMTP server as a child process on a free loopback port."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "odznaka_graph.mail.dev_server"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--store", str(self.store)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the SMTP server exited while starting"
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the SMTP server did not start")

    def kill(self) -> None:
        """SIGKILL: no goodbye to connected clients."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def received(self) -> list[mailbox.Received]:
        """Oldest first."""
        return list(reversed(mailbox.messages(self.store, limit=100_000)))

    def to(self, address: str) -> list[mailbox.Received]:
        return [m for m in self.received() if m.rcpt_to == address]


def worker(ledger: Ledger, settings: Settings, smtp: SmtpServer, **changes: object) -> MailWorker:
    return MailWorker(ledger, settings.model_copy(update={"smtp_url": smtp.url} | changes))


async def deliver(ledger: Ledger, settings: Settings, smtp: SmtpServer) -> int:
    """Send everything that is due now, as the worker does between two polls."""
    sender = worker(ledger, settings, smtp)
    sent = 0
    while found := await sender.send_due():
        sent += found
    return sent


def queued_token(settings: Settings, data: dict[str, Any]) -> str:
    """The token a queued mail carries, opened as the mail worker opens it (it is sealed
    while the mail waits, mail/sealing.py)."""
    key = sealing.mail_key(settings.credential_keys_secret.get_secret_value())
    return str(sealing.unseal(key, data)["token"])
