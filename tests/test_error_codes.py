"""Every refusal looks like GraphQL: bad tokens, documents that do not parse or validate,
variables that do not coerce and the limits all answer GraphQL errors with a stable
`extensions.code`, over HTTP and (in close reasons) over WebSocket."""

import asyncio
import json
from collections.abc import Iterator

import pytest
import websockets

from odznaka_graph.services.tokens import issue_access_token
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.api_process import register as register_remote
from tests.helpers import Api, register

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _code(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) == 1
    return str(errors[0]["extensions"]["code"])


async def test_a_bad_token_is_a_graphql_error_with_status_401(api: Api) -> None:
    response = await api.raw("{ me { handle } }", token="not-a-token")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert _code(response.json()) == "UNAUTHENTICATED"
    typed = await api.raw("{ me { handle } }", token="x", headers={"Accept": GRAPHQL_RESPONSE})
    assert typed.status_code == 401
    assert typed.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert _code(typed.json()) == "UNAUTHENTICATED"


async def test_an_expired_token_says_so(api: Api) -> None:
    person = await register(api)
    secret = api.runtime.settings.jwt_secret.get_secret_value()
    expired = issue_access_token(secret, person.id, "some-session", minutes=-1)
    response = await api.raw("{ me { handle } }", token=expired)
    assert response.status_code == 401
    body = response.json()
    assert _code(body) == "TOKEN_EXPIRED"
    assert "expired" in body["errors"][0]["message"]


async def test_parse_validation_and_variable_errors_carry_codes(api: Api) -> None:
    parse = (await api.raw("{ me { handle ")).json()
    assert _code(parse) == "GRAPHQL_PARSE_FAILED"
    invalid = (await api.raw("{ me { noSuchField } }")).json()
    assert _code(invalid) == "GRAPHQL_VALIDATION_FAILED"
    variables = await api.raw("query($id: ID!) { badge(id: $id) { id } }", {"id": [1, 2]})
    assert _code(variables.json()) == "BAD_USER_INPUT"


async def test_the_depth_limit_names_no_internal_label(api: Api) -> None:
    nested = "{ me " + "{ followers { edges { node " * 4 + "{ handle }" + " } } }" * 4 + " }"
    body = (await api.raw(nested)).json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "anonymous" not in error["message"]


async def test_a_wrong_password_is_an_authentication_error(api: Api) -> None:
    person = await register(api)
    wrong = await api.mutate(
        "login", {"email": person.email, "password": "not the one"}, "... on AuthPayload { userId }"
    )
    assert wrong["__typename"] == "AuthenticationError"
    assert (wrong["code"], wrong["reason"]) == ("UNAUTHENTICATED", "WRONG_PASSWORD")


# -- WebSocket ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("codes")
    with api_process(settings, var, SESSION_CHECK_SECONDS="2") as base:
        yield base


async def _closed(ws: websockets.ClientConnection) -> tuple[int | None, str | None]:
    with pytest.raises(websockets.ConnectionClosed):
        async with asyncio.timeout(10):
            while True:
                await ws.recv()
    return ws.close_code, ws.close_reason


async def _init(base: str, token: str) -> websockets.ClientConnection:
    ws = await websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    await ws.send(json.dumps(init))
    return ws


async def test_a_bad_token_closes_the_socket_with_its_code(server: str) -> None:
    ws = await _init(server, "nope")
    code, reason = await _closed(ws)
    assert code == 4403
    assert reason is not None and reason.startswith("UNAUTHENTICATED: ")


async def test_a_revoked_session_closes_the_socket_with_its_code(server: str) -> None:
    token = register_remote(server, "codesrevoked")["accessToken"]
    ws = await _init(server, token)
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    logout = {"query": "mutation { logout { __typename } }"}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": logout}))
    code, reason = await _closed(ws)
    assert code == 4401
    assert reason is not None and reason.startswith("UNAUTHENTICATED: ")
