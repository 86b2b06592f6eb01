"""uvicorn's sans-I/O WebSocket protocol, holding less for each open socket.

uvicorn keeps the opening handshake's request and response (their headers parsed into
websockets' Headers) for as long as the socket is open, though it reads them only until
the handshake is answered; ten thousand idle subscriptions keep ten thousand copies. This
protocol lets them go once the handshake is complete, and keeps its incoming messages and
its "may write" flag in lean_async's small stand-ins for asyncio.Queue and asyncio.Event.
The ASGI scope, which the app reads (the Authorization and Accept-Language headers), is
untouched.
"""

from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from odznaka_graph.lean_async import Gate, Mailbox


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
