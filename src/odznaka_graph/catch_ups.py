"""How often one account may ask a live stream to catch up (`since:`): each catch-up reads
the SQL store, so a client reconnecting in a loop must not turn its streams into a flood
of reads. A sliding window per account: shared by every instance through Redis when
REDIS_URL is set (a sorted set per account, checked and counted in one script), in this
process otherwise, and in this process while Redis does not answer."""

import logging
import math
import time
import uuid
from collections import deque
from collections.abc import Callable

from redis import asyncio as redis
from redis.exceptions import RedisError

from odznaka_graph.errors import RateLimited
from odznaka_graph.outcomes import InboxReason

log = logging.getLogger(__name__)
FORGET_AFTER = 10_000  # accounts remembered before the quiet ones are forgotten
KEY = "odznaka:catch-ups:"
# KEYS[1]: the account's set; ARGV: now, window, limit, a unique member. The oldest
# counted time when the account is at its limit, else nothing (and the call is counted).
SHARED_WINDOW = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return false
"""


class CatchUpLimit:
    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        redis_url: str | None = None,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._times: dict[str, deque[float]] = {}
        self._redis = (
            redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
            if redis_url
            else None
        )

    async def check(self, account_id: str) -> None:
        """Count a catch-up, or refuse it (RateLimited, with when to try again)."""
        if self._redis is None:
            return self._check_here(account_id)
        try:
            at = time.time()  # one clock for every instance
            oldest = await self._redis.eval(
                SHARED_WINDOW, 1, KEY + account_id, at, self.window, self.limit, uuid.uuid4().hex
            )
        except (RedisError, OSError):
            log.warning("catch-up limit: Redis unavailable; counting in this process")
            return self._check_here(account_id)
        if oldest is not None:
            raise self._refused(float(oldest) + self.window - at)

    def _check_here(self, account_id: str) -> None:
        at = self.clock()
        if len(self._times) > FORGET_AFTER:
            self._forget(at)
        times = self._times.setdefault(account_id, deque())
        while times and times[0] <= at - self.window:
            times.popleft()
        if len(times) >= self.limit:
            raise self._refused(times[0] + self.window - at)
        times.append(at)

    def _refused(self, wait: float) -> RateLimited:
        return RateLimited(
            f"Too many catch-ups (`since`): at most {self.limit} a minute. Subscribe "
            "without `since` now, or with it after `retryAfterSeconds`.",
            max(1, math.ceil(wait)),
            reason=InboxReason.CATCH_UPS_THROTTLED,
        )

    def _forget(self, at: float) -> None:
        quiet = [
            a for a, times in self._times.items() if not times or times[-1] <= at - self.window
        ]
        for account_id in quiet:
            del self._times[account_id]
