"""Limits of the transport: request bodies and WebSocket messages (MAX_BODY_BYTES), open
WebSockets per client address and per account, operations per WebSocket.

Sockets are counted in this process's memory, so the caps hold per instance: behind a load
balancer with N instances a client may hold up to N times as many. The client address is
the ASGI scope's (uvicorn sets it from X-Forwarded-For only when run with --proxy-headers
behind a trusted proxy; we never read that header ourselves).
"""

from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)

from odznaka_graph.live_sharing import shared_text
from odznaka_graph.persisted_documents import DocumentError
from odznaka_graph.services.tokens import Refusal
from odznaka_graph.ws_protocol import WRITE_TEXT

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

TOO_MANY_SOCKETS = 4429  # graphql-transport-ws's own "too many" code
MESSAGE_TOO_BIG = 1009  # RFC 6455
FORBIDDEN = 4403  # graphql-transport-ws: connection_init refused


class TokenRefused(Exception):
    """An access token that opens no session: over HTTP a GraphQL error with its code
    (status 401), over WebSocket a 4403 close whose reason starts with the code."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal

    @property
    def formatted(self) -> dict[str, Any]:
        return {"message": self.refusal.message, "extensions": {"code": self.refusal.code}}


class Tally:
    """How many of something each key holds, under a cap (in this process)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.held: Counter[str] = Counter()

    def take(self, key: str) -> bool:
        if self.held[key] >= self.cap:
            return False
        self.held[key] += 1
        return True

    def give_back(self, key: str) -> None:
        self.held[key] -= 1
        if self.held[key] <= 0:
            del self.held[key]


class SocketLimits:
    """The caps on WebSockets, shared by all connections of one app."""

    def __init__(self, per_client: int, per_account: int, operations_per_socket: int) -> None:
        self.clients = Tally(per_client)
        self.accounts = Tally(per_account)
        self.operations_per_socket = operations_per_socket


class LimitedTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws with a cap on sockets per account (checked once the token in
    connection_init names the account) and on operations running at once per socket."""

    account: str | None = None

    @property
    def limits(self) -> SocketLimits:
        return self.view.socket_limits  # type: ignore[attr-defined, no-any-return]

    async def handle(self) -> None:
        try:
            await super().handle()
        finally:
            if self.account is not None:
                self.limits.accounts.give_back(self.account)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except TokenRefused as refused:  # the protocol has no error message before the ack
            await self.websocket.close(code=FORBIDDEN, reason=refused.refusal.close_reason)
            return
        account = getattr(getattr(self.context, "viewer", None), "id", None)
        if not self.connection_acknowledged or account is None or self.account is not None:
            return
        if not self.limits.accounts.take(account):
            reason = f"At most {self.limits.accounts.cap} open sockets per account."
            await self.websocket.close(code=TOO_MANY_SOCKETS, reason=reason)
            return
        self.account = account

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        cap = self.limits.operations_per_socket
        if self.connection_acknowledged and len(self.operations) >= cap:
            error = GraphQLError(
                f"At most {cap} operations may run at once on one socket; complete one first.",
                extensions={"code": "TOO_MANY_SUBSCRIPTIONS", "limit": cap},
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        if self.connection_acknowledged and not await self._resolve_document(message):
            return
        await super().handle_subscribe(message)

    async def _resolve_document(self, message: SubscribeMessage) -> bool:
        """The document a hash names (odznaka_graph.persisted_documents, as over HTTP);
        False once a refusal is sent."""
        payload = message.get("payload")
        if not isinstance(payload, dict):
            return True  # strawberry refuses the message
        try:
            resolved = self.view.documents.resolve(payload)  # type: ignore[attr-defined]
        except DocumentError as refused:
            error = GraphQLError(refused.message, extensions={"code": refused.code})
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return False
        message["payload"] = resolved
        return True

    async def send_message(self, message: Any) -> None:
        """A `next` of a result shared by a channel's subscribers (live_sharing) is sent as
        the payload text encoded once, written straight to the socket when it can take it
        (ws_protocol.WRITE_TEXT); anything else as strawberry sends it."""
        payload = message.get("payload") if message["type"] == "next" else None
        text = shared_text(payload) if isinstance(payload, dict) else None
        if text is None:
            await super().send_message(message)
            return
        frame = f'{{"id":{orjson.dumps(message["id"]).decode()},"type":"next","payload":{text}}}'
        write = self.websocket.ws.scope["extensions"].get(WRITE_TEXT)  # type: ignore[attr-defined]
        if write is not None and write(frame):
            return
        try:
            await self.websocket.ws.send_text(frame)  # type: ignore[attr-defined]
        except WebSocketDisconnect as gone:
            raise WebSocketDisconnected from gone


class BoundedBodies:
    """Refuses HTTP bodies over `limit` bytes with 413 (by Content-Length, or as soon as the
    bytes read pass it, before the rest arrives) and closes WebSockets (1009) on a message
    over `limit`."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, self._bounded_messages(receive, send), send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit():
            if int(declared) > self.limit:
                await self._refuse(send)
                return
            if b"transfer-encoding" not in headers:
                # The server's HTTP parser delivers exactly the declared bytes (a body
                # framed by Content-Length cannot grow past it): nothing left to count.
                await self.app(scope, receive, send)
                return
        state = {"read": 0, "over": False, "started": False}

        async def bounded_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > self.limit:
                    state["over"] = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # whatever the app answers to a cut-off body, the answer is 413
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except _BodyTooLarge:
            pass
        if state["over"] and not state["started"]:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = orjson.dumps(
            {
                "errors": [
                    {
                        "message": f"The request body is larger than {self.limit} bytes.",
                        "extensions": {"code": "BODY_TOO_LARGE", "limit": self.limit},
                    }
                ]
            }
        )
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _bounded_messages(self, receive: Receive, send: Send) -> Receive:
        async def bounded_receive() -> Message:
            message = await receive()
            if message["type"] != "websocket.receive":
                return message
            data = message.get("bytes") or (message.get("text") or "").encode()
            size = len(data)
            if size <= self.limit:
                return message
            reason = f"Messages are at most {self.limit} bytes."
            await send({"type": "websocket.close", "code": MESSAGE_TOO_BIG, "reason": reason})
            return {"type": "websocket.disconnect", "code": MESSAGE_TOO_BIG}

        return bounded_receive


class _BodyTooLarge(Exception):
    pass
