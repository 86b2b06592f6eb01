"""GraphQL over HTTP media types (https://graphql.github.io/graphql-over-http/).

A client that accepts `application/graphql-response+json` is answered in that type, and a
request error — a document that does not parse or validate, variables that cannot be
coerced: the operation never ran — comes back as 400 without a `data` entry; an operation
that brought back nothing but SERVICE_UNAVAILABLE errors (a store outage) as 503 with
Retry-After. A client of plain `application/json` keeps the legacy behaviour: 200 with
`data: null` and the errors.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from odznaka_graph.store_outages import CODE as OUTAGE_CODE
from odznaka_graph.store_outages import RETRY_AFTER_SECONDS

GRAPHQL_RESPONSE = b"application/graphql-response+json"
_REQUEST_ERROR = "odznaka.graphql_request_error"  # set in the ASGI scope by `shape_result`
_RAN = {"TIMEOUT"}  # codes of errors that stop an operation after it started
_OUTAGE = "odznaka.graphql_store_outage"  # set by `shape_result`: 503 with Retry-After

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def wants_graphql_response(headers: list[tuple[bytes, bytes]] | Any) -> bool:
    """Whether the request's Accept names the GraphQL response media type."""
    accept = b",".join(value for key, value in headers if key.lower() == b"accept")
    return GRAPHQL_RESPONSE in accept.lower()


def is_request_error(result: ExecutionResult) -> bool:
    """True when the operation never started: parse or validation failed (strawberry's
    PreExecutionError), or variables could not be coerced (graphql-core then answers no
    data and errors that point into the document but at no response path). Errors of a
    running operation always carry a path; an operation stopped whole (a timeout) has
    `data: null` and errors with no location, and stays a 200 answer."""
    errors = result.errors or []
    if isinstance(result, PreExecutionError):
        # Limits raised around execution are pre-execution errors to strawberry too; a
        # timeout, though, stops an operation that ran.
        return not any((error.extensions or {}).get("code") in _RAN for error in errors)
    return (
        result.data is None
        and bool(errors)
        and all(error.path is None and error.locations for error in errors)
    )


def shape_result(
    request: Request, result: ExecutionResult, response: GraphQLHTTPResponse
) -> GraphQLHTTPResponse:
    """The processed result, without `data` for a request error when the client accepts
    the GraphQL response type (and the scope marked so `answer_in_accepted_type` says 400)."""
    if not wants_graphql_response(request.scope.get("headers") or []):
        return response
    if is_request_error(result):
        response.pop("data", None)
        request.scope[_REQUEST_ERROR] = True
    elif _only_outages(result):  # nothing came back but a store outage: no data, 503
        response.pop("data", None)
        request.scope[_OUTAGE] = True
    return response


def _only_outages(result: ExecutionResult) -> bool:
    errors = result.errors or []
    data = result.data or {}
    return (
        bool(errors)
        and all(value is None for value in data.values())
        and all((error.extensions or {}).get("code") == OUTAGE_CODE for error in errors)
    )


async def answer_in_accepted_type(app: ASGIApp, scope: Scope, receive: Any, send: Any) -> None:
    """Runs the GraphQL app; for a client accepting the GraphQL response type, its JSON
    answers are labelled with that type, and request errors get status 400."""
    if scope["type"] != "http" or not wants_graphql_response(scope.get("headers") or []):
        await app(scope, receive, send)
        return

    async def send_typed(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [
                (
                    key,
                    GRAPHQL_RESPONSE
                    if key == b"content-type" and value == b"application/json"
                    else value,
                )
                for key, value in message.get("headers", [])
            ]
            if scope.get(_REQUEST_ERROR) and message["status"] == 200:
                message["status"] = 400
            if scope.get(_OUTAGE) and message["status"] == 200:
                message["status"] = 503
                message["headers"].append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
        await send(message)

    await app(scope, receive, send_typed)
