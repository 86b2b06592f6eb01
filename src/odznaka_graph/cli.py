"""Command line: serve the API (starting a local Neo4j if none is configured), admin tasks."""

import argparse
import asyncio
import contextlib
import logging
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from pydantic import SecretStr

from odznaka_graph.installation_secrets import WeakSecret
from odznaka_graph.neo4j_server import Neo4jServer, Neo4jServerConfig
from odznaka_graph.observability import configure_logging
from odznaka_graph.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger("odznaka_graph")


@contextlib.contextmanager
def graph_database(settings: Settings) -> Iterator[Settings]:
    """The configured Neo4j, or a local one started (and stopped) for the duration."""
    if settings.neo4j_uri:
        yield settings
        return
    config = Neo4jServerConfig(
        home=settings.var_dir / "neo4j",
        bolt_port=settings.neo4j_bolt_port,
        heap=settings.neo4j_heap,
        page_cache=settings.neo4j_page_cache,
    )
    server = Neo4jServer(config, PROJECT_ROOT)
    print(f"Starting Neo4j on {server.uri} (data in {config.home}) ...", flush=True)
    server.start()
    try:
        yield settings.model_copy(
            update={"neo4j_uri": server.uri, "neo4j_password": SecretStr(server.password)}
        )
    finally:
        print("Stopping Neo4j ...", flush=True)
        server.stop()


async def _prepare(settings: Settings) -> None:
    from odznaka_graph.demo.loader import load_demo
    from odznaka_graph.runtime import Runtime

    runtime = await Runtime.open(settings, relay=False)
    try:
        if await load_demo(runtime.services):
            print("Demo data loaded (every demo password: odznaka-demo-2026).", flush=True)
    finally:
        await runtime.close()


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def exit_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP unwind like an exit, so the local Neo4j is stopped on the way out.
    uvicorn takes these signals while it serves and raises them again once it has shut down;
    they then reach this handler instead of killing the process outright."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)


@contextlib.contextmanager
def mail_relay(settings: Settings) -> Iterator[Settings]:
    """The configured SMTP relay, or the development SMTP server on loopback, started (and
    stopped) for the duration; it keeps what it receives in VAR_DIR/mailbox.db."""
    if settings.smtp_url:
        yield settings
        return
    port, store = settings.dev_smtp_port, settings.var_dir / "mailbox.db"
    server = dev_smtp_server(port, store)
    try:
        yield settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
    finally:
        server.terminate()
        server.wait(10)


