"""The GraphQL schema with its abuse limits, and the HTTP/WebSocket view serving it."""

import asyncio
import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from odznaka_graph.context import Context
from odznaka_graph.resolvers.common import ClientError
from odznaka_graph.resolvers.loaders import Loaders
from odznaka_graph.resolvers.operation_loaders import OperationLoaders
from odznaka_graph.resolvers.root import Mutation, Query, Subscription
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import ANONYMOUS
from odznaka_graph.settings import Settings

log = logging.getLogger(__name__)
MASKED = "Internal server error."


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, ClientError):
        return False
    log.error("unexpected error", exc_info=original)
    return True


def build_schema(settings: Settings) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            lambda: MaskErrors(should_mask_error=_should_mask, error_message=MASKED),
            OperationLoaders,
        ],
    )


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, services: Services, timeout: float) -> None:
        super().__init__(
            schema,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            keep_alive=True,
            keep_alive_interval=15,
        )
        self.services = services
        self.timeout = timeout

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else None
        viewer = self.services.accounts.viewer(token)
        if viewer is None and isinstance(request, Request):
            from starlette.exceptions import HTTPException

            raise HTTPException(401, "The access token is invalid or expired.")
        viewer = viewer or ANONYMOUS
        stores = self.services.stores
        return Context(
            request=request,
            response=response,
            viewer=viewer,
            services=self.services,
            loaders=Loaders(stores.graph, stores.ledger, viewer),
            accept_language=request.headers.get("accept-language"),
        )

    async def on_ws_connect(self, context: Context) -> Any:
        token = (context.connection_params or {}).get("Authorization") or (
            context.connection_params or {}
        ).get("authorization")
        if token:
            viewer = self.services.accounts.viewer(str(token).removeprefix("Bearer ").strip())
            if viewer is None:
                raise ConnectionRejectionError({"reason": "The access token is invalid."})
            context.viewer = viewer
            context.loaders = Loaders(
                self.services.stores.graph, self.services.stores.ledger, viewer
            )
        return None

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        timeout = self.timeout
        try:
            return await asyncio.wait_for(super().execute_single(*args, **kwargs), timeout)
        except TimeoutError:
            error = GraphQLError(
                f"The operation took longer than {timeout:g} s and was stopped.",
                extensions={"code": "TIMEOUT"},
            )
            return ExecutionResult(data=None, errors=[error])
