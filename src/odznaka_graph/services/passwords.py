"""Proving it is really the account's owner (issue 14): changing the password or the
addresses of an account takes its current password, so a stolen session alone cannot take
the account over. Every check is counted per account (services/throttling.py) before the
slow hash comparison, and a right password starts the count afresh."""

from odznaka_graph.errors import Unauthenticated, ValidationFailed
from odznaka_graph.ledger import accounts as repo
from odznaka_graph.outcomes import AccountReason, InputReason
from odznaka_graph.services import throttling, tokens
from odznaka_graph.services.base import Stores

WRONG = "The current password is wrong."


async def confirm_password(stores: Stores, account_id: str, password: str | None) -> None:
    """Raise UNAUTHENTICATED (WRONG_PASSWORD) unless `password` is the account's current
    one; RATE_LIMITED (PASSWORD_CHECK_THROTTLED) after too many wrong ones;
    VALIDATION_FAILED when none is given."""
    if not password:
        required = {"password": "Your current password is required."}
        raise ValidationFailed(required, reason=InputReason.INVALID_INPUT)
    attempt = throttling.password_check(stores.settings, account_id)
    await throttling.admit(
        stores.ledger,
        [attempt],
        "Too many wrong passwords; try again later.",
        AccountReason.PASSWORD_CHECK_THROTTLED,
    )
    async with stores.ledger.reading() as conn:
        account = await repo.account_by_id(conn, account_id)
    current = account.password_hash if account is not None else None
    if not await tokens.password_matches(current, password) or account is None:
        raise Unauthenticated(WRONG, reason=AccountReason.WRONG_PASSWORD)
    await throttling.succeeded(stores.ledger, attempt)
