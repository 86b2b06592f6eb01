"""The account lifecycle (issue 14): password reset by mail, password and address change,
sessions, mail preferences and one-click unsubscribe; mail read from a real SMTP server."""

import re

import sqlalchemy as sa

from odznaka_graph.clock import now
from odznaka_graph.ledger.tables import mail_messages, password_resets
from odznaka_graph.mail.digest import queue_digests
from odznaka_graph.settings import Settings
from tests.helpers import AWARD, Api, Person, published_badge, register, verified_issuer
from tests.mail_helpers import SmtpServer, deliver, queued_token

PASSWORD = "correct horse battery"
AUTH = "... on AuthPayload { accessToken refreshToken }"
RESET_LINK = re.compile(r"/account/reset-password\?token=(\S+)")
VERIFY_LINK = re.compile(r"/account/verify-email\?token=(\S+)")
ME = "{ me { handle } }"


async def _mailed(api: Api, settings: Settings, smtp: SmtpServer, to: str) -> str:
    """The plain text of the newest mail to `to`, after sending what is due."""
    await deliver(api.runtime.services.stores.ledger, settings, smtp)
    return smtp.to(to)[-1].part("plain")


async def _kinds(api: Api) -> list[tuple[str, str]]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        found = await conn.execute(sa.select(mail_messages.c.kind, mail_messages.c.recipient))
        return sorted((row.kind, row.recipient) for row in found)


async def _login(api: Api, email: str, password: str = PASSWORD) -> dict[str, str]:
    return await api.mutate("login", {"email": email, "password": password}, AUTH)


async def _signed_in(api: Api, token: str) -> bool:
    return (await api.raw(ME, token=token)).status_code == 200


