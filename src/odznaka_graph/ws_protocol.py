"""uvicorn's sans-I/O WebSocket protocol, holding less for each open socket.

uvicorn keeps the opening handshake's request and response (their headers parsed into
websockets' Headers) for as long as the socket is open, though it reads them only until
the handshake is answered; ten thousand idle subscriptions keep ten thousand copies. This
protocol lets them go once the handshake is complete, and keeps its incoming messages and
its "may write" flag in lean_async's small stand-ins for asyncio.Queue and asyncio.Event.
The ASGI scope, which the app reads (the Authorization and Accept-Language headers), is
untouched but for one entry in its "extensions": `WRITE_TEXT`, a function writing a text
frame straight to the socket (see `write_text`), which the GraphQL handler uses for the
`next` messages a channel's subscribers share (live_sharing).
"""

from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState

from odznaka_graph.lean_async import Gate, Mailbox

WRITE_TEXT = "odznaka.websocket.write_text"


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Mailbox()  # type: ignore[assignment]
        self.writable = Gate()  # type: ignore[assignment]
        self.writable.set()

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and getattr(self, "response", None) is not None:
            self.request = None  # type: ignore[assignment]
            self.response = None  # type: ignore[assignment]

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        self.scope["extensions"][WRITE_TEXT] = self.write_text  # type: ignore[assignment]

    def write_text(self, text: str) -> bool:
        """Write a text frame now, as an ASGI `websocket.send` would, without the app's send
        chain; False (nothing written) when the socket may not take it now: the handshake is
        not complete, the socket is closing or closed, or the client reads too slowly (the
        transport's buffer is full): then the caller sends through ASGI, which waits or
        raises as usual."""
        if (
            not self.handshake_complete
            or self.close_sent
            or self.disconnected
            or self.initial_response is not None
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        try:
            self.conn.send_text(text.encode())
        except InvalidState:  # the client is closing the socket
            return False
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True