def dev_smtp_server(port: int, store: Path) -> subprocess.Popen[bytes]:
    """Start mail/dev_server.py as a child process; return once it listens."""
    command = [sys.executable, "-m", "odznaka_graph.mail.dev_server"]
    server = subprocess.Popen([*command, "--port", str(port), "--store", str(store)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return server
        time.sleep(0.1)
    server.kill()
    raise SystemExit(f"odznaka-graph: the development SMTP server did not start on {port}")


def serve(settings: Settings, demo: bool) -> None:
    import uvicorn

    from odznaka_graph.app import create_app
    from odznaka_graph.ws_protocol import LeanWebSocketProtocol

    with graph_database(settings) as with_graph, mail_relay(with_graph) as ready:
        if demo or ready.demo_data:  # otherwise the app's start migrates the stores itself
            asyncio.run(_prepare(ready))
        print(f"GraphQL at http://{ready.host}:{ready.port}/graphql", flush=True)
        uvicorn.run(
            create_app(ready),
            host=ready.host,
            port=ready.port,
            log_config=None,
            ws=LeanWebSocketProtocol,  # websockets-sansio, holding less per socket
            ws_per_message_deflate=False,
            ws_max_size=ready.max_body_bytes,
        )


async def _grant(settings: Settings, email: str, role: str = "reviewer") -> None:
    """Roles live in the SQL store: no graph needed."""
    from odznaka_graph.ledger.db import Ledger, create_engine
    from odznaka_graph.services.accounts import grant_reviewer
    from odznaka_graph.services.reports import grant_platform_moderator

    ledger = Ledger(create_engine(settings.sql_url))
    try:
        await ledger.migrate()
        grant = grant_platform_moderator if role == "moderator" else grant_reviewer
        await grant(ledger, email)
    finally:
        await ledger.engine.dispose()


async def _list_mail(settings: Settings, status: str | None, limit: int) -> None:
    from odznaka_graph.ledger import mail
    from odznaka_graph.ledger.db import Ledger, create_engine

    ledger = Ledger(create_engine(settings.sql_url))
    try:
        await ledger.migrate()
        async with ledger.reading() as conn:
            counts = await mail.counts(conn)
            found = await mail.messages(conn, status, limit)
    finally:
        await ledger.engine.dispose()
    print(" ".join(f"{name}={count}" for name, count in counts.items()))
    for m in found:
        error = f"  {m.last_error}" if m.last_error else ""
        print(
            f"{m.id} {m.status} {m.kind} {m.recipient} {m.created_at:%Y-%m-%d %H:%M} "
            f"attempts={m.attempts}{error}"
        )


async def _handlers(settings: Settings, action: str, name: str | None, event: str | None) -> None:
    """List parked (event, handler) pairs, or make them due now; needs the SQL store only."""
    from odznaka_graph.clock import now
    from odznaka_graph.ledger import handling
    from odznaka_graph.ledger.db import Ledger, create_engine

    ledger = Ledger(create_engine(settings.sql_url))
    try:
        await ledger.migrate()
        if action == "replay":
            async with ledger.transaction() as conn:
                count = await handling.replay(conn, now(), name, event)
            print(f"{count} parked or failed event(s) due again now.")
            return
        async with ledger.reading() as conn:
            found = await handling.parked(conn, settings.handler_park_after)
        for item in found:
            when = item.due_at.isoformat() if item.due_at else "-"
            print(
                f"{item.event_id}\t{item.topic}\t{item.handler}\t{item.attempts}\t{when}\t"
                f"{item.last_error or ''}"
            )
        print(f"{len(found)} parked.")
    finally:
        await ledger.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="odznaka-graph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the API (and a local Neo4j if needed)")
    run.add_argument("--demo", action="store_true", help="load demo data if the store is empty")
    grant = commands.add_parser("grant-reviewer", help="make an account a platform reviewer")
    grant.add_argument("email")
    moderator = commands.add_parser("grant-moderator", help="make an account a platform moderator")
    moderator.add_argument("email")
    mail = commands.add_parser("mail", help="list queued mail (newest first) and counts")
    mail.add_argument("--status", choices=["QUEUED", "SENT", "FAILED"])
    mail.add_argument("--limit", type=int, default=50)
    handlers = commands.add_parser("handlers", help="parked event handlers: list or replay")
    handlers.add_argument("action", choices=["parked", "replay"])
    handlers.add_argument("--handler", help="only this handler (graph: the projection)")
    handlers.add_argument("--event", help="only this event id")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except WeakSecret as refused:  # a known or short JWT_SECRET / CREDENTIAL_KEYS_SECRET
        raise SystemExit(f"odznaka-graph: {refused}") from None
    exit_cleanly_on_signals()
    configure_logging(settings.log_level)
    if args.command == "serve":
        serve(settings, args.demo)
    elif args.command == "mail":
        asyncio.run(_list_mail(settings, args.status, args.limit))
    elif args.command == "grant-reviewer":
        from odznaka_graph.errors import DomainError

        try:
            asyncio.run(_grant(settings, args.email))
        except DomainError as refused:
            raise SystemExit(f"odznaka-graph: {refused.message}") from None
        print(f"{args.email} is now a platform reviewer.")
    elif args.command == "grant-moderator":
        from odznaka_graph.errors import DomainError

        try:
            asyncio.run(_grant(settings, args.email, "moderator"))
        except DomainError as refused:
            raise SystemExit(f"odznaka-graph: {refused.message}") from None
        print(f"{args.email} is now a platform moderator.")
    elif args.command == "handlers":
        asyncio.run(_handlers(settings, args.action, args.handler, args.event))


if __name__ == "__main__":
    main()