async def test_a_password_reset_by_mail_works_once_and_ends_every_session(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    other = await _login(api, person.email)
    asked = "... on PasswordResetRequested { accepted }"
    for address in (person.email, "nobody.here@example.org"):  # the same answer
        done = await api.mutate("requestPasswordReset", {"email": address}, asked)
        assert done == {"__typename": "PasswordResetRequested", "accepted": True}
    assert [k for k, to in await _kinds(api) if to == "nobody.here@example.org"] == []
    text = await _mailed(api, settings, smtp_server, person.email)
    token = RESET_LINK.search(text).group(1)  # type: ignore[union-attr]
    assert "godzinę" in text  # Polish by default

    short = await api.mutate("resetPassword", {"token": token, "newPassword": "short"}, AUTH)
    assert short["code"] == "VALIDATION_FAILED"
    new = {"token": token, "newPassword": "a much better secret"}
    session = await api.mutate("resetPassword", new, AUTH)
    assert session["__typename"] == "AuthPayload"
    assert await _signed_in(api, session["accessToken"])
    assert not await _signed_in(api, person.token)
    assert not await _signed_in(api, other["accessToken"])
    again = await api.mutate("resetPassword", new, AUTH)
    assert (again["code"], again["reason"]) == ("NOT_FOUND", "PASSWORD_RESET_LINK_INVALID")
    assert (await _login(api, person.email))["code"] == "UNAUTHENTICATED"
    assert (await _login(api, person.email, "a much better secret"))["__typename"] == "AuthPayload"
    assert ("PASSWORD_CHANGED", person.email) in await _kinds(api)


async def test_a_reset_link_expires_after_an_hour(api: Api) -> None:
    person = await register(api)
    await api.mutate("requestPasswordReset", {"email": person.email}, "")
    async with api.runtime.services.stores.ledger.reading() as conn:
        row = (await conn.execute(sa.select(password_resets))).one()
    assert 3590 < (row.expires_at - now()).total_seconds() <= 3600
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await conn.execute(
            password_resets.update().values(expires_at=row.expires_at.replace(year=2020))
        )
    async with api.runtime.services.stores.ledger.reading() as conn:
        reset = sa.select(mail_messages.c.data).where(mail_messages.c.kind == "RESET_PASSWORD")
        [message] = (await conn.execute(reset)).scalars()
    token = queued_token(api.runtime.settings, message)
    late = await api.mutate("resetPassword", {"token": token, "newPassword": "x" * 12}, AUTH)
    assert late["reason"] == "PASSWORD_RESET_LINK_INVALID"


async def test_password_reset_requests_are_throttled_alike_for_known_and_unknown(
    api: Api,
) -> None:
    person = await register(api)
    for address in (person.email, "ghost@example.org"):
        answers = [
            (await api.mutate("requestPasswordReset", {"email": address}, ""))["__typename"]
            for _ in range(4)
        ]
        assert answers == ["PasswordResetRequested"] * 3 + ["RateLimitedError"]


async def test_changing_the_password_ends_the_other_sessions_only(api: Api) -> None:
    person = await register(api)
    other = await _login(api, person.email)
    changed = "... on PasswordChanged { otherSessionsEnded }"
    wrong = {"password": "not the password", "newPassword": "another fine secret"}
    refused = await api.mutate("changePassword", wrong, changed, person.token)
    assert (refused["code"], refused["reason"]) == ("UNAUTHENTICATED", "WRONG_PASSWORD")
    right = {"password": PASSWORD, "newPassword": "another fine secret"}
    done = await api.mutate("changePassword", right, changed, person.token)
    assert done["otherSessionsEnded"] is True
    assert await _signed_in(api, person.token)
    assert not await _signed_in(api, other["accessToken"])


async def test_sessions_are_listed_with_their_device_and_one_can_be_revoked(api: Api) -> None:
    person = await register(api)
    phone = await api.query(
        "mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }",
        {"i": {"email": person.email, "password": PASSWORD}},
        headers={"User-Agent": "Phone/1.0"},
    )
    sessions = (
        await api.query("{ me { sessions { id device current lastUsedAt } } }", token=person.token)
    )["me"]["sessions"]
    assert len(sessions) == 2
    [this] = [s for s in sessions if s["current"]]
    [that] = [s for s in sessions if not s["current"]]
    assert that["device"] == "Phone/1.0"
    ended = "... on SessionRevoked { sessionId }"
    stranger = await register(api)
    refused = await api.mutate("revokeSession", {"sessionId": that["id"]}, ended, stranger.token)
    assert refused["reason"] == "SESSION_NOT_FOUND"
    done = await api.mutate("revokeSession", {"sessionId": that["id"]}, ended, person.token)
    assert done["sessionId"] == that["id"]
    assert not await _signed_in(api, phone["login"]["accessToken"])
    left = await api.query("{ me { sessions { id } } }", token=person.token)
    assert left["me"]["sessions"] == [{"id": this["id"]}]
    theirs = await api.query(
        "query($h: String!) { user(handle: $h) { sessions { id } "
        "notificationPreferences { kind } } }",
        {"h": person.handle},
        token=stranger.token,
    )
    assert theirs["user"] in (None, {"sessions": None, "notificationPreferences": None})


async def test_changing_the_address_takes_effect_once_the_new_one_is_verified(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    new = f"new.{person.handle}@example.org"
    payload = "... on EmailPayload { email verified }"
    done = await api.mutate(
        "changeEmail", {"email": new, "password": PASSWORD}, payload, person.token
    )
    assert done == {"__typename": "EmailPayload", "email": new, "verified": False}
    assert (await _login(api, new))["code"] == "UNAUTHENTICATED"
    token = VERIFY_LINK.search(await _mailed(api, settings, smtp_server, new)).group(1)  # type: ignore[union-attr]
    assert (await api.mutate("verifyEmail", {"token": token}, payload))["verified"] is True
    assert (await _login(api, new))["__typename"] == "AuthPayload"
    assert (await _login(api, person.email))["code"] == "UNAUTHENTICATED"


async def _award(api: Api, person: Person) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    award = {"badgeId": badge_id, "recipientId": person.id}
    assert (await api.mutate("awardBadge", award, AWARD, issuer.owner.token))["id"]
    await api.runtime.services.stores.projector.flush()


async def test_preferences_decide_which_optional_mail_is_sent(api: Api) -> None:
    person = await register(api)
    prefs = "{ me { notificationPreferences { kind enabled } } }"
    found = (await api.query(prefs, token=person.token))["me"]["notificationPreferences"]
    assert {p["kind"]: p["enabled"] for p in found} == {
        "AWARD_RECEIVED": True,
        "CLUB_INVITATION": True,
        "CLASS_INVITATION": True,
        "REVIEW_OUTCOME": True,
        "WEEKLY_DIGEST": False,
    }
    selection = "... on NotificationPreferencesPayload { preferences { kind enabled } }"
    fixed = [{"kind": "VERIFY_EMAIL", "enabled": False}]
    refused = await api.mutate(
        "setNotificationPreferences", {"preferences": fixed}, selection, person.token
    )
    assert refused["code"] == "VALIDATION_FAILED"
    off = [{"kind": "AWARD_RECEIVED", "enabled": False}]
    done = await api.mutate(
        "setNotificationPreferences", {"preferences": off}, selection, person.token
    )
    assert {"kind": "AWARD_RECEIVED", "enabled": False} in done["preferences"]
    await _award(api, person)
    assert ("AWARD_RECEIVED", person.email) not in await _kinds(api)


async def test_an_award_mail_in_english_unsubscribes_with_one_click(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    changed = await api.mutate(
        "updateProfile", {"locale": "en"}, "... on User { locale }", person.token
    )
    assert changed["locale"] == "en"
    await _award(api, person)
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [mail] = [m.parsed() for m in smtp_server.to(person.email) if "badge" in m.subject]
    assert mail["Subject"] == "New badge: Data analysis"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith(settings.public_base_url + "/mail/unsubscribe?")
    path = link.removeprefix(settings.public_base_url)
    forged = await api.client.post(path.replace("k=AWARD_RECEIVED", "k=CLUB_INVITATION"))
    assert forged.status_code == 400
    clicked = await api.client.post(path, content=b"List-Unsubscribe=One-Click")
    assert clicked.status_code == 200
    prefs = await api.query(
        "{ me { notificationPreferences { kind enabled } } }", token=person.token
    )
    assert {"kind": "AWARD_RECEIVED", "enabled": False} in prefs["me"]["notificationPreferences"]


async def test_the_weekly_digest_goes_once_a_week_to_those_who_opted_in(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    reader, other = await register(api), await register(api)
    on = [{"kind": "WEEKLY_DIGEST", "enabled": True}]
    await api.mutate("setNotificationPreferences", {"preferences": on}, "", reader.token)
    await _award(api, reader)
    await _award(api, other)
    ledger = api.runtime.services.stores.ledger
    for _ in range(2):  # looked at twice in one week: queued once
        async with ledger.transaction() as conn:
            await queue_digests(conn, now())
    assert [to for kind, to in await _kinds(api) if kind == "WEEKLY_DIGEST"] == [reader.email]
    await deliver(ledger, settings, smtp_server)
    [digest] = [m for m in smtp_server.to(reader.email) if m.subject == "Twój tydzień w Odznace+"]
    assert "1 × nowe odznaki" in digest.part("plain")
    assert digest.parsed()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_the_account_exists_mail_speaks_the_holders_language(api: Api) -> None:
    person = await register(api)
    await api.mutate("updateProfile", {"locale": "en"}, "... on User { locale }", person.token)
    again = {
        "email": person.email,
        "password": PASSWORD,
        "handle": "someoneelse",
        "displayName": "X",
    }
    assert (await api.mutate("register", again, AUTH))["__typename"] == "AuthPayload"
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c
        found = await conn.execute(sa.select(m.locale).where(m.kind == "ACCOUNT_EXISTS"))
        assert list(found.scalars()) == ["en"]
