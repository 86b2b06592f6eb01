"""Planned reads over HTTP: in front of the GraphQL view, a POSTed query whose document
has a plan (planner/) is answered here — one Cypher round trip, the JSON written once —
and everything else goes on to the view as before, body and all.

The same gates apply as in the view: the body limit (BoundedBodies sits outside), the
token, depth, alias and cost limits, the viewer read from the store (an invalid token goes
on to the view, which answers 401), the operation timeout (a TIMEOUT error, as the view
gives; the view does not run it again). Whatever a plan does not take
on goes on to the view, which answers it exactly as before.
"""

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from graphql import GraphQLError
from neo4j.exceptions import ServiceUnavailable

from odznaka_graph.clock import now
from odznaka_graph.execution_limits import limited
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graphql_http import (
    GRAPHQL_RESPONSE,
    answer_in_accepted_type,
    wants_graphql_response,
)
from odznaka_graph.i18n import parse_accept_language
from odznaka_graph.observability import PLANNED_READS
from odznaka_graph.persisted_documents import DocumentError, PersistedDocuments
from odznaka_graph.planner.compiler import Planner, answer
from odznaka_graph.planner.plan import Binding
from odznaka_graph.planner.selection import Unplannable
from odznaka_graph.services.base import answering_request
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer, bearer_token
from odznaka_graph.services.visibility import club_readers
from odznaka_graph.settings import Settings

log = logging.getLogger(__name__)
PLANNED, EXECUTED = PLANNED_READS.labels("planned"), PLANNED_READS.labels("executor")
TIMED_OUT = PLANNED_READS.labels("timeout")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
JSON = b"application/json"


class PlannedReads:
    def __init__(
        self,
        view: ASGIApp,
        planner: Planner,
        services: Services,
        settings: Settings,
        documents: PersistedDocuments,
    ) -> None:
        self.view = view
        self.planner = planner
        self.services = services
        self.settings = settings
        self.club_roles = club_readers()
        self.documents = documents  # the view's own: trust and registrations are shared

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await answer_in_accepted_type(self.view, scope, receive, send)
            return
        body = await _body(receive)
        if await self._answered(scope, body, send):
            PLANNED.inc()
        else:
            EXECUTED.inc()
            await answer_in_accepted_type(self.view, scope, _replay(body, receive), send)

    async def _answered(self, scope: Scope, body: bytes, send: Send) -> bool:
        headers = dict(scope.get("headers") or [])
        if not _plain_json(headers):
            return False
        request = _request(body, self.documents)
        if request is None:
            return False
        query, variables, operation_name = request
        planned = self.planner.plan(query, operation_name)
        if planned is None:
            return False
        typed = wants_graphql_response(scope["headers"])
        if planned.constant is not None and b"authorization" not in headers:
            await _send_json(send, planned.constant, typed)  # e.g. { __typename }
            return True
        viewer = await self._viewer(headers.get(b"authorization"))
        if viewer is None:
            return False
        try:
            data = await self._data(planned, variables, viewer, headers)
        except (Unplannable, ServiceUnavailable):
            # Neo4j away or not answering in time (the breaker has tripped): the view
            # answers, typed SERVICE_UNAVAILABLE, as for any read.
            return False
        except GraphQLError as stopped:
            if (stopped.extensions or {}).get("code") != "TIMEOUT":
                return False
            TIMED_OUT.inc()  # it ran: answered as the view answers a timed-out operation
            answer = {"data": None, "errors": [stopped.formatted]}
            await _send_json(send, orjson.dumps(answer), typed)
            return True
        except Exception:  # the view answers, with its own error handling
            log.warning("a planned read failed; the executor answers it", exc_info=True)
            return False
        await _send_json(send, orjson.dumps({"data": data}), typed)
        return True

    async def _viewer(self, authorization: bytes | None) -> Viewer | None:
        """The viewer as the store has it (as the view reads it); None for a token it does
        not know."""
        header = authorization.decode("latin-1") if authorization else None
        return await self.services.accounts.viewer(bearer_token(header))

    async def _data(
        self, planned: Any, variables: Any, viewer: Viewer, headers: dict[bytes, bytes]
    ) -> dict[str, Any]:
        settings = self.settings
        languages = parse_accept_language(headers.get(b"accept-language", b"").decode("latin-1"))
        blank = Binding({}, viewer, settings.max_page_size, self.club_roles, now(), languages)
        binding = self.planner.binding(planned, variables, blank)
        graph: Graph = self.services.stores.graph
        sources = _Sources(self.services, viewer)

        # Past the deadline the operation is over (not run again by the view): a TIMEOUT
        # error, as the view would give.
        # A read that gets no answer in GRAPH_READ_TIMEOUT_SECONDS gives up, as the view's do.
        with answering_request():
            async with limited(settings.operation_timeout_seconds):
                # issue 17: sees awards acknowledged before it
                await self.services.stores.caught_up()
                return await answer(planned, binding, languages, graph, sources)


class _Sources:
    """The services, and one set of loaders for the request, made when a rule asks."""

    def __init__(self, services: Services, viewer: Viewer) -> None:
        self.services = services
        self.viewer = viewer
        self._loaders: Loaders | None = None

    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders.of(self.services.stores, self.viewer)
        return self._loaders


JSON_TYPES = {b"application/json", b"application/json;charset=utf-8"}
ACCEPTED = (b"application/json", GRAPHQL_RESPONSE, b"*/*", b"application/*")


def _plain_json(headers: dict[bytes, bytes]) -> bool:
    """A UTF-8 JSON body, from a client that takes a JSON answer: what the planned path
    answers; the view handles every other combination (and its errors, e.g. 406)."""
    kind = headers.get(b"content-type", b"").lower().replace(b" ", b"")
    accept = headers.get(b"accept", b"*/*").lower()
    return kind in JSON_TYPES and any(media in accept for media in ACCEPTED)


def _request(
    body: bytes, documents: PersistedDocuments
) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """(query, variables, operation name) of a JSON request — its document given as text
    or by a hash the documents know, and allowed when only trusted ones run — else None
    (the view answers it, refusals included)."""
    try:
        parsed = documents.resolve(orjson.loads(body))
    except (orjson.JSONDecodeError, DocumentError, TypeError, AttributeError):
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("extensions"), dict | None):
        return None
    query, variables, name = (
        parsed.get("query"),
        parsed.get("variables"),
        parsed.get("operationName"),
    )
    if not isinstance(query, str) or not isinstance(variables, dict | None):
        return None
    if not isinstance(name, str | None):
        return None
    return query, variables, name


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once more, for the view; then the client's own messages (a disconnect)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


async def _send_json(send: Send, payload: bytes, typed: bool) -> None:
    kind = GRAPHQL_RESPONSE if typed else JSON
    headers = [(b"content-type", kind), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
