"""The GraphQL schema with its abuse limits, and the HTTP/WebSocket view serving it."""

import logging
from typing import Any

import strawberry
from cross_web import AsyncHTTPRequestAdapter
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import AddValidationRules, ValidationCache
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from odznaka_graph import sessions
from odznaka_graph.context import Context
from odznaka_graph.error_log import MaskUnexpectedErrors, Schema
from odznaka_graph.execution_limits import ExecutionLimits, subscription_executor
from odznaka_graph.graphql_http import shape_result, wants_graphql_response
from odznaka_graph.i18n import CALLER_LANGUAGES, parse_accept_language
from odznaka_graph.limits import CostLimit, QuietParserCache, TokenLimit, limit_rules
from odznaka_graph.live_sharing import sharing
from odznaka_graph.persisted_documents import DocumentError, PersistedDocuments
from odznaka_graph.planner.compiler import Limits, Planner
from odznaka_graph.planner.rules import RULES
from odznaka_graph.resolvers.operation_loaders import OperationLoaders
from odznaka_graph.resolvers.read_after_write import ReadAfterWrite
from odznaka_graph.resolvers.root import Mutation, Query, Subscription
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import ANONYMOUS, Refusal, bearer_token, refusal
from odznaka_graph.settings import Settings
from odznaka_graph.store_outages import RETRY_AFTER_SECONDS, outage_body, unavailable_store
from odznaka_graph.transport_limits import (
    TOO_MANY_SOCKETS,
    LimitedTransportWSHandler,
    SocketLimits,
    TokenRefused,
)

log = logging.getLogger(__name__)
MASKED = "Internal server error."


def _should_mask(error: GraphQLError) -> bool:
    # Anything not raised as a GraphQL error; MaskUnexpectedErrors keeps bad input's message.
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(settings: Settings) -> strawberry.Schema:
    # Made once, so the validation cache (keyed by the rules too) keeps its hits.
    rules = list(limit_rules(settings.max_query_depth, settings.max_aliases))
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            lambda: TokenLimit(max_token_count=settings.max_tokens),
            lambda: QuietParserCache(maxsize=512),
            lambda: AddValidationRules(rules),
            lambda: ValidationCache(maxsize=512),
            sessions.SessionCheck,
            lambda: CostLimit(
                settings.max_query_cost,
                settings.max_page_size,
                settings.introspection_for_anonymous,
            ),
            lambda: MaskUnexpectedErrors(should_mask_error=_should_mask, error_message=MASKED),
            lambda: ExecutionLimits(
                timeout=settings.operation_timeout_seconds,
                max_list_input=settings.max_list_input,
            ),
            OperationLoaders,  # after SessionCheck: loaders for the viewer it re-read
            ReadAfterWrite,  # issue 17: a query sees awards acknowledged before it
        ],
        execution_context_class=sharing(subscription_executor(settings.operation_timeout_seconds)),
    )


def planner_for(schema: strawberry.Schema, settings: Settings) -> Planner:
    """The read planner over the schema, with the same document limits as the executor."""
    limits = Limits(settings.max_tokens, settings.max_query_cost, settings.max_page_size)
    rules = limit_rules(settings.max_query_depth, settings.max_aliases)
    return Planner(schema._schema, RULES, rules, limits)


