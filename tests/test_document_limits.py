"""Document limits measured in linear time: fragment fan-out, cost, aliases, introspection."""

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from graphql import get_introspection_query, parse

from odznaka_graph.api import build_schema
from odznaka_graph.app import create_app
from odznaka_graph.limits import Pages, Walker
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.api_process import register as register_remote
from tests.helpers import Api, register
from tests.live_helpers import live


def fan_out(levels: int, leaf: str, fan: int = 6) -> str:
    """`levels` fragments, each spreading the next `fan` times: fan**(levels-1) leaves."""
    fragments = [
        f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * fan)} }}"
        for i in range(levels - 1)
    ]
    fragments.append(f"fragment F{levels - 1} on Query {{ {leaf} }}")
    return "query { ...F0 }\n" + "\n".join(fragments)


def error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    return body["errors"][0]  # type: ignore[no-any-return]


def test_each_fragment_is_measured_once() -> None:
    schema = build_schema(Settings())._schema
    document = parse(fan_out(10, "a: __typename"))
    walker = Walker.of_document(schema, document.definitions, Pages(maximum=100))
    operation = document.definitions[0]
    measure = walker.operation(operation)  # type: ignore[arg-type]
    assert walker.fragments_walked == 10
    assert measure.aliases == 6**9


def test_cycles_and_deep_chains_end_the_walk() -> None:
    schema = build_schema(Settings())._schema
    cycle = parse(
        "fragment A on Query { a: __typename ...B } fragment B on Query { ...A } { ...A }"
    )
    walker = Walker.of_document(schema, cycle.definitions, Pages(maximum=100))
    assert walker.operation(cycle.definitions[2]).aliases == 1  # type: ignore[arg-type]
    assert walker.fragments_walked == 2
    chain = [
        f"fragment F{i} on User {{ followers {{ edges {{ node {{ ...F{i + 1} }} }} }} }}"
        for i in range(300)
    ]
    chain.append("fragment F300 on User { handle }")
    document = parse('{ user(handle: "x") { ...F0 } }\n' + "\n".join(chain))
    walker = Walker.of_document(schema, document.definitions, Pages(maximum=100))
    walker.operation(document.definitions[0])  # type: ignore[arg-type]
    assert walker.too_deep


async def test_a_fragment_fan_out_is_refused_by_its_aliases(api: Api) -> None:
    body = (await api.raw(fan_out(10, "a: __typename"))).json()
    failure = error(body)
    assert failure["extensions"] == {
        "code": "TOO_MANY_ALIASES",
        "aliases": 6**9,
        "maxAliases": 15,
    }
    assert "10077696 aliases" in failure["message"]


async def test_a_cheap_fragment_fan_out_is_answered(api: Api) -> None:
    assert await api.query(fan_out(10, "__typename")) == {"__typename": "Query"}


FOLLOWERS = "followers(first: {n}) {{ edges {{ node {{ handle {inner} }} }} }}"


def nested_followers(depth: int, n: str) -> str:
    inner = ""
    for _ in range(depth):
        inner = FOLLOWERS.format(n=n, inner=inner)
    variables = "($n: Int = 100)" if n.startswith("$") else ""
    return f'query{variables} {{ user(handle: "ala") {{ {inner} }} }}'


async def test_nested_connections_are_refused_by_their_cost(api: Api) -> None:
    await register(api, "ala")
    body = (await api.raw(nested_followers(3, "100"))).json()
    failure = error(body)
    cost = 1 + 1 + 100 * (2 + 1 + 100 * (2 + 1 + 100 * 2))
    assert failure["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": 20000}
    assert f"costs {cost}" in failure["message"]
    assert "limit is 20000" in failure["message"]


async def test_cost_reads_the_variables_of_the_request(api: Api) -> None:
    await register(api, "ala")
    query = nested_followers(3, "$n")
    failure = error((await api.raw(query)).json())  # the variable's default: 100
    assert failure["extensions"]["code"] == "QUERY_TOO_COSTLY"
    data = await api.query(query, {"n": 5})
    assert data["user"]["followers"]["edges"] == []


