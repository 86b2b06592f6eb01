"""The running operation's deadline, which a subscription lifts once it waits for events.

A leaf module (no imports of ours) so that the event listener can call `now_waiting`.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

_deadline: ContextVar[asyncio.Timeout | None] = ContextVar("operation_deadline", default=None)


@asynccontextmanager
async def deadline(seconds: float) -> AsyncIterator[asyncio.Timeout]:
    """Cancel what runs inside after `seconds` (TimeoutError), unless `now_waiting` lifts it."""
    async with asyncio.timeout(seconds) as timeout:
        token = _deadline.set(timeout)
        try:
            yield timeout
        finally:
            _deadline.reset(token)


def now_waiting() -> None:
    """A subscription has set itself up and now waits for events: its operation deadline
    no longer applies. Does nothing outside a deadline; past it (its cancellation swallowed
    on the way), the set-up took too long: TimeoutError."""
    timeout = _deadline.get()
    if timeout is None:
        return
    if timeout.expired():
        raise TimeoutError
    timeout.reschedule(None)
