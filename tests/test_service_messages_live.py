"""A live stream's refusals speak the language the socket was opened with
(Accept-Language on the WebSocket handshake), like every other message."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from odznaka_graph.settings import Settings
from tests.api_process import api_process

NOTIFICATIONS = "subscription { notifications { sequence } }"


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_process(settings, Path(tmp_path_factory.mktemp("uvicorn"))) as base:
        yield base


async def _refusal(base: str, headers: dict[str, str]) -> dict[str, Any]:
    """The error of a subscription that needs a signed-in socket, on an anonymous one."""
    async with websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers=headers,
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": NOTIFICATIONS, "variables": {}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(await ws.recv())
        assert message["type"] in {"next", "error"}, message
        errors = message["payload"]
        [error] = errors if isinstance(errors, list) else errors["errors"]
        return error  # type: ignore[no-any-return]


async def test_a_live_refusal_answers_in_the_sockets_language(server: str) -> None:
    polish = await _refusal(server, {"Accept-Language": "pl"})
    assert polish["message"] == "Najpierw wyślij token dostępu w connection_init."
    assert polish["extensions"]["code"] == "UNAUTHENTICATED"
    english = await _refusal(server, {})
    assert english["message"] == "Send your access token in connection_init first."
