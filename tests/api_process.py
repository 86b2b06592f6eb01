"""The API as a separate uvicorn process, and a small synchronous GraphQL client for it."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from odznaka_graph.mail import mailbox
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.settings import Settings

PASSWORD = "correct horse battery"
VERIFY_LINK = re.compile(r"/account/verify-email\?token=([A-Za-z0-9_\-]+)")
REVIEWER = "checker@example.org"  # in REVIEWER_EMAILS of every api_process
_VAR_DIRS: dict[str, Path] = {}  # `host:port` -> VAR_DIR of each running api_process


@contextmanager
def api_process(settings: Settings, var: Path, **env: str) -> Iterator[str]:
    """`host:port` of a running API on the same Neo4j (and SQL store, by VAR_DIR)."""
    port = free_port()
    assert settings.neo4j_uri and settings.neo4j_password
    environment = os.environ | {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "PORT": str(port),
        "VAR_DIR": str(var),
        "REVIEWER_EMAILS": json.dumps([REVIEWER]),
        # Credential ids and did:web DIDs name the address the server is reached at.
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # Every test client is 127.0.0.1: per-client limits are tested with their own values.
        "REGISTER_MAX_PER_CLIENT": "10000",
        "LOGIN_MAX_ATTEMPTS_PER_CLIENT": "10000",
        "JOIN_MAX_ATTEMPTS_PER_CLIENT": "10000",
        "DEV_SMTP_PORT": str(free_port()),  # its own SMTP server, mail in VAR_DIR/mailbox.db
        **env,
    }
    log = open(var / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "odznaka_graph.cli", "serve"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"127.0.0.1:{port}"
    _VAR_DIRS[base] = var
    try:
        _wait(base, process)
        yield base
    finally:
        del _VAR_DIRS[base]
        process.terminate()
        process.wait(30)
        log.close()


def _wait(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # a loaded machine starts slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited while starting"
        try:
            if httpx.get(f"http://{base}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not become ready")


def gql(
    base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"http://{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def register(base: str, handle: str, email: str | None = None) -> dict[str, str]:
    data = gql(
        base,
        """mutation($i: RegisterInput!) { register(input: $i) {
        ... on AuthPayload { accessToken userId } ... on MutationError { message } } }""",
        {
            "i": {
                "email": email or f"{handle}@example.org",
                "password": PASSWORD,
                "handle": handle,
                "displayName": handle,
            }
        },
    )
    return data["register"]  # type: ignore[no-any-return]


def verify_address(
    base: str, email: str, var: Path | None = None, mailbox_db: Path | None = None
) -> None:
    """Confirm `email` on the server at `base` as its owner would: follow the newest link
    mailed to it (as the SMTP server received it: the store `mailbox_db`, by default that of
    the server's development SMTP server under `var`, by default the VAR_DIR of the
    api_process at `base`). Nothing to do when it is verified."""
    var = var or _VAR_DIRS[base]
    with sqlite3.connect(var / "odznaka.db") as db:
        held = db.execute(
            "SELECT 1 FROM account_emails WHERE email = ? AND verified_at IS NOT NULL", (email,)
        )
        if held.fetchone():
            return
    done = gql(
        base,
        "mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { __typename } }",
        {"i": {"token": mailed_token(mailbox_db or var / "mailbox.db", email)}},
    )
    assert done["verifyEmail"]["__typename"] == "EmailPayload", done


def mailed_token(store: Path, email: str, seconds: float = 30.0) -> str:
    """The token of the newest verification link mailed to `email`, read from what an SMTP
    server received (its store, e.g. VAR_DIR/mailbox.db of a server's development SMTP
    server): the token is kept nowhere else. Waits for the mail worker's next pass."""
    deadline = time.monotonic() + seconds
    while True:
        found = mailbox.messages(store, limit=100_000) if store.exists() else []
        links = [VERIFY_LINK.search(m.part("plain")) for m in found if m.rcpt_to == email]
        tokens = [link.group(1) for link in links if link]
        if tokens:
            return tokens[0]  # the newest first
        assert time.monotonic() < deadline, f"no verification mail for {email}"
        time.sleep(0.2)


def verified_reviewer(
    base: str, handle: str, var: Path | None = None, mailbox_db: Path | None = None
) -> dict[str, str]:
    """`accessToken` and `userId` of the server's reviewer (REVIEWER, listed in its
    REVIEWER_EMAILS): registered under `handle` and verified on first use, then signed in.
    The role comes with the verified address, never with registration alone."""
    register(base, handle, REVIEWER)  # a decoy session once someone holds the address
    verify_address(base, REVIEWER, var, mailbox_db)
    data = gql(
        base,
        """mutation($i: LoginInput!) { login(input: $i) {
        ... on AuthPayload { accessToken userId } } }""",
        {"i": {"email": REVIEWER, "password": PASSWORD}},
    )
    return data["login"]  # type: ignore[no-any-return]


AWARD = "mutation($i: AwardBadgeInput!) { awardBadge(input: $i) { ... on Award { id } } }"


def published_badge(base: str, owner: str, checker: str) -> str:
    from tests.helpers import complete_badge

    org = gql(
        base,
        """mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) {
        ... on Organization { id } } }""",
        {"i": {"kind": "SCHOOL", "name": [{"lang": "PL", "text": "Szkoła"}]}},
        owner,
    )
    org_id = org["createOrganization"]["id"]
    steps = [
        ("acceptIssuerAgreement", "AcceptIssuerAgreementInput", {"organizationId": org_id}, owner),
        (
            "reviewOrganization",
            "ReviewOrganizationInput",
            {"organizationId": org_id, "approve": True},
            checker,
        ),
    ]
    for name, kind, payload, token in steps:
        gql(
            base,
            f"mutation($i: {kind}!) {{ {name}(input: $i) {{ __typename }} }}",
            {"i": payload},
            token,
        )
    created = gql(
        base,
        """mutation($i: CreateBadgeInput!) { createBadge(input: $i) {
        ... on Badge { id } } }""",
        {"i": {"organizationId": org_id, "content": complete_badge()}},
        owner,
    )
    badge_id = created["createBadge"]["id"]
    for name, kind, payload, token in [
        ("submitBadgeForReview", "BadgeIdInput", {"badgeId": badge_id}, owner),
        ("reviewBadge", "ReviewBadgeInput", {"badgeId": badge_id, "approve": True}, checker),
    ]:
        gql(
            base,
            f"mutation($i: {kind}!) {{ {name}(input: $i) {{ __typename }} }}",
            {"i": payload},
            token,
        )
    return badge_id  # type: ignore[no-any-return]
