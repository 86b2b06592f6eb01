"""Which attempts are throttled, under which policy (ledger/throttle.py counts them)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from odznaka_graph.clock import now
from odznaka_graph.errors import RateLimited
from odznaka_graph.ledger import throttle
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.throttle import Policy
from odznaka_graph.outcomes import Reason
from odznaka_graph.settings import Settings

LOGIN_ADDRESS = "login.address"
LOGIN_CLIENT = "login.client"
REGISTER_CLIENT = "register.client"
JOIN_ACCOUNT = "join.account"
JOIN_CLIENT = "join.client"
CHECK_IN_ACCOUNT = "check_in.account"
CHECK_IN_CLIENT = "check_in.client"
PASSWORD_ACCOUNT = "password.account"
RESET_USE_CLIENT = "reset.use.client"
PUPIL_CODE_CLIENT = "pupil_code.client"
REPORT_ACCOUNT = "report.account"


@dataclass(frozen=True)
class Attempt:
    purpose: str
    key: str
    policy: Policy


def _backoff(settings: Settings, limit: int, window_seconds: int) -> Policy:
    return Policy(
        limit,
        timedelta(seconds=window_seconds),
        timedelta(seconds=settings.throttle_backoff_seconds),
        timedelta(seconds=settings.throttle_max_backoff_seconds),
    )


def _key_and_client(
    settings: Settings,
    window: int,
    keyed: tuple[str, str, int],
    by_client: tuple[str, str | None, int],
) -> list[Attempt]:
    """An attempt under its own key and, when the client address is known, under it too;
    each as (purpose, key, limit), both with back-off over the same window."""
    purposes = [keyed, by_client] if by_client[1] else [keyed]
    return [
        Attempt(purpose, str(key), _backoff(settings, limit, window))
        for purpose, key, limit in purposes
    ]


def login(settings: Settings, email: str, client: str | None) -> list[Attempt]:
    return _key_and_client(
        settings,
        settings.login_window_seconds,
        (LOGIN_ADDRESS, email, settings.login_max_failures),
        (LOGIN_CLIENT, client, settings.login_max_attempts_per_client),
    )


def register(settings: Settings, client: str | None) -> list[Attempt]:
    if not client:
        return []
    policy = Policy(
        settings.register_max_per_client, timedelta(seconds=settings.register_window_seconds)
    )
    return [Attempt(REGISTER_CLIENT, client, policy)]


def join(settings: Settings, account_id: str, client: str | None) -> list[Attempt]:
    return _key_and_client(
        settings,
        settings.join_window_seconds,
        (JOIN_ACCOUNT, account_id, settings.join_max_attempts),
        (JOIN_CLIENT, client, settings.join_max_attempts_per_client),
    )


def check_in(settings: Settings, account_id: str, client: str | None) -> list[Attempt]:
    """Self check-in codes at events (issue 15): as many attempts as joining a team."""
    return _key_and_client(
        settings,
        settings.join_window_seconds,
        (CHECK_IN_ACCOUNT, account_id, settings.join_max_attempts),
        (CHECK_IN_CLIENT, client, settings.join_max_attempts_per_client),
    )


def password_check(settings: Settings, account_id: str) -> Attempt:
    """Checking a signed-in account's current password (changing it, its addresses): as
    many wrong guesses per account as sign-in allows per address (LOGIN_MAX_FAILURES)."""
    policy = _backoff(settings, settings.login_max_failures, settings.login_window_seconds)
    return Attempt(PASSWORD_ACCOUNT, account_id, policy)


def password_reset_use(settings: Settings, client: str | None) -> list[Attempt]:
    """Setting a password with a reset token: PASSWORD_RESET_ATTEMPTS_PER_CLIENT per client
    address per reset window, right or wrong."""
    if not client:
        return []
    window = timedelta(seconds=settings.password_reset_window_seconds)
    policy = Policy(settings.password_reset_attempts_per_client, window)
    return [Attempt(RESET_USE_CLIENT, client, policy)]


def pupil_code(settings: Settings, client: str | None) -> list[Attempt]:
    """Pupils' sign-in codes (issue 15): every redemption counts against the client
    address (a class shares one address: the limit leaves room for it), right or wrong."""
    limit = settings.pupil_code_max_attempts_per_client
    policy = _backoff(settings, limit, settings.join_window_seconds)
    return [Attempt(PUPIL_CODE_CLIENT, client or "unknown", policy)]


def report(settings: Settings, account_id: str) -> list[Attempt]:
    """Reports (issue 15): REPORT_MAX_PER_WINDOW per account, with back-off beyond."""
    policy = _backoff(settings, settings.report_max_per_window, settings.report_window_seconds)
    return [Attempt(REPORT_ACCOUNT, account_id, policy)]


async def admit(ledger: Ledger, attempts: Sequence[Attempt], message: str, reason: Reason) -> None:
    """Count the attempt under every key, or refuse it (counting nothing) with the longest
    wait. Its own short transaction: the slow check that follows holds no lock."""
    if not attempts:
        return
    async with ledger.transaction() as conn:
        at = now()
        for attempt in attempts:
            until = await throttle.take(conn, attempt.purpose, attempt.key, attempt.policy, at)
            if until is not None:
                raise RateLimited(message, _seconds(until, at), reason=reason)


async def succeeded(ledger: Ledger, attempt: Attempt) -> None:
    """The attempt was right: its key starts afresh (only ever the target's key, e.g. the
    signed-in address: a client's count is never lowered, or an attacker could lower it by
    signing in to an account of their own between guesses)."""
    async with ledger.transaction() as conn:
        await throttle.reset(conn, attempt.purpose, attempt.key)


def _seconds(until: datetime, at: datetime) -> int:
    return max(1, math.ceil((until - at).total_seconds()))
