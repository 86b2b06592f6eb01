"""How often one account may ask a live stream to catch up (`since:`): each catch-up reads
the SQL store, so a client reconnecting in a loop must not turn its streams into a flood
of reads. A sliding window per account, in this process (like the socket limits)."""

import math
import time
from collections import deque
from collections.abc import Callable

from odznaka_graph.errors import RateLimited
from odznaka_graph.outcomes import InboxReason

FORGET_AFTER = 10_000  # accounts remembered before the quiet ones are forgotten


class CatchUpLimit:
    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._times: dict[str, deque[float]] = {}

    def check(self, account_id: str) -> None:
        """Count a catch-up, or refuse it (RateLimited, with when to try again)."""
        at = self.clock()
        if len(self._times) > FORGET_AFTER:
            self._forget(at)
        times = self._times.setdefault(account_id, deque())
        while times and times[0] <= at - self.window:
            times.popleft()
        if len(times) >= self.limit:
            retry = max(1, math.ceil(times[0] + self.window - at))
            raise RateLimited(
                f"Too many catch-ups (`since`): at most {self.limit} a minute. Subscribe "
                "without `since` now, or with it after `retryAfterSeconds`.",
                retry,
                reason=InboxReason.CATCH_UPS_THROTTLED,
            )
        times.append(at)

    def _forget(self, at: float) -> None:
        quiet = [
            a for a, times in self._times.items() if not times or times[-1] <= at - self.window
        ]
        for account_id in quiet:
            del self._times[account_id]
