"""A WebSocket lives only as long as its session: re-checked at every operation start and
every SESSION_CHECK_SECONDS (and when the access token expires), closed with 4401 when
the token has expired or its session was revoked (logout, refresh-token reuse)."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from starlette.websockets import WebSocket, WebSocketState
from strawberry.extensions import SchemaExtension

from odznaka_graph.context import Context
from odznaka_graph.services.accounts import AccountService
from odznaka_graph.services.tokens import ANONYMOUS, read_access_token, refusal

log = logging.getLogger(__name__)
CLOSED = 4401
_watchers: set[asyncio.Task[None]] = set()


async def session_alive(accounts: AccountService, bearer: str) -> bool:
    return await accounts.viewer(bearer) is not None


async def end(context: Context) -> None:
    """Close the socket and make sure nothing more runs as its user; the close reason starts
    with the code (TOKEN_EXPIRED, or UNAUTHENTICATED for a revoked session)."""
    secret = context.services.stores.settings.jwt_secret.get_secret_value()
    reason = refusal(secret, context.session_token or "").close_reason
    context.viewer = ANONYMOUS
    context.forget_loaders()
    context.session_token = None
    socket: WebSocket = context.request
    if socket.application_state != WebSocketState.DISCONNECTED:
        with contextlib.suppress(RuntimeError):
            await socket.close(code=CLOSED, reason=reason)


def watch(context: Context, interval: float) -> None:
    """Check the socket's session periodically until it closes."""
    task = asyncio.create_task(_watch(context, interval))
    _watchers.add(task)
    task.add_done_callback(_watchers.discard)


async def _watch(context: Context, interval: float) -> None:
    socket: WebSocket = context.request
    accounts = context.services.accounts
    secret = context.services.stores.settings.jwt_secret.get_secret_value()
    while context.session_token and _open(socket):
        claims = read_access_token(secret, context.session_token)
        left = (claims.expires_at - datetime.now(UTC)).total_seconds() if claims else 0
        await asyncio.sleep(max(0.0, min(interval, left + 0.01)))
        bearer = context.session_token
        if bearer is None or not _open(socket):
            return
        try:
            alive = await session_alive(accounts, bearer)
        except Exception:  # the store is down: keep the socket, try again next time
            log.warning("session check failed", exc_info=True)
            continue
        if not alive:
            await end(context)
            return


def _open(socket: WebSocket) -> bool:
    return (
        socket.client_state != WebSocketState.DISCONNECTED
        and socket.application_state != WebSocketState.DISCONNECTED
    )


class SessionCheck(SchemaExtension):
    """Every operation over a signed-in WebSocket starts with its session still live and
    the viewer's role read afresh."""

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        bearer = getattr(context, "session_token", None)
        if bearer and isinstance(context.request, WebSocket):
            viewer = await context.services.accounts.viewer(bearer)
            if viewer is None:
                await end(context)
            else:  # the role as the store has it now, not as it was at connection time
                context.viewer = viewer
        yield
