"""One event to many local subscribers of a channel is worked out once per audience (the
account, its role, the languages asked for), not once per socket: the reads behind a
subscriber's selection happen once for each audience, and each audience still gets its own
answer. The app is served by uvicorn in this process, so the server's round trips can be
counted apart from the test's own."""

import asyncio
import contextvars
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
import websockets

from odznaka_graph.app import create_app
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.observability import RoundTrips, round_trips_var
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.helpers import AWARD, Api, published_badge, register, until, verified_issuer

SUBSCRIBE = "subscription { awardReceived { id badge { name } } }"


@asynccontextmanager
async def served(settings: Settings, runtime: Runtime) -> AsyncIterator[tuple[str, RoundTrips]]:
    """The app on uvicorn in this event loop; the round trips its tasks make."""
    trips = RoundTrips()
    context = contextvars.copy_context()
    context.run(round_trips_var.set, trips)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, runtime),
        port=port,
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_config=None,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(), context=context)
    await until(lambda: server.started)
    try:
        yield f"127.0.0.1:{port}", trips
    finally:
        server.should_exit = True
        await task


async def _subscribed(base: str, token: str, language: str) -> Any:
    ws = await websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers={"Accept-Language": language},
    )
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    await ws.send(json.dumps(init))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return ws


async def _next(ws: Any) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 20))
        if message["type"] == "next":
            return message["payload"]  # type: ignore[no-any-return]


async def test_an_award_reaches_six_sockets_with_one_badge_read_per_language(
    api: Api, runtime: Runtime, settings: Settings
) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    badge = await published_badge(api, issuer)
    async with served(settings, runtime) as (base, trips):
        sockets = [
            await _subscribed(base, learner.token, language)
            for language in ("pl", "pl", "pl", "en", "en", "en")
        ]
        await until(lambda: runtime.services.pubsub.hub.listener_count() == len(sockets))
        trips.neo4j, trips.queries = 0, []
        award = await api.mutate(
            "awardBadge", {"badgeId": badge, "recipientId": learner.id}, AWARD, issuer.owner.token
        )
        payloads = [await _next(ws) for ws in sockets]
        for ws in sockets:
            await ws.close()

    names = [p["data"]["awardReceived"]["badge"]["name"] for p in payloads]
    assert names == ["Analiza danych"] * 3 + ["Data analysis"] * 3
    assert {p["data"]["awardReceived"]["id"] for p in payloads} == {award["id"]}
    # the badge read once for the Polish sockets and once for the English ones (it was
    # once per socket: six)
    assert trips.neo4j == 2, trips.queries
