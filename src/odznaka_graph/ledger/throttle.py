"""One throttle for every guessable thing (sign-in, join codes, registration), keyed by
(purpose, key). Each attempt is counted *before* it is checked, with one atomic UPDATE on
the key's row, so concurrent attempts cannot all slip under the limit; past the limit the
row is gated until `blocked_until`, which doubles with each further attempt."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger.tables import throttles


@dataclass(frozen=True)
class Policy:
    """`limit` attempts per `window`; then one attempt per back-off delay, starting at
    `backoff` and doubling up to `max_backoff` (no back-off: blocked to the window's end)."""

    limit: int
    window: timedelta
    backoff: timedelta | None = None
    max_backoff: timedelta | None = None

    def block(self, attempts: int, window_started: datetime, at: datetime) -> datetime:
        """Until when the key is closed after its `attempts`-th attempt (limit or more)."""
        if self.backoff is None:
            return window_started + self.window
        delay: timedelta = self.backoff * 2 ** min(attempts - self.limit, 30)
        return at + min(delay, self.max_backoff or delay)


async def take(
    conn: AsyncConnection, purpose: str, key: str, policy: Policy, at: datetime
) -> datetime | None:
    """Count one attempt; None when it may go ahead, else until when the key is closed
    (a refused attempt is not counted). Call inside the caller's transaction."""
    await conn.execute(_insert(conn).values(purpose=purpose, key=key, window_started_at=at))
    t = throttles.c
    fresh = t.window_started_at <= at - policy.window
    result = await conn.execute(
        throttles.update()
        .where(
            t.purpose == purpose,
            t.key == key,
            sa.or_(t.blocked_until.is_(None), t.blocked_until <= at),
        )
        .values(
            attempts=sa.case((fresh, 1), else_=t.attempts + 1),
            window_started_at=sa.case((fresh, at), else_=t.window_started_at),
            blocked_until=None,
        )
        .returning(t.attempts, t.window_started_at)
    )
    counted = result.first()
    if counted is None:
        return await _blocked_until(conn, purpose, key)
    if counted.attempts >= policy.limit:
        until = policy.block(counted.attempts, counted.window_started_at, at)
        await conn.execute(
            throttles.update().where(t.purpose == purpose, t.key == key).values(blocked_until=until)
        )
    return None


async def reset(conn: AsyncConnection, purpose: str, key: str) -> None:
    """Forget the key's attempts (e.g. the owner signed in)."""
    await conn.execute(
        throttles.delete().where(throttles.c.purpose == purpose, throttles.c.key == key)
    )


async def _blocked_until(conn: AsyncConnection, purpose: str, key: str) -> datetime:
    result = await conn.execute(
        sa.select(throttles.c.blocked_until).where(
            throttles.c.purpose == purpose, throttles.c.key == key
        )
    )
    until: datetime = result.scalar_one()
    return until


def _insert(conn: AsyncConnection) -> Any:
    """INSERT that leaves an existing row alone, on either store."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(throttles).on_conflict_do_nothing(index_elements=["purpose", "key"])
