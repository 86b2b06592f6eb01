"""The `next` message of an event shared by a channel's subscribers is written straight to
each socket (ws_protocol.WRITE_TEXT): no ASGI send per subscriber, and every client reads
the same bytes graphql-transport-ws gives, with its own operation id. The app is served by
uvicorn with the project's WebSocket protocol, as `odznaka-graph serve` runs it."""

import asyncio
import json
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
import websockets

from odznaka_graph.app import create_app
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from odznaka_graph.ws_protocol import LeanWebSocketProtocol
from tests.helpers import AWARD, Api, published_badge, register, until, verified_issuer

SUBSCRIBE = "subscription { awardReceived { id } }"


class SendsCounted:
    """The app, counting the `websocket.send` messages it hands the server."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.sent: list[str] = []

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        async def counted(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "websocket.send":
                self.sent.append(message.get("text") or "")
            await send(message)

        await self.app(scope, receive, counted)


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(
        app, port=port, ws=LeanWebSocketProtocol, ws_per_message_deflate=False, log_config=None
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await until(lambda: server.started)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _subscribed(base: str, token: str, operation_id: str) -> Any:
    ws = await websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    await ws.send(json.dumps(init))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    subscribe = {"id": operation_id, "type": "subscribe", "payload": {"query": SUBSCRIBE}}
    await ws.send(json.dumps(subscribe))
    return ws


async def test_shared_next_frames_skip_the_asgi_send_and_keep_their_bytes_and_ids(
    api: Api, runtime: Runtime, settings: Settings
) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    badge = await published_badge(api, issuer)
    app = SendsCounted(create_app(settings, runtime))
    ids = ["1", "a", "sub-3", "1", "ż"]
    async with served(app) as base:
        sockets = [await _subscribed(base, learner.token, i) for i in ids]
        await until(lambda: runtime.services.pubsub.hub.listener_count() == len(sockets))
        sent_before = len(app.sent)
        award = await api.mutate(
            "awardBadge", {"badgeId": badge, "recipientId": learner.id}, AWARD, issuer.owner.token
        )
        frames = [await asyncio.wait_for(ws.recv(), 20) for ws in sockets]
        for ws in sockets:
            await ws.close()

    payload = json.dumps({"data": {"awardReceived": {"id": award["id"]}}}, separators=(",", ":"))
    expected = [
        f'{{"id":{json.dumps(i, ensure_ascii=False)},"type":"next","payload":{payload}}}'
        for i in ids
    ]
    assert frames == expected
    # the five `next` messages were written to the sockets, not sent through the app's
    # ASGI send (one each before)
    assert app.sent[sent_before:] == []