class GraphQLApp(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = LimitedTransportWSHandler

    def __init__(self, schema: strawberry.Schema, services: Services, settings: Settings) -> None:
        super().__init__(
            schema,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            keep_alive=True,
            keep_alive_interval=15,
            max_subscriptions_per_connection=None,  # LimitedTransportWSHandler counts them
        )
        self.services = services
        self.socket_limits = SocketLimits(
            settings.max_sockets_per_client,
            settings.max_sockets_per_account,
            settings.max_subscriptions_per_socket,
        )
        self.documents = PersistedDocuments(  # also read by LimitedTransportWSHandler
            settings.trusted_documents_manifest,
            settings.trusted_documents_only,
            settings.persisted_queries_cache_chars,
        )

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        token = bearer_token(request.headers.get("authorization"))
        viewer = await self.services.accounts.viewer(token)  # one SQL read: role, session
        if viewer is None and isinstance(request, Request):
            raise TokenRefused(self._refusal(token or ""))  # answered in `run`
        viewer = viewer or ANONYMOUS
        CALLER_LANGUAGES.set(tuple(parse_accept_language(request.headers.get("accept-language"))))
        return Context(
            request=request,
            response=response,
            viewer=viewer,
            services=self.services,
            accept_language=request.headers.get("accept-language"),
            session_token=token if viewer.signed_in and isinstance(request, WebSocket) else None,
        )

    async def on_ws_connect(self, context: Context) -> Any:
        params, context.connection_params = context.connection_params or {}, None  # read once
        token = params.get("Authorization") or params.get("authorization")
        if token:
            bearer = str(token).removeprefix("Bearer ").strip()
            viewer = await self.services.accounts.viewer(bearer)
            if viewer is None:  # closed with 4403 and the code (LimitedTransportWSHandler)
                raise TokenRefused(self._refusal(bearer))
            context.viewer = viewer
            context.forget_loaders()
            context.session_token = bearer
        if context.session_token:  # re-checked per operation and periodically
            sessions.watch(context, self.services.stores.settings.session_check_seconds)
        return None

    def _refusal(self, token: str) -> Refusal:
        return refusal(self.services.stores.settings.jwt_secret.get_secret_value(), token)

    async def render_graphql_ide(self, request: Request) -> Response:
        page: Response = request.app.state.graphiql.page(request)  # see app.create_app
        return page

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """Not for a GET that names its document by hash (e.g. curl, accepting */*)."""
        params = request.query_params
        by_hash = "documentId" in params or "extensions" in params
        return not by_hash and super().should_render_graphql_ide(request)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Strawberry's parsing (POST and GET), then the document a hash names (refusals
        are answered in `run`)."""
        parsed = await super().parse_http_body(request)
        if isinstance(parsed, list):  # batching is off: strawberry refuses lists itself
            return parsed
        body = {"query": parsed.query, "extensions": parsed.extensions}
        if parsed.query is None:  # strawberry does not keep documentId
            body["documentId"] = await self._document_id(request)
        parsed.query = self.documents.resolve(body)["query"]
        return parsed

    async def _document_id(self, request: AsyncHTTPRequestAdapter) -> Any:
        if request.method == "GET":
            return request.query_params.get("documentId")
        data = self.parse_json(await request.get_body())  # read once; Starlette keeps it
        return data.get("documentId") if isinstance(data, dict) else None

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        return shape_result(request, result, await super().process_result(request, result))

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        """A WebSocket counts against its client address's cap while it is open."""
        if not isinstance(request, WebSocket):
            try:
                return await super().run(request, context, root_value)
            except DocumentError as refused:  # 400 to GraphQL-response clients, as a
                # request error; 200 to application/json ones (APQ clients expect it)
                graphql_response = wants_graphql_response(request.scope.get("headers") or [])
                status = 400 if graphql_response else 200
                return JSONResponse({"errors": [refused.formatted]}, status_code=status)
            except TokenRefused as refused:  # a GraphQL error with the code, still 401
                return JSONResponse(
                    {"errors": [refused.formatted]},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            except Exception as error:  # e.g. the session check could not reach a store
                if (store := unavailable_store(error)) is None:
                    raise
                typed = wants_graphql_response(request.scope.get("headers") or [])
                body = outage_body(store) | ({} if typed else {"data": None})
                headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
                return JSONResponse(body, status_code=503 if typed else 200, headers=headers)
        client = request.client.host if request.client else ""
        clients = self.socket_limits.clients
        if not clients.take(client):
            await request.accept(subprotocol=await self.pick_websocket_subprotocol(request))
            reason = f"At most {clients.cap} open sockets per client address."
            await request.close(TOO_MANY_SOCKETS, reason)
            return request
        try:
            return await super().run(request, context, root_value)
        finally:
            clients.give_back(client)
