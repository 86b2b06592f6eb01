"""Authentication that cannot be forged or raced (issue 11): installation secrets, roles
from the store, sign-out, throttled sign-in and registration, addresses that reveal and
reserve nothing."""

import asyncio
import json
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import argon2
import jwt
import pytest
import sqlalchemy as sa
import websockets
from sqlalchemy.ext.asyncio import create_async_engine

from odznaka_graph.installation_secrets import WeakSecret
from odznaka_graph.ledger.tables import mail_messages, outbox, refresh_tokens, throttles
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.api_process import register as register_remote
from tests.helpers import ORG, Api, register, tx
from tests.mail_helpers import queued_token

AUTH = "... on AuthPayload { accessToken refreshToken userId expiresInSeconds }"
PASSWORD = "correct horse battery"
OLD_DEFAULT = "dev-only-secret-change-me-in-production-please"
LOGOUT = "... on LogoutPayload { signedOut everywhere }"


def _claims(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


async def _mails(api: Api, topic: str) -> list[str]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(sa.select(outbox.c.payload).where(outbox.c.topic == topic))
        return [p["to"] for (p,) in rows]


# -- secrets ------------------------------------------------------------------------------


def test_known_and_short_secrets_are_refused_at_start(tmp_path: Path) -> None:
    for value in (OLD_DEFAULT, "dev-only-credential-keys-secret-change-me", "short-secret"):
        with pytest.raises(WeakSecret):
            Settings(var_dir=tmp_path, jwt_secret=value)
        with pytest.raises(WeakSecret):
            Settings(var_dir=tmp_path, credential_keys_secret=value)


def test_unset_secrets_are_made_once_per_installation(tmp_path: Path) -> None:
    first, again = Settings(var_dir=tmp_path), Settings(var_dir=tmp_path)
    other = Settings(var_dir=tmp_path / "elsewhere")
    assert first.jwt_secret == again.jwt_secret != other.jwt_secret
    assert first.credential_keys_secret != first.jwt_secret
    assert len(first.jwt_secret.get_secret_value()) >= 32
    for name in ("jwt_secret", "credential_keys_secret"):
        mode = (tmp_path / "secrets" / name).stat().st_mode
        assert stat.S_IMODE(mode) == 0o600


async def test_a_token_signed_with_the_old_default_secret_is_refused(api: Api) -> None:
    person = await register(api)
    claims = _claims(person.token) | {"role": "REVIEWER"}
    forged = jwt.encode(claims, OLD_DEFAULT, algorithm="HS256")
    assert (await api.raw("{ me { handle } }", token=forged)).status_code == 401


async def test_a_role_claimed_by_the_token_is_ignored(api: Api) -> None:
    owner, user = await register(api), await register(api)
    org = await api.mutate(
        "createOrganization", {"kind": "SCHOOL", "name": tx("Szkoła")}, ORG, owner.token
    )
    await api.mutate("acceptIssuerAgreement", {"organizationId": org["id"]}, ORG, owner.token)
    secret = api.runtime.settings.jwt_secret.get_secret_value()
    claiming = jwt.encode(_claims(user.token) | {"role": "REVIEWER"}, secret, algorithm="HS256")
    review = await api.mutate(
        "reviewOrganization", {"organizationId": org["id"], "approve": True}, ORG, claiming
    )
    assert review["code"] == "PERMISSION_DENIED"


async def test_a_listed_reviewer_address_gives_the_role_only_once_verified(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever registers first with a REVIEWER_EMAILS address is no reviewer until they
    follow the link mailed to that address."""
    monkeypatch.setattr(api.runtime.settings, "reviewer_emails", ["Recenzent@Example.org"])
    owner = await register(api)
    org = await api.mutate(
        "createOrganization", {"kind": "SCHOOL", "name": tx("Szkoła")}, ORG, owner.token
    )
    await api.mutate("acceptIssuerAgreement", {"organizationId": org["id"]}, ORG, owner.token)
    form = {"email": "recenzent@example.org", "password": PASSWORD, "displayName": "R"}
    claimant = await api.mutate("register", form | {"handle": "recenzent"}, AUTH)
    review = {"organizationId": org["id"], "approve": True}
    refused = await api.mutate("reviewOrganization", review, ORG, claimant["accessToken"])
    assert refused["code"] == "PERMISSION_DENIED"
    signed_in = await api.mutate("login", {"email": form["email"], "password": PASSWORD}, AUTH)
    again = await api.mutate("reviewOrganization", review, ORG, signed_in["accessToken"])
    assert again["code"] == "PERMISSION_DENIED"  # a new session does not help either
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c  # the token is only in the queued mail
        rows = await conn.execute(
            sa.select(m.data).where(m.kind == "VERIFY_EMAIL", m.recipient == form["email"])
        )
        (token,) = [queued_token(api.runtime.settings, data) for (data,) in rows]
    verified = await api.mutate("verifyEmail", {"token": token}, "")
    assert verified["__typename"] == "EmailPayload", verified
    approved = await api.mutate("reviewOrganization", review, ORG, claimant["accessToken"])
    assert approved["__typename"] == "Organization", approved


# -- sign-out -----------------------------------------------------------------------------


async def test_logout_ends_the_access_and_refresh_tokens_at_once(api: Api) -> None:
    person = await register(api)
    other = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    session = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    response = await api.raw(
        "mutation { logout { __typename " + LOGOUT + " } }", token=session["accessToken"]
    )
    assert response.json()["data"]["logout"]["signedOut"] is True
    assert (await api.raw("{ me { handle } }", token=session["accessToken"])).status_code == 401
    again = await api.mutate("refreshToken", {"refreshToken": session["refreshToken"]}, AUTH)
    assert again["code"] == "UNAUTHENTICATED"
    # Other sessions of the account go on.
    me = await api.query("{ me { handle } }", token=other["accessToken"])
    assert me["me"]["handle"] == person.handle


async def test_logout_everywhere_ends_every_session(api: Api) -> None:
    person = await register(api)
    other = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    response = await api.raw(
        "mutation { logoutEverywhere { __typename " + LOGOUT + " } }", token=person.token
    )
    assert response.json()["data"]["logoutEverywhere"]["everywhere"] is True
    for token in (person.token, other["accessToken"]):
        assert (await api.raw("{ me { handle } }", token=token)).status_code == 401


async def test_a_sessions_role_is_kept_until_this_process_writes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who a token belongs to is read once and kept for SESSION_CACHE_SECONDS; a write
    committed here (a sign-out included) is seen by the next request, a revocation written
    by another process (its own engine on the same store) within those seconds."""
    sessions = api.runtime.services.accounts.sessions
    monkeypatch.setattr(sessions, "seconds", 60.0)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "refresh_tokens" in statement:
            statements.append(statement)

    engine = api.runtime.services.stores.ledger.engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        person = await register(api)
        other = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
        await api.query("{ me { handle } }", token=person.token)
        statements.clear()
        await api.query("{ me { handle } }", token=person.token)
        assert statements == []  # kept
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)

    monkeypatch.setattr(sessions, "seconds", 0.5)
    third = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    await api.query("{ me { handle } }", token=third["accessToken"])  # kept for half a second

    def revoked(token: str) -> sa.Update:
        family = refresh_tokens.c.family_id == _claims(token)["fam"]
        return refresh_tokens.update().where(family).values(revoked_at=datetime.now())

    elsewhere = create_async_engine(api.runtime.settings.sql_url)
    try:
        async with elsewhere.begin() as conn:
            await conn.execute(revoked(third["accessToken"]))
    finally:
        await elsewhere.dispose()
    await asyncio.sleep(0.6)
    assert (await api.raw("{ me { handle } }", token=third["accessToken"])).status_code == 401
    # A write committed by this process drops what was kept at once.
    monkeypatch.setattr(sessions, "seconds", 60.0)
    await api.query("{ me { handle } }", token=other["accessToken"])  # kept for a minute
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await conn.execute(revoked(other["accessToken"]))
    assert (await api.raw("{ me { handle } }", token=other["accessToken"])).status_code == 401


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("auth")
    with api_process(settings, var, SESSION_CHECK_SECONDS="2") as base:
        yield base


async def _socket(base: str, token: str) -> websockets.ClientConnection:
    ws = await websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    await ws.send(json.dumps(init))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def _closed(ws: websockets.ClientConnection, within: float) -> int | None:
    with pytest.raises(websockets.ConnectionClosed):
        async with asyncio.timeout(within):
            while True:
                await ws.recv()
    return ws.close_code


def _logout(base: str, token: str) -> None:
    import httpx

    response = httpx.post(
        f"http://{base}/graphql",
        json={"query": "mutation { logout { __typename } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.json()["data"]["logout"]["__typename"] == "LogoutPayload"


async def test_a_websocket_is_closed_when_its_session_is_revoked(server: str) -> None:
    token = register_remote(server, "wsrevoked")["accessToken"]
    ws = await _socket(server, token)
    subscribe = {"query": "subscription { awardReceived { id } }"}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
    await asyncio.to_thread(_logout, server, token)
    assert await _closed(ws, 10) == 4401  # the periodic check, no new operation needed


async def test_an_operation_on_a_revoked_socket_closes_it(server: str) -> None:
    token = register_remote(server, "wsoperation")["accessToken"]
    ws = await _socket(server, token)
    await asyncio.to_thread(_logout, server, token)
    query = {"query": "{ me { handle } }"}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
    async with asyncio.timeout(8):  # it never runs as the signed-out user
        try:
            while True:
                message = json.loads(await ws.recv())
                assert message.get("type") != "next" or message["payload"]["data"]["me"] is None
        except websockets.ConnectionClosed:
            pass
    assert ws.close_code == 4401


# -- sign-in ------------------------------------------------------------------------------


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each argon2 verification made (the library's, watched, not replaced)."""
    made: list[str] = []
    original = argon2.PasswordHasher.verify

    def verify(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        made.append(str(password))
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
    return made


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_concurrent_wrong_passwords_get_exactly_the_limit_of_checks(
    api: Api, verifications: list[str]
) -> None:
    person = await register(api)
    tries = [
        api.mutate("login", {"email": person.email, "password": f"wrong guess {i}"}, AUTH)
        for i in range(32)
    ]
    codes = [answer["code"] for answer in await asyncio.gather(*tries)]
    limit = api.runtime.settings.login_max_failures
    assert len(verifications) == limit  # checked against the password...
    assert codes.count("UNAUTHENTICATED") == limit
    assert codes.count("RATE_LIMITED") == 32 - limit  # ...the rest refused before any check


async def test_back_off_slows_guessing_but_does_not_lock_the_owner_out(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    backoff = 5  # longer than a password check takes on a loaded machine
    monkeypatch.setattr(api.runtime.settings, "throttle_backoff_seconds", backoff)
    person = await register(api)
    wrong = {"email": person.email, "password": "wrong one!!"}
    for _ in range(api.runtime.settings.login_max_failures):
        await api.mutate("login", wrong, AUTH)
    held = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    assert held["__typename"] == "RateLimitedError"  # even the right password waits
    assert 0 < held["retryAfterSeconds"] <= backoff
    first_gate = await _gate(api, person.email)
    await asyncio.sleep(held["retryAfterSeconds"] + 0.1)
    assert (await api.mutate("login", wrong, AUTH))["code"] == "UNAUTHENTICATED"  # one more
    # The next gate is twice as long, counted from the attempt after the first one ended.
    assert await _gate(api, person.email) - first_gate >= timedelta(seconds=2 * backoff)
    for _ in range(5):  # the owner waits as told, and gets in
        owner = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
        if owner["__typename"] == "AuthPayload":
            break
        await asyncio.sleep(owner["retryAfterSeconds"] + 0.1)
    assert owner["__typename"] == "AuthPayload"


async def _gate(api: Api, email: str) -> datetime:
    async with api.runtime.services.stores.ledger.reading() as conn:
        until = await conn.execute(
            sa.select(throttles.c.blocked_until).where(throttles.c.key == email)
        )
        return until.scalar_one()  # type: ignore[no-any-return]


async def test_password_spraying_from_one_client_is_limited(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.runtime.settings, "login_max_attempts_per_client", 5)
    people = [await register(api) for _ in range(8)]
    codes = [
        (await api.mutate("login", {"email": p.email, "password": "Summer2026!"}, AUTH))["code"]
        for p in people
    ]
    assert codes == ["UNAUTHENTICATED"] * 5 + ["RATE_LIMITED"] * 3


async def test_unknown_addresses_are_checked_like_known_ones(
    api: Api, verifications: list[str]
) -> None:
    person = await register(api)
    known = await api.mutate("login", {"email": person.email, "password": "wrong one!!"}, AUTH)
    unknown = await api.mutate(
        "login", {"email": "nobody@example.org", "password": "wrong two!!"}, AUTH
    )
    assert known == unknown
    # Both cost one full argon2 verification, so the time taken tells nothing either.
    assert verifications == ["wrong one!!", "wrong two!!"]


# -- registration and addresses -----------------------------------------------------------


async def test_registering_a_taken_address_looks_like_a_fresh_registration(api: Api) -> None:
    first = await register(api, "pierwsza")
    form = {"password": PASSWORD, "displayName": "Ktoś"}
    taken = await api.mutate("register", form | {"email": first.email, "handle": "druga"}, AUTH)
    fresh = await api.mutate(
        "register", form | {"email": "nowa@example.org", "handle": "trzecia"}, AUTH
    )
    assert taken.keys() == fresh.keys() and taken["__typename"] == fresh["__typename"]
    assert _claims(taken["accessToken"]).keys() == _claims(fresh["accessToken"]).keys()
    assert taken["expiresInSeconds"] == fresh["expiresInSeconds"]
    assert await _mails(api, "mail.account_exists") == [first.email]


async def test_adding_someone_elses_address_reveals_nothing(api: Api) -> None:
    holder, other = await register(api), await register(api)
    selection = "... on EmailPayload { email verified }"
    password = {"password": PASSWORD}
    fresh = await api.mutate(
        "addEmail", {"email": "wolny@example.org"} | password, selection, other.token
    )
    taken = await api.mutate("addEmail", {"email": holder.email} | password, selection, other.token)
    assert {k: v for k, v in taken.items() if k != "email"} == {
        k: v for k, v in fresh.items() if k != "email"
    }


async def test_an_unverified_added_address_reserves_nothing(api: Api) -> None:
    squatter, other = await register(api), await register(api)
    selection = "... on EmailPayload { email verified }"
    for person in (squatter, other):
        added = await api.mutate(
            "addEmail",
            {"email": "ofiara@example.org", "password": PASSWORD},
            selection,
            person.token,
        )
        assert added["__typename"] == "EmailPayload"
    victim = await api.mutate(
        "register",
        {
            "email": "ofiara@example.org",
            "password": PASSWORD,
            "handle": "ofiara",
            "displayName": "Ofiara",
        },
        AUTH,
    )
    me = await api.query("{ me { handle } }", token=victim["accessToken"])
    assert me["me"]["handle"] == "ofiara"  # a real account, not the decoy
    # The squatter's password does not open the victim's address.
    login = await api.mutate("login", {"email": "ofiara@example.org", "password": PASSWORD}, AUTH)
    assert login["userId"] == victim["userId"]
    # The first to verify keeps the address; the other claims are dropped.
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c  # the token is only in the queued mail
        rows = await conn.execute(
            sa.select(m.data).where(m.kind == "VERIFY_EMAIL", m.recipient == "ofiara@example.org")
        )
        tokens = [queued_token(api.runtime.settings, data) for (data,) in rows]
    verified = [
        (await api.mutate("verifyEmail", {"token": t}, "... on EmailPayload { verified }"))
        for t in tokens
    ]
    assert [v["__typename"] for v in verified].count("EmailPayload") == 1
    emails = "{ me { emails { email } } }"
    listed = [
        (await api.query(emails, token=t))["me"]["emails"]
        for t in (squatter.token, other.token, victim["accessToken"])
    ]
    assert sum(any(e["email"] == "ofiara@example.org" for e in lst) for lst in listed) == 1


async def test_registration_is_limited_per_client_address(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.runtime.settings, "register_max_per_client", 3)
    for _ in range(3):
        await register(api)
    form = {"email": "czwarty@example.org", "password": PASSWORD, "displayName": "Cztery"}
    fourth = await api.mutate("register", form | {"handle": "czwarty"}, AUTH)
    assert fourth["__typename"] == "RateLimitedError"
    assert 0 < fourth["retryAfterSeconds"] <= 3600
