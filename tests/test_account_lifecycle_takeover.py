"""Taking an account over by e-mail (issue 14, review finding 1): a stolen session alone
cannot add or switch to an address of the thief's, a password reset goes only to the
address the account signs in with, and that address hears of a change of it."""

import re

import sqlalchemy as sa

from odznaka_graph.ledger.tables import email_changes, mail_messages
from odznaka_graph.settings import Settings
from tests.helpers import Api, Person, register
from tests.mail_helpers import SmtpServer, deliver

PASSWORD = "correct horse battery"
EMAIL = "... on EmailPayload { email verified }"
VERIFY_LINK = re.compile(r"/account/verify-email\?token=(\S+)")


async def _queued(api: Api) -> list[tuple[str, str]]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        found = await conn.execute(sa.select(mail_messages.c.kind, mail_messages.c.recipient))
        return sorted((row.kind, row.recipient) for row in found)


async def _addresses(api: Api, person: Person) -> list[str]:
    found = await api.query("{ me { emails { email } } }", token=person.token)
    return sorted(e["email"] for e in found["me"]["emails"])


async def _changes(api: Api) -> int:
    async with api.runtime.services.stores.ledger.reading() as conn:
        return len((await conn.execute(sa.select(email_changes))).all())


async def test_adding_or_switching_an_address_needs_the_current_password(api: Api) -> None:
    person = await register(api)
    before = await _queued(api)
    thief = "thief@example.org"
    for mutation in ("addEmail", "changeEmail"):
        wrong = {"email": thief, "password": "stolen session only"}
        refused = await api.mutate(mutation, wrong, EMAIL, person.token)
        assert (refused["code"], refused["reason"]) == ("UNAUTHENTICATED", "WRONG_PASSWORD")
        missing = await api.mutate(mutation, {"email": thief}, EMAIL, person.token)
        assert missing["code"] == "VALIDATION_FAILED"
    assert await _addresses(api, person) == [person.email]  # nothing changed
    assert await _changes(api) == 0
    assert await _queued(api) == before
    right = {"email": "second@example.org", "password": PASSWORD}
    added = await api.mutate("addEmail", right, EMAIL, person.token)
    assert added == {"__typename": "EmailPayload", "email": "second@example.org", "verified": False}


async def test_guessing_the_current_password_is_throttled_per_account(api: Api) -> None:
    person = await register(api)
    guesses = [
        (
            await api.mutate(
                "addEmail", {"email": "x@example.org", "password": f"guess {n}"}, "", person.token
            )
        )["code"]
        for n in range(4)
    ]
    assert guesses == ["UNAUTHENTICATED"] * 3 + ["RATE_LIMITED"]  # LOGIN_MAX_FAILURES=3
    right = {"password": PASSWORD, "newPassword": "a new long secret"}
    blocked = await api.mutate("changePassword", right, "", person.token)
    assert (blocked["code"], blocked["reason"]) == ("RATE_LIMITED", "PASSWORD_CHECK_THROTTLED")


async def test_the_old_sign_in_address_is_told_of_a_change(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    new = f"new.{person.handle}@example.org"
    done = await api.mutate(
        "changeEmail", {"email": new, "password": PASSWORD}, EMAIL, person.token
    )
    assert done == {"__typename": "EmailPayload", "email": new, "verified": False}
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [notice] = [m for m in smtp_server.to(person.email) if "adresu logowania" in m.subject]
    text = notice.part("plain")
    assert new in text and "/account/reset-password" in text
    assert [m.subject for m in smtp_server.to(new)] == ["Potwierdź adres e-mail"]


async def test_a_password_reset_goes_only_to_the_sign_in_address(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    second = f"second.{person.handle}@example.org"
    added = await api.mutate(
        "addEmail", {"email": second, "password": PASSWORD}, EMAIL, person.token
    )
    assert added["email"] == second
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [mail] = smtp_server.to(second)
    token = VERIFY_LINK.search(mail.part("plain")).group(1)  # type: ignore[union-attr]
    assert (await api.mutate("verifyEmail", {"token": token}, EMAIL))["verified"] is True

    asked = await api.mutate("requestPasswordReset", {"email": second}, "")
    assert asked["__typename"] == "PasswordResetRequested"  # the same answer as ever
    assert ("RESET_PASSWORD", second) not in await _queued(api)
    await api.mutate("requestPasswordReset", {"email": person.email}, "")
    assert ("RESET_PASSWORD", person.email) in await _queued(api)
    # Nor does a verified secondary address sign in: only the sign-in address opens the
    # account (the design names no other; changeEmail switches which one it is).
    auth = "... on AuthPayload { userId }"
    by_second = await api.mutate("login", {"email": second, "password": PASSWORD}, auth)
    assert (by_second["code"], by_second["reason"]) == ("UNAUTHENTICATED", "WRONG_PASSWORD")
    by_first = await api.mutate("login", {"email": person.email, "password": PASSWORD}, auth)
    assert by_first["userId"] == person.id
