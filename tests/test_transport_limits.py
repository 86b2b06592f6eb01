"""Limits that hold whatever the transport: the operation timeout and validation limits
over graphql-transport-ws as over HTTP, caps on sockets and on operations per socket, request
bodies and WebSocket messages, input lists. Against uvicorn processes on the session's Neo4j."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from odznaka_graph.ids import to_global
from odznaka_graph.settings import Settings
from tests.api_process import PASSWORD, api_process, register

LIMITS = {
    "OPERATION_TIMEOUT_SECONDS": "3",
    "MAX_SOCKETS_PER_CLIENT": "4",
    "MAX_SOCKETS_PER_ACCOUNT": "2",
    "MAX_SUBSCRIPTIONS_PER_SOCKET": "2",
}
PROTOCOL = ["graphql-transport-ws"]
BADGES = "{ badges(first: 5) { totalCount edges { node { id } } } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("limits")


@pytest.fixture(scope="module")
def server(settings: Settings, var: Path) -> Iterator[str]:
    with api_process(settings, var, **LIMITS) as base:
        yield base


@pytest.fixture(scope="module")
def hasty(settings: Settings, var: Path) -> Iterator[str]:
    """The same stores, but every operation is over before it can wait for anything."""
    with api_process(settings, var, OPERATION_TIMEOUT_SECONDS="0.000001") as base:
        yield base


@asynccontextmanager
async def socket(base: str, token: str | None = None) -> AsyncIterator[Any]:
    """A graphql-transport-ws connection, acknowledged."""
    async with websockets.connect(f"ws://{base}/graphql", subprotocols=PROTOCOL) as ws:  # type: ignore[arg-type]
        await ws.send(json.dumps({"type": "connection_init", "payload": _auth(token)}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        yield ws


async def held(stack: AsyncExitStack, base: str, token: str | None = None) -> Any:
    """A socket kept open until `stack` closes; refused ones are tried again for a while, as
    the server gives back the sockets of earlier tests just after they close."""
    async with asyncio.timeout(15):
        while True:
            try:
                return await stack.enter_async_context(socket(base, token))
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 4429, closed
                await asyncio.sleep(0.2)


def _auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


async def send(ws: Any, op: str, query: str, variables: dict[str, Any] | None = None) -> None:
    payload = {"query": query, "variables": variables or {}}
    await ws.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))


async def errors_of(ws: Any, op: str) -> list[dict[str, Any]]:
    """The errors the operation `op` ends with (an `error` message, or a `next` with errors)."""
    async with asyncio.timeout(20):
        while True:
            message = json.loads(await ws.recv())
            if message.get("id") != op:
                continue
            if message["type"] == "error":
                return message["payload"]  # type: ignore[no-any-return]
            if message["type"] == "next" and message["payload"].get("errors"):
                return message["payload"]["errors"]  # type: ignore[no-any-return]
            raise AssertionError(f"the operation was not refused: {message}")


async def closed_with(ws: Any) -> int:
    with pytest.raises(websockets.ConnectionClosed):
        async with asyncio.timeout(10):
            while True:
                await ws.recv()
    return ws.close_code  # type: ignore[no-any-return]


def codes(errors: list[dict[str, Any]]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in errors]


# --- the operation timeout and validation, over WebSocket as over HTTP ---------------------


async def test_a_query_over_websocket_is_stopped_at_the_timeout(hasty: str) -> None:
    async with socket(hasty) as ws:
        await send(ws, "slow", BADGES)
        assert codes(await errors_of(ws, "slow")) == ["TIMEOUT"]


def test_the_same_query_over_http_gets_the_same_error(hasty: str) -> None:
    body = httpx.post(f"http://{hasty}/graphql", json={"query": BADGES}, timeout=30).json()
    assert body["data"] is None
    assert codes(body["errors"]) == ["TIMEOUT"]


def _planned_counts(base: str) -> dict[str, float]:
    text = httpx.get(f"http://{base}/metrics", timeout=30).text
    counts = {}
    for line in text.splitlines():
        if line.startswith("odznaka_graphql_planned_total{"):
            label, value = line.split("}")
            counts[label.split('"')[1]] = float(value)
    return counts


def test_a_planned_read_past_the_timeout_gets_the_same_error_and_is_not_run_again(
    hasty: str,
) -> None:
    before = _planned_counts(hasty)
    query = '{ user(handle: "nobody-at-all") { handle displayName } }'
    body = httpx.post(f"http://{hasty}/graphql", json={"query": query}, timeout=30).json()
    assert body["data"] is None
    assert codes(body["errors"]) == ["TIMEOUT"]
    after = _planned_counts(hasty)
    assert after.get("timeout", 0) == before.get("timeout", 0) + 1
    assert after.get("executor", 0) == before.get("executor", 0)


async def test_a_subscription_that_sets_itself_up_too_slowly_is_stopped(
    server: str, hasty: str
) -> None:
    learner = register(server, "slowsetup")  # signed up where operations have time
    team = to_global("Team", "no-such-team")  # its access check reads Neo4j before waiting
    async with socket(hasty, learner["accessToken"]) as ws:
        await send(
            ws,
            "1",
            "subscription($t: ID!) { teamActivity(teamId: $t) { __typename } }",
            {"t": team},
        )
        assert codes(await errors_of(ws, "1")) == ["TIMEOUT"]


async def test_a_subscription_lives_longer_than_the_operation_timeout(server: str) -> None:
    learner = register(server, "longlife")
    async with socket(server, learner["accessToken"]) as ws:
        await send(ws, "n", "subscription { notifications { id } }")
        with pytest.raises(TimeoutError):  # still open, nothing arrived, no error
            await asyncio.wait_for(ws.recv(), 4)  # the server's timeout is 3 s


async def test_a_too_deep_query_is_refused_over_websocket_as_over_http(server: str) -> None:
    deep = "node { handle }"
    for _ in range(15):
        deep = f"node {{ followers {{ edges {{ {deep} }} }} }}"
    query = f'{{ user(handle: "x") {{ followers {{ edges {{ {deep} }} }} }} }}'
    async with socket(server) as ws:
        await send(ws, "deep", query)
        over_websocket = await errors_of(ws, "deep")
    url = f"http://{server}/graphql"
    over_http = (await asyncio.to_thread(httpx.post, url, json={"query": query})).json()
    assert over_http.get("data") is None
    messages = [error["message"] for error in over_websocket]
    assert messages and messages == [error["message"] for error in over_http["errors"]]
    assert "Internal server error." not in messages


# --- sockets and operations per socket ------------------------------------------------------


async def test_sockets_per_client_address_are_capped(server: str) -> None:
    async with AsyncExitStack() as stack:
        for _ in range(4):
            await held(stack, server)
        async with websockets.connect(f"ws://{server}/graphql", subprotocols=PROTOCOL) as extra:  # type: ignore[arg-type]
            assert await closed_with(extra) == 4429  # right after the handshake
            assert "client address" in (extra.close_reason or "")
    async with AsyncExitStack() as stack:  # once closed, they are given back
        await held(stack, server)


async def test_sockets_per_account_are_capped(server: str) -> None:
    token = register(server, "manysockets")["accessToken"]
    async with AsyncExitStack() as stack:
        await held(stack, server, token)
        await held(stack, server, token)
        async with websockets.connect(f"ws://{server}/graphql", subprotocols=PROTOCOL) as extra:  # type: ignore[arg-type]
            await extra.send(json.dumps({"type": "connection_init", "payload": _auth(token)}))
            assert await closed_with(extra) == 4429
            assert "account" in (extra.close_reason or "")
        await held(stack, server)  # anonymous sockets from the same address still open


async def test_operations_per_socket_are_capped(server: str) -> None:
    token = register(server, "manysubs")["accessToken"]
    async with AsyncExitStack() as stack:
        ws = await held(stack, server, token)
        for op in ("1", "2"):
            await send(ws, op, "subscription { notifications { id } }")
        await send(ws, "3", "subscription { awardReceived { id } }")
        errors = await errors_of(ws, "3")
        assert codes(errors) == ["TOO_MANY_SUBSCRIPTIONS"]
        assert errors[0]["extensions"]["limit"] == 2
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
        await send(ws, "4", "{ __typename }")  # room again once one is completed
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message == {"id": "4", "type": "next", "payload": {"data": {"__typename": "Query"}}}


# --- bodies and messages --------------------------------------------------------------------


def _register_body(email: str, padding: int) -> dict[str, Any]:
    return {
        "query": "mutation($i: RegisterInput!) { register(input: $i) { __typename } }",
        "variables": {
            "i": {
                "email": email,
                "password": PASSWORD,
                "handle": email.split("@")[0],
                "displayName": "x",
            },
            "padding": "x" * padding,
        },
    }


def _signed_up(base: str, email: str) -> bool:
    body = httpx.post(
        f"http://{base}/graphql",
        json={
            "query": "mutation($i: LoginInput!) { login(input: $i) { __typename } }",
            "variables": {"i": {"email": email, "password": PASSWORD}},
        },
        timeout=30,
    ).json()
    return body["data"]["login"]["__typename"] == "AuthPayload"  # type: ignore[no-any-return]


def test_a_two_megabyte_body_is_refused_and_nothing_runs(server: str) -> None:
    response = httpx.post(
        f"http://{server}/graphql", json=_register_body("bigbody@example.org", 2 << 20), timeout=30
    )
    assert response.status_code == 413
    assert codes(response.json()["errors"]) == ["BODY_TOO_LARGE"]
    assert not _signed_up(server, "bigbody@example.org")


def test_a_large_body_without_a_length_is_cut_off_as_it_arrives(server: str) -> None:
    data = json.dumps(_register_body("chunked@example.org", 2 << 20)).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(data), 65536):
            yield data[start : start + 65536]

    response = httpx.post(
        f"http://{server}/graphql",
        content=chunks(),
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert codes(response.json()["errors"]) == ["BODY_TOO_LARGE"]
    assert not _signed_up(server, "chunked@example.org")


def test_a_body_within_the_limit_runs(server: str) -> None:
    response = httpx.post(
        f"http://{server}/graphql", json=_register_body("smallbody@example.org", 1000), timeout=30
    )
    assert response.status_code == 200, response.text
    assert _signed_up(server, "smallbody@example.org")


async def test_a_two_megabyte_websocket_message_closes_the_socket(server: str) -> None:
    async with AsyncExitStack() as stack:
        ws = await held(stack, server)
        try:
            await send(ws, "big", "{ __typename }", {"padding": "x" * (2 << 20)})
        except websockets.ConnectionClosed as error:
            # the server may close before the client has finished sending the frame
            assert error.rcvd is not None and error.rcvd.code == 1009, error
            return
        assert await closed_with(ws) == 1009


# --- input lists ----------------------------------------------------------------------------


def _post(base: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"http://{base}/graphql", json={"query": query, "variables": variables}, timeout=30
    )
    return response.json()  # type: ignore[no-any-return]


def test_a_long_ids_list_is_refused_with_a_typed_error(server: str) -> None:
    ids = [to_global("User", f"u{n}") for n in range(5000)]
    body = _post(server, NODES, {"ids": ids})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "INPUT_LIST_TOO_LONG",
        "path": ["nodes", "ids"],
        "count": 5000,
        "limit": 100,
    }


def test_a_list_at_the_limit_is_accepted(server: str) -> None:
    ids = [to_global("User", f"u{n}") for n in range(100)]
    body = _post(server, NODES, {"ids": ids})
    assert "errors" not in body
    assert body["data"]["nodes"] == [None] * 100


def test_lists_inside_input_objects_and_literals_are_bounded(server: str) -> None:
    query = "query($f: BadgeFilter) { badges(filter: $f) { totalCount } }"
    body = _post(server, query, {"f": {"tags": [f"t{n}" for n in range(101)]}})
    [error] = body["errors"]
    assert error["extensions"]["path"] == ["badges", "filter", "tags"]
    assert error["extensions"]["code"] == "INPUT_LIST_TOO_LONG"
    tags = ", ".join(f'"t{n}"' for n in range(101))
    literal = f"{{ badges(filter: {{tags: [{tags}]}}) {{ totalCount }} }}"
    [error] = _post(server, literal, {})["errors"]
    assert error["extensions"]["count"] == 101


def test_bulk_awarding_may_name_a_whole_school(server: str) -> None:
    """BulkAwardBadgeInput.recipients may be longer: the service refuses past its own 1,000
    rows with a ValidationError, and input past twice that is not even read."""
    token = register(server, "bulkstaff")["accessToken"]
    query = """mutation($i: BulkAwardBadgeInput!) { bulkAwardBadge(input: $i) {
        __typename ... on MutationError { message } } }"""
    recipients = [f"pupil{n}@example.org" for n in range(500)]
    payload = {
        "badgeId": to_global("Badge", "none"),
        "recipients": recipients,
        "idempotencyKey": "k" * 10,
    }
    response = httpx.post(
        f"http://{server}/graphql",
        json={"query": query, "variables": {"i": payload}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert "INPUT_LIST_TOO_LONG" not in json.dumps(response)
    assert response["data"]["bulkAwardBadge"]["__typename"] != "BulkAwardReport"  # no such badge
    too_many = payload | {"recipients": recipients * 5}
    response = httpx.post(
        f"http://{server}/graphql",
        json={"query": query, "variables": {"i": too_many}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    [error] = response["errors"]
    assert error["extensions"]["limit"] == 2000


async def test_input_lists_are_bounded_over_websocket_too(server: str) -> None:
    ids = [to_global("User", f"u{n}") for n in range(101)]
    async with socket(server) as ws:
        await send(ws, "ids", NODES, {"ids": ids})
        assert codes(await errors_of(ws, "ids")) == ["INPUT_LIST_TOO_LONG"]
