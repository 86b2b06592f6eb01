"""Password reset hardening (issue 14, review finding 6): a reset or change of the password
ends every other outstanding reset link, resetPassword is throttled per client and checks
the token before anything else, and a reset request is answered alike, known address or
not (the same work, never sooner than a floor)."""

import time

import sqlalchemy as sa

from odznaka_graph.ledger.tables import mail_messages
from odznaka_graph.services.account_lifecycle import RESET_ANSWER
from tests.helpers import Api, Person, register
from tests.mail_helpers import queued_token

PASSWORD = "correct horse battery"
AUTH = "... on AuthPayload { accessToken }"


async def _reset_tokens(api: Api, person: Person) -> list[str]:
    """The reset links waiting to be mailed to the person (the queued mail holds them)."""
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c
        found = await conn.execute(
            sa.select(m.data)
            .where(m.kind == "RESET_PASSWORD", m.recipient == person.email)
            .order_by(m.created_at)
        )
        return [queued_token(api.runtime.settings, data) for data in found.scalars()]


async def test_a_reset_ends_every_other_outstanding_reset_link(api: Api) -> None:
    person = await register(api)
    for _ in range(2):
        await api.mutate("requestPasswordReset", {"email": person.email}, "")
    first, second = await _reset_tokens(api, person)
    used = await api.mutate("resetPassword", {"token": second, "newPassword": "x" * 12}, AUTH)
    assert used["__typename"] == "AuthPayload"
    late = await api.mutate("resetPassword", {"token": first, "newPassword": "y" * 12}, AUTH)
    assert (late["code"], late["reason"]) == ("NOT_FOUND", "PASSWORD_RESET_LINK_INVALID")


async def test_changing_the_password_ends_outstanding_reset_links(api: Api) -> None:
    person = await register(api)
    await api.mutate("requestPasswordReset", {"email": person.email}, "")
    [token] = await _reset_tokens(api, person)
    change = {"password": PASSWORD, "newPassword": "a brand new secret"}
    assert (await api.mutate("changePassword", change, "", person.token))["__typename"] == (
        "PasswordChanged"
    )
    late = await api.mutate("resetPassword", {"token": token, "newPassword": "z" * 12}, AUTH)
    assert late["reason"] == "PASSWORD_RESET_LINK_INVALID"


async def test_reset_attempts_are_throttled_per_client(api: Api) -> None:
    guesses = [
        await api.mutate("resetPassword", {"token": f"guess-{n}", "newPassword": "x" * 12}, AUTH)
        for n in range(21)
    ]
    assert {g["reason"] for g in guesses[:20]} == {"PASSWORD_RESET_LINK_INVALID"}
    assert (guesses[20]["code"], guesses[20]["reason"]) == (
        "RATE_LIMITED",
        "PASSWORD_CHANGE_THROTTLED",
    )  # PASSWORD_RESET_ATTEMPTS_PER_CLIENT = 20


async def test_a_reset_request_takes_at_least_the_floor_known_or_not(api: Api) -> None:
    person = await register(api)
    for address in (person.email, "nobody.at.all@example.org"):
        started = time.monotonic()
        done = await api.mutate("requestPasswordReset", {"email": address}, "")
        assert done["__typename"] == "PasswordResetRequested"
        assert time.monotonic() - started >= RESET_ANSWER
