"""Two API instances sharing one Redis: live updates cross instances, and survive a Redis
restart within seconds."""

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

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
from tests.redis_server import RedisServer

SUBSCRIBE = "subscription { awardReceived { id badge { name } } }"


@pytest.fixture(scope="module")
def instances(
    settings: Settings, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    var = tmp_path_factory.mktemp("instances")  # one SQL store for both, as in production
    with (
        api_process(settings, var, REDIS_URL=redis_server.url) as a,
        api_process(settings, var, REDIS_URL=redis_server.url) as b,
    ):
        yield a, b


async def _subscribed(base: str, token: str) -> Any:
    ws = await websockets.connect(f"ws://{base}/graphql", subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    await asyncio.sleep(0.5)
    return ws


async def _next_award(ws: Any) -> dict[str, Any]:
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "next":
            return message["payload"]["data"]["awardReceived"]  # type: ignore[no-any-return]


def _award(base: str, badge_id: str, learner: dict[str, str], owner: dict[str, str]) -> str:
    data = gql(
        base,
        AWARD,
        {"i": {"badgeId": badge_id, "recipientId": learner["userId"]}},
        owner["accessToken"],
    )
    return data["awardBadge"]["id"]  # type: ignore[no-any-return]


async def test_a_client_on_a_receives_an_award_made_through_b(instances: tuple[str, str]) -> None:
    a, b = instances
    learner, owner = register(a, "ola.instances"), register(b, "szef.instances")
    badge_id = published_badge(b, owner["accessToken"], _reviewer_token(b))
    ws = await _subscribed(a, learner["accessToken"])
    try:
        award_id = await asyncio.to_thread(_award, b, badge_id, learner, owner)
        received = await asyncio.wait_for(_next_award(ws), 10)
    finally:
        await ws.close()
    assert received["id"] == award_id and received["badge"]["name"] == "Analiza danych"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_live_subscriptions_resume_within_5_seconds_of_a_redis_restart(
    instances: tuple[str, str], redis_server: RedisServer
) -> None:
    a, b = instances
    learner, owner = register(a, "kuba.restart"), register(b, "szefowa.restart")
    ws = await _subscribed(a, learner["accessToken"])
    try:
        redis_server.stop()
        redis_server.start()
        restarted = time.monotonic()
        await asyncio.sleep(5)
        badge_id = await asyncio.to_thread(
            published_badge, b, owner["accessToken"], _reviewer_token(b)
        )
        award_id = await asyncio.to_thread(_award, b, badge_id, learner, owner)
        received = await asyncio.wait_for(_next_award(ws), 5)
    finally:
        await ws.close()
    assert received["id"] == award_id
    assert time.monotonic() - restarted < 15


def _reviewer_token(base: str) -> str:
    return verified_reviewer(base, "checker")["accessToken"]
