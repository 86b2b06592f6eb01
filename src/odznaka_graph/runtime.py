"""Opens and closes everything the API needs: Neo4j, the SQL store, pub/sub, the relay."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from odznaka_graph.effects import Effects, Policy
from odznaka_graph.graph_model.driver import Graph, open_driver
from odznaka_graph.graph_model.migrations import migrate
from odznaka_graph.ledger.db import Ledger, create_engine
from odznaka_graph.mail import sealing as mail_sealing
from odznaka_graph.mail.worker import MailWorker
from odznaka_graph.projection import Projector
from odznaka_graph.pubsub import PubSub
from odznaka_graph.services.base import Stores
from odznaka_graph.services.registry import Services, build_services
from odznaka_graph.services.tokens import use_password_cost
from odznaka_graph.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    services: Services
    relay: asyncio.Task[None] | None = None
    mail: asyncio.Task[None] | None = None  # the mail worker (issue 14), with SMTP_URL set

    @classmethod
    async def open(cls, settings: Settings, *, relay: bool = True) -> "Runtime":
        if settings.neo4j_uri is None or settings.neo4j_password is None:
            raise RuntimeError(
                "NEO4J_URI and NEO4J_PASSWORD must be set (or let the CLI start one)."
            )
        use_password_cost(settings.password_hash_cost)
        graph = Graph(
            open_driver(
                settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value()
            ),
            settings.neo4j_database,
        )
        ledger = Ledger(create_engine(settings.sql_url))
        mail_sealing.attach(ledger.engine, settings.credential_keys_secret.get_secret_value())
        pubsub = PubSub(settings.redis_url or "memory://")
        await pubsub.connect()
        await ledger.migrate()
        await migrate(graph)
        await graph.warm_up()
        lease = timedelta(seconds=settings.handler_lease_seconds)
        keep_done = timedelta(days=settings.handler_done_retention_days)
        effects = Effects(ledger, Policy(lease, settings.handler_park_after, keep_done=keep_done))
        projector = Projector(ledger, graph, pubsub, effects=effects)
        projector.crash_after = settings.crash_after_projecting
        services = build_services(Stores(settings, ledger, graph, projector), pubsub)
        runtime = cls(settings, services)
        if relay:
            runtime.relay = asyncio.create_task(projector.run_forever(settings.outbox_poll_seconds))
        if relay and settings.smtp_url:
            worker = MailWorker(ledger, settings, hourly=services.erasure.erase_due)
            runtime.mail = asyncio.create_task(worker.run_forever())
        return runtime

    async def close(self) -> None:
        for task in (self.relay, self.mail):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        stores = self.services.stores
        await stores.finish_background()
        await self.services.pubsub.disconnect()
        await stores.graph.close()
        await stores.ledger.engine.dispose()