async def test_a_list_argument_bounds_a_list(api: Api) -> None:
    ids = [f"id{i}" for i in range(100)]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on User {
        followers(first: 100) { edges { node { handle } } } } } }"""
    failure = error((await api.raw(query, {"ids": ids})).json())
    assert failure["extensions"]["cost"] == 1 + 100 * (1 + 100 * 2)


async def test_aliases_are_counted_through_fragments(api: Api) -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(8))
    query = f"fragment F on Query {{ {aliases} }} query {{ ...F x: __typename ...F }}"
    failure = error((await api.raw(query)).json())
    assert failure["extensions"] == {"code": "TOO_MANY_ALIASES", "aliases": 17, "maxAliases": 15}


async def test_depth_is_measured_through_fragments(api: Api) -> None:
    query = (
        "fragment Deep on Badge { issuer { badges { edges { node {"
        " issuer { badges { edges { node { issuer { badges { totalCount } } } } } } } } } } }"
        " { badges { edges { node { ...Deep } } } }"
    )
    failure = error((await api.raw(query)).json())
    assert failure["extensions"] == {"code": "QUERY_TOO_DEEP", "depth": 13, "maxDepth": 12}


async def test_graphiql_introspection_passes_the_default_limits(api: Api) -> None:
    data = await api.query(get_introspection_query(descriptions=True, input_value_deprecation=True))
    assert data["__schema"]["queryType"]["name"] == "Query"


async def test_nested_introspection_is_refused(api: Api) -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    failure = error((await api.raw(query)).json())
    assert "introspection" in failure["message"].lower()


@asynccontextmanager
async def client_of(settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_introspection_can_be_kept_from_anonymous_clients(
    api: Api, settings: Settings, runtime: Runtime
) -> None:
    person = await register(api, "ola")
    closed = settings.model_copy(update={"introspection_for_anonymous": False})
    query = {"query": '{ __type(name: "Badge") { name } }'}
    async with client_of(closed, runtime) as client:
        anonymous = (await client.post("/graphql", json=query)).json()
        signed_in = (
            await client.post(
                "/graphql", json=query, headers={"Authorization": f"Bearer {person.token}"}
            )
        ).json()
        plain = (await client.post("/graphql", json={"query": "{ __typename }"})).json()
    assert error(anonymous)["extensions"] == {"code": "INTROSPECTION_DISABLED"}
    assert signed_in == {"data": {"__type": {"name": "Badge"}}}
    assert plain == {"data": {"__typename": "Query"}}


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_process(settings, Path(tmp_path_factory.mktemp("uvicorn"))) as base:
        yield base


COSTLY_AWARDS = """subscription { awardReceived { badge { issuer {
  badges(first: 100) { edges { node { issuer {
    badges(first: 100) { edges { node { name } } } } } } } } } } }"""


def errors_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    payload = message["payload"]
    return payload if isinstance(payload, list) else payload["errors"]  # type: ignore[no-any-return]


async def test_limits_hold_over_websockets(server: str) -> None:
    token = register_remote(server, "wsklient")["accessToken"]
    async with live(server, token) as socket:
        await socket.subscribe("costly", COSTLY_AWARDS)
        costly = errors_of(await socket.message("costly"))[0]
        await socket.subscribe("query", nested_followers(3, "100"))
        query = errors_of(await socket.message("query"))[0]
        await socket.subscribe("fan", fan_out(10, "a: __typename"))
        fan = errors_of(await socket.message("fan"))[0]
        await socket.subscribe("huge", "{ " + "__typename " * 2100 + "}")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.message("huge")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400
    assert "more than 2000 tokens" in closed.value.rcvd.reason
    assert costly["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 20404, "maxCost": 20000}
    assert query["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert fan["extensions"]["code"] == "TOO_MANY_ALIASES", json.dumps(fan)
