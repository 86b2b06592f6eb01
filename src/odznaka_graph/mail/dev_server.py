"""The development SMTP server: loopback only, no TLS, no authentication; every message
it receives is kept in a SQLite file (mail/mailbox.py). `odznaka-graph serve` starts it as
a child process when SMTP_URL is unset; the tests start it the same way.

    python -m odznaka_graph.mail.dev_server --port 8025 --store var/mailbox.db
"""

import argparse
import asyncio
import signal
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from odznaka_graph.mail import mailbox


class Keep:
    """aiosmtpd handler: store the message, then answer 250."""

    def __init__(self, store: Path) -> None:
        self.conn = mailbox.connect(store)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        mailbox.store(self.conn, str(envelope.mail_from), list(envelope.rcpt_tos), raw)
        return "250 Message accepted for delivery"


async def serve(host: str, port: int, store: Path) -> None:
    handler = Keep(store)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="odznaka.localhost"), host, port
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"SMTP on {host}:{port}, keeping mail in {store}", flush=True)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--store", type=Path, required=True)
    args: Any = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.store))


if __name__ == "__main__":
    main()
