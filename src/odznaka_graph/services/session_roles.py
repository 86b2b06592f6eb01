"""The role behind a live session, read from the store and kept for a moment.

Every signed-in request asks who its bearer is; the answer (the account's role while the
session is not revoked) is one SQL statement. It is kept per (account, session) for at most
SESSION_CACHE_SECONDS, and only while this process has committed no write since it was read:
a sign-out, a revoked session or a new role committed here is seen by the very next request.
A change committed by another process (another instance, the CLI) is seen within the TTL.
"""

import time

from odznaka_graph.ledger import accounts as repo
from odznaka_graph.ledger.db import Ledger

MAX_ENTRIES = 50_000


class SessionRoles:
    def __init__(self, ledger: Ledger, seconds: float) -> None:
        self.ledger = ledger
        self.seconds = seconds
        self._kept: dict[tuple[str, str], tuple[str | None, int, float]] = {}

    async def role(self, account_id: str, session: str) -> str | None:
        """The account's role while the session is live; None once it is revoked or the
        account is gone."""
        key = (account_id, session)
        kept = self._kept.get(key)
        if kept is not None:
            role, writes, until = kept
            if writes == self.ledger.writes and time.monotonic() < until:
                return role
        writes = self.ledger.writes
        async with self.ledger.reading() as conn:
            role = await repo.session_role(conn, account_id, session)
        if self.seconds > 0:
            if len(self._kept) >= MAX_ENTRIES:
                self._kept.clear()
            self._kept[key] = (role, writes, time.monotonic() + self.seconds)
        return role
