"""The real transport: a uvicorn process, HTTP content types, graphql-transport-ws."""

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from odznaka_graph.neo4j_server import free_port
from odznaka_graph.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    var = tmp_path_factory.mktemp("uvicorn")
    assert settings.neo4j_uri and settings.neo4j_password
    env = os.environ | {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "PORT": str(port),
        "VAR_DIR": str(var),
        "REVIEWER_EMAILS": '["checker@example.org"]',
    }
    log = open(Path(var) / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "odznaka_graph.cli", "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _wait(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited while starting"
        try:
            if httpx.get(f"http://{base}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not become ready")


def _gql(
    base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"http://{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def _register(base: str, handle: str, email: str | None = None) -> dict[str, str]:
    data = _gql(
        base,
        """mutation($i: RegisterInput!) { register(input: $i) {
        ... on AuthPayload { accessToken userId } ... on MutationError { message } } }""",
        {
            "i": {
                "email": email or f"{handle}@example.org",
                "password": PASSWORD,
                "handle": handle,
                "displayName": handle,
            }
        },
    )
    return data["register"]  # type: ignore[no-any-return]


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
    learner = _register(server, "wsuczen")
    owner = _register(server, "wswlasciciel")
    checker = _register(server, "wsreviewer", "checker@example.org")
    badge_id = _published_badge(server, owner["accessToken"], checker["accessToken"])

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
            _gql,
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


AWARD = "mutation($i: AwardBadgeInput!) { awardBadge(input: $i) { ... on Award { id } } }"


def _published_badge(base: str, owner: str, checker: str) -> str:
    from tests.helpers import complete_badge

    org = _gql(
        base,
        """mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) {
        ... on Organization { id } } }""",
        {"i": {"kind": "SCHOOL", "name": [{"lang": "PL", "text": "Szkoła"}]}},
        owner,
    )
    org_id = org["createOrganization"]["id"]
    steps = [
        ("acceptIssuerAgreement", "AcceptIssuerAgreementInput", {"organizationId": org_id}, owner),
        (
            "reviewOrganization",
            "ReviewOrganizationInput",
            {"organizationId": org_id, "approve": True},
            checker,
        ),
    ]
    for name, kind, payload, token in steps:
        _gql(
            base,
            f"mutation($i: {kind}!) {{ {name}(input: $i) {{ __typename }} }}",
            {"i": payload},
            token,
        )
    created = _gql(
        base,
        """mutation($i: CreateBadgeInput!) { createBadge(input: $i) {
        ... on Badge { id } } }""",
        {"i": {"organizationId": org_id, "content": complete_badge()}},
        owner,
    )
    badge_id = created["createBadge"]["id"]
    for name, kind, payload, token in [
        ("submitBadgeForReview", "BadgeIdInput", {"badgeId": badge_id}, owner),
        ("reviewBadge", "ReviewBadgeInput", {"badgeId": badge_id, "approve": True}, checker),
    ]:
        _gql(
            base,
            f"mutation($i: {kind}!) {{ {name}(input: $i) {{ __typename }} }}",
            {"i": payload},
            token,
        )
    return badge_id  # type: ignore[no-any-return]
