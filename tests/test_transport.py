"""The real transport: a uvicorn process, HTTP content types, graphql-transport-ws."""

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
import websockets

from odznaka_graph.settings import Settings
from tests.api_process import (
    AWARD,
    api_process,
    gql,
    published_badge,
    register,
    verified_reviewer,
)


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_process(settings, tmp_path_factory.mktemp("uvicorn")) as base:
        yield base


def test_post_without_redirect_and_graphql_response_media_type(server: str) -> None:
    response = httpx.post(
        f"http://{server}/graphql",
        json={"query": "{ __typename }"},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    page = httpx.get(f"http://{server}/graphql", headers={"Accept": "text/html"})
    assert "graphiql" in page.text.lower()


async def test_legacy_subscription_protocol_is_refused(server: str) -> None:
    async with websockets.connect(f"ws://{server}/graphql", subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        with pytest.raises(websockets.ConnectionClosed):
            await ws.send(json.dumps({"type": "connection_init"}))
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 4406


async def test_a_bad_token_in_connection_init_is_refused(server: str) -> None:
    async with websockets.connect(
        f"ws://{server}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})
        )
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 4403


async def test_award_received_arrives_over_websocket(server: str) -> None:
    learner = register(server, "wsuczen")
    owner = register(server, "wswlasciciel")
    checker = verified_reviewer(server, "wsreviewer")
    badge_id = published_badge(server, owner["accessToken"], checker["accessToken"])

    async with websockets.connect(
        f"ws://{server}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps(
                {
                    "type": "connection_init",
                    "payload": {"Authorization": f"Bearer {learner['accessToken']}"},
                }
            )
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": "subscription { awardReceived { id status badge { name } } }"
                    },
                }
            )
        )
        await asyncio.sleep(0.3)
        award = await asyncio.to_thread(
            gql,
            server,
            AWARD,
            {"i": {"badgeId": badge_id, "recipientId": learner["userId"]}},
            owner["accessToken"],
        )
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "next"
    received = message["payload"]["data"]["awardReceived"]
    assert received["id"] == award["awardBadge"]["id"]
    assert received["badge"]["name"] == "Analiza danych"
