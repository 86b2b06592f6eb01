"""Accounts: registration, sign-in and its rate limit, rotating refresh tokens, profiles."""

import pytest
import sqlalchemy as sa

from odznaka_graph.ledger.tables import mail_messages, outbox
from tests.helpers import Api, register
from tests.mail_helpers import queued_token

# These run on both SQL stores: the ledger's guarantees must hold on each.
pytestmark = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)

AUTH = "... on AuthPayload { accessToken refreshToken userId }"
PASSWORD = "correct horse battery"


async def test_registration_validates_each_field(api: Api) -> None:
    result = await api.mutate(
        "register", {"email": "nope", "password": "short", "handle": "A!", "displayName": ""}, AUTH
    )
    assert result["__typename"] == "ValidationError"
    assert {f["field"] for f in result["fields"]} == {"email", "password", "handle", "displayName"}


async def test_a_second_account_with_the_same_email_answers_as_new_and_mails_the_owner(
    api: Api,
) -> None:
    first = await register(api, "ola")
    again = await api.mutate(
        "register",
        {
            "email": first.email.upper(),
            "password": PASSWORD,
            "handle": "ola2",
            "displayName": "Ola",
        },
        AUTH,
    )
    assert again["__typename"] == "AuthPayload"  # what a fresh registration answers
    async with api.runtime.services.stores.ledger.reading() as conn:
        mails = await conn.execute(
            sa.select(outbox.c.payload).where(outbox.c.topic == "mail.account_exists")
        )
        assert [p["to"] for (p,) in mails] == [first.email]
        handles = await conn.execute(sa.text("SELECT handle FROM accounts"))
        assert [h for (h,) in handles] == ["ola"]  # no second account was made
    # Its tokens open nothing.
    assert (await api.raw("{ me { handle } }", token=again["accessToken"])).status_code == 401


async def test_login_and_me(api: Api) -> None:
    person = await register(api, "janek")
    session = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    me = await api.query(
        "{ me { handle displayName emails { email verified } } }", token=session["accessToken"]
    )
    assert me["me"]["handle"] == "janek"
    assert me["me"]["emails"] == [{"email": person.email, "verified": False}]
    assert (await api.query("{ me { handle } }"))["me"] is None


async def test_failed_logins_are_rate_limited(api: Api) -> None:
    person = await register(api)
    for _ in range(3):
        wrong = await api.mutate("login", {"email": person.email, "password": "wrong one!"}, AUTH)
        assert (wrong["code"], wrong["reason"]) == ("UNAUTHENTICATED", "WRONG_PASSWORD")
    limited = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    assert (limited["__typename"], limited["reason"]) == ("RateLimitedError", "SIGN_IN_THROTTLED")
    assert 0 < limited["retryAfterSeconds"] <= 900


async def test_refresh_tokens_rotate_and_reuse_ends_the_family(api: Api) -> None:
    await register(api, "rota")
    first = await api.mutate("login", {"email": "rota@example.org", "password": PASSWORD}, AUTH)
    second = await api.mutate("refreshToken", {"refreshToken": first["refreshToken"]}, AUTH)
    assert second["__typename"] == "AuthPayload"
    replay = await api.mutate("refreshToken", {"refreshToken": first["refreshToken"]}, AUTH)
    assert (replay["code"], replay["reason"]) == ("UNAUTHENTICATED", "REFRESH_TOKEN_INVALID")
    # The stolen-token case: the family is gone, so the newer token no longer works either.
    after = await api.mutate("refreshToken", {"refreshToken": second["refreshToken"]}, AUTH)
    assert after["code"] == "UNAUTHENTICATED"


async def test_a_bad_access_token_is_refused_with_401(api: Api) -> None:
    response = await api.raw("{ me { handle } }", token="not-a-token")
    assert response.status_code == 401


async def test_update_profile(api: Api) -> None:
    person = await register(api)
    result = await api.mutate(
        "updateProfile",
        {"bio": "Uczę się całe życie.", "locale": "pl"},
        "... on User { bio locale }",
        person.token,
    )
    assert result == {"__typename": "User", "bio": "Uczę się całe życie.", "locale": "pl"}
    bad = await api.mutate("updateProfile", {"avatarUrl": "http://insecure"}, "", person.token)
    assert bad["fields"][0]["field"] == "avatarUrl"


async def test_reviewer_role_comes_from_settings_not_from_registering(api: Api) -> None:
    person = await register(api)
    rows = await api.query("{ me { handle } }", token=person.token)
    assert rows["me"]["handle"] == person.handle
    async with api.runtime.services.stores.ledger.reading() as conn:
        role = (await conn.execute(sa.text("SELECT role FROM accounts"))).scalar_one()
    assert role == "USER"


async def test_awards_to_a_second_address_land_once_it_is_verified(api: Api) -> None:
    from tests.helpers import AWARD, published_badge, verified_issuer

    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)
    added = await api.mutate(
        "addEmail",
        {"email": "praca@example.org", "password": "correct horse battery"},
        "... on EmailPayload { email verified }",
        learner.token,
    )
    assert added == {"__typename": "EmailPayload", "email": "praca@example.org", "verified": False}
    pending = await api.mutate(
        "awardBadge",
        {"badgeId": badge_id, "recipientEmail": "Praca@example.org"},
        AWARD,
        issuer.owner.token,
    )
    assert pending["status"] == "PENDING_CLAIM"

    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c  # the token is only in the queued mail
        rows = await conn.execute(
            sa.select(m.data).where(m.kind == "VERIFY_EMAIL", m.recipient == "praca@example.org")
        )
        token = next(queued_token(api.runtime.settings, data) for (data,) in rows)
    verified = await api.mutate(
        "verifyEmail", {"token": token}, "... on EmailPayload { verified }", learner.token
    )
    assert verified["verified"] is True
    me = await api.query(
        "{ me { awards { totalCount edges { node { status } } } } }", token=learner.token
    )
    assert me["me"]["awards"]["totalCount"] == 1
    assert me["me"]["awards"]["edges"][0]["node"]["status"] == "VALID"
    again = await api.mutate("verifyEmail", {"token": token}, "", learner.token)
    assert again["__typename"] == "NotFoundError"
