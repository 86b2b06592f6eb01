"""Tests against uvicorn processes: the async builders of tests/helpers.py over real HTTP,
and graphql-transport-ws clients."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

import httpx
import websockets

from odznaka_graph.runtime import Runtime
from tests.api_process import REVIEWER, verified_reviewer
from tests.helpers import ORG, Api, Issuer, Person, register, tx


@asynccontextmanager
async def remote(base: str) -> AsyncIterator[Api]:
    """The helpers' client, talking HTTP to a process (which has no runtime here)."""
    async with httpx.AsyncClient(base_url=f"http://{base}", timeout=30) as client:
        yield Api(client, cast(Runtime, None))


async def checker(api: Api) -> Person:
    """The process's reviewer, registered and verified on first use (under a handle of its
    own: processes with other SQL stores share the graph, where handles are unique)."""
    handle = f"checker{uuid.uuid4().hex[:8]}"
    base = api.client.base_url.netloc.decode()
    login = await asyncio.to_thread(verified_reviewer, base, handle)
    return Person(login["userId"], login["accessToken"], REVIEWER, handle)


async def remote_issuer(api: Api) -> Issuer:
    """A verified organisation with its owner, as helpers.verified_issuer makes one."""
    owner, reviewer = await register(api), await checker(api)
    org = await api.mutate(
        "createOrganization", {"kind": "SCHOOL", "name": tx("Szkoła")}, ORG, owner.token
    )
    await api.mutate("acceptIssuerAgreement", {"organizationId": org["id"]}, ORG, owner.token)
    await api.mutate(
        "reviewOrganization", {"organizationId": org["id"], "approve": True}, ORG, reviewer.token
    )
    return Issuer(owner, reviewer, org["id"])


class Live:
    """One graphql-transport-ws connection; messages are kept per operation id."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.kept: dict[str, list[dict[str, Any]]] = {}

    async def subscribe(self, op: str, query: str, variables: dict[str, Any] | None = None) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.ws.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))

    async def message(self, op: str, within: float = 20) -> dict[str, Any]:
        """The next `next`, `error` or `complete` message of an operation."""
        async with asyncio.timeout(within):
            while not self.kept.get(op):
                found = json.loads(await self.ws.recv())
                if "id" in found:
                    self.kept.setdefault(found["id"], []).append(found)
        return self.kept[op].pop(0)

    async def item(
        self, op: str, field: str, wanted: Callable[[dict[str, Any]], bool], within: float = 20
    ) -> dict[str, Any]:
        """The next item of a subscription that is `wanted`, skipping the others."""
        async with asyncio.timeout(within):
            while True:
                found = await self.message(op, within)
                assert found["type"] == "next" and "errors" not in found["payload"], found
                data = found["payload"]["data"][field]
                if wanted(data):
                    return data  # type: ignore[no-any-return]

    async def quiet(self, op: str, seconds: float) -> list[dict[str, Any]]:
        """Whatever arrives for an operation within `seconds`."""
        got: list[dict[str, Any]] = []
        try:
            async with asyncio.timeout(seconds):
                while True:
                    got.append(await self.message(op, seconds))
        except TimeoutError:
            return got


@asynccontextmanager
async def live(base: str, token: str) -> AsyncIterator[Live]:
    async with websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield Live(ws)


async def settled() -> None:
    """Let a fresh subscription reach its channel before the event it waits for."""
    await asyncio.sleep(0.5)
