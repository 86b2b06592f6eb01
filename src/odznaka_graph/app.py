"""The Starlette application: GraphQL at /graphql, health, readiness and metrics."""

import asyncio
import gc
import itertools
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from odznaka_graph.api import GraphQLApp, build_schema, planner_for
from odznaka_graph.graph_model import recommendations
from odznaka_graph.graphiql import GraphiQL
from odznaka_graph.graphql_http import answer_in_accepted_type
from odznaka_graph.http import dev_mailbox
from odznaka_graph.http.account_pages import ROUTES as ACCOUNT_PAGE_ROUTES
from odznaka_graph.http.credentials import ROUTES as CREDENTIAL_ROUTES
from odznaka_graph.http.images import ROUTES as IMAGE_ROUTES
from odznaka_graph.http.pupil_pages import ROUTES as PUPIL_PAGE_ROUTES
from odznaka_graph.http.roster_sheet import ROUTES as ROSTER_SHEET_ROUTES
from odznaka_graph.observability import HTTP_LATENCY, HTTP_REQUESTS, request_id_var
from odznaka_graph.planned_http import PlannedReads
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from odznaka_graph.sharing.routes import ROUTES as SHARING_ROUTES
from odznaka_graph.transport_limits import BoundedBodies
from odznaka_graph.wallet.presentation_routes import ROUTES as PRESENTATION_ROUTES
from odznaka_graph.wallet.routes import ROUTES as WALLET_ROUTES

log = logging.getLogger(__name__)


async def landing(request: Request) -> RedirectResponse:
    """The root sends visitors to GraphiQL (and API clients to the endpoint)."""
    return RedirectResponse("/graphql", status_code=307)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    stores = runtime.services.stores
    checks = {
        "neo4j": stores.graph.ping,
        "sql": stores.ledger.ping,
        "pubsub": runtime.services.pubsub.ping,
    }
    results = {}
    for name, check in checks.items():
        try:
            await check()
            results[name] = "ok"
        except Exception as error:
            results[name] = f"unavailable: {type(error).__name__}"
    ready = all(value == "ok" for value in results.values())
    return JSONResponse({"ready": ready, "checks": results}, status_code=200 if ready else 503)


async def metrics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:  # event handlers' backlog, oldest pending age and parked count (issue 17)
        await runtime.services.stores.projector.effects.refresh_gauges()
    except Exception:
        log.warning("reading the event handlers' backlog failed", exc_info=True)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _warm_up(runtime: Runtime) -> None:
    try:
        await recommendations.warm_up(runtime.services.stores.graph)
    except Exception:  # only a head start: the queries are planned on first use anyway
        log.warning("planning the recommendation queries ahead failed", exc_info=True)


def _settle_the_heap() -> None:
    """Everything made at start-up (the schema, its caches, modules) lives as long as the
    process: moved out of the collector's sight, it is no longer walked by every full
    collection, whose pauses were the slowest requests' latency."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    """The app; it opens its own runtime unless one is handed in (and then leaves it open)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        current = runtime or await Runtime.open(settings)
        app.state.runtime = current
        if runtime is None:  # a server of its own: plan the large queries before users ask
            warming = asyncio.ensure_future(_warm_up(current))
        schema = build_schema(settings)
        view = GraphQLApp(schema, current.services, settings)
        graphql.app = view
        if settings.read_planner:
            planner = planner_for(schema, settings)
            graphql.planned = PlannedReads(
                view, planner, current.services, settings, view.documents
            )
        _settle_the_heap()
        try:
            yield
        finally:
            if runtime is None:
                warming.cancel()
                await current.close()

    graphql = _LateApp()
    graphiql = GraphiQL(settings.graphiql_dir)
    app = _Api(
        routes=[
            Route("/", landing),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            *SHARING_ROUTES,
            *CREDENTIAL_ROUTES,
            *graphiql.routes,
            *ACCOUNT_PAGE_ROUTES,  # mail links (issue 14)
            *WALLET_ROUTES,  # OpenID4VCI issuance into wallets (issue 16)
            *PRESENTATION_ROUTES,  # OpenID4VP sign-in and door checks (issue 16)
            *PUPIL_PAGE_ROUTES,  # pupils' slips and guardians' consent (issue 15)
            *ROSTER_SHEET_ROUTES,
            *IMAGE_ROUTES,  # uploaded badge pictures and evidence (issue 15)
            *(dev_mailbox.routes(settings.var_dir / "mailbox.db") if settings.dev_mailbox else []),
        ],
        lifespan=lifespan,
    )
    app.state.graphiql = graphiql  # the page GraphQLApp shows browsers at GET /graphql
    app.add_middleware(_RequestIds)
    app.add_middleware(BoundedBodies, limit=settings.max_body_bytes)
    app.graphql_door = BoundedBodies(_RequestIds(graphql), settings.max_body_bytes)
    return app


class _LateApp:
    """The GraphQL app, made once the lifespan has opened the stores."""

    app: GraphQLApp | None = None
    planned: PlannedReads | None = None  # in front of it, with the read planner on

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "the application has not started"
        if self.planned is not None:
            await self.planned(scope, receive, send)
        else:
            await answer_in_accepted_type(self.app, scope, receive, send)


class _RequestIds:
    """Gives each HTTP request an id (or keeps the caller's), logs it, and times it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Ids unique across instances and restarts without a random read per request: a
        # random prefix per process, then a counter.
        self._prefix = uuid.uuid4().hex[:16]
        self._count = itertools.count(1)
        self._counted: dict[tuple[str, int], Any] = {}  # the counter's child per label pair
        self._timed = {path: HTTP_LATENCY.labels(path) for path in (*_KNOWN_PATHS, "other")}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers") or () if k == b"x-request-id"), b"")
        request_id = given.decode()[:64] or f"{self._prefix}{next(self._count):016x}"
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = scope["path"] if scope["path"] in _KNOWN_PATHS else "other"
            key = (path, status["code"])
            counted = self._counted.get(key)
            if counted is None:
                counted = self._counted[key] = HTTP_REQUESTS.labels(path, str(status["code"]))
            counted.inc()
            self._timed[path].observe(time.perf_counter() - started)
            request_id_var.reset(token)


class _Api(Starlette):
    """Starlette, with a short way in for GraphQL: a GET or POST to /graphql passes the same
    body limit and request ids, then goes straight to the GraphQL app, past the router and
    Starlette's exception layers (neither has anything to do there: an error that escapes
    is answered 500 by uvicorn, as ServerErrorMiddleware would, and logged). Every other
    request, and WebSockets, take the whole stack."""

    graphql_door: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        door = self.graphql_door
        if (
            door is not None
            and scope["type"] == "http"
            and scope["path"] == "/graphql"
            and not scope.get("root_path")
            and scope["method"] in ("GET", "POST")
        ):
            scope["app"] = self  # as Starlette gives it (GraphiQL's page reads the state)
            await door(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


_KNOWN_PATHS = {"/graphql", "/healthz", "/readyz", "/metrics"}
