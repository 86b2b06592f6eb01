"""The API as a separate uvicorn process, and a small synchronous GraphQL client for it."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from odznaka_graph.neo4j_server import free_port
from odznaka_graph.settings import Settings

PASSWORD = "correct horse battery"


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
        "REVIEWER_EMAILS": '["checker@example.org"]',
        # Credential ids and did:web DIDs name the address the server is reached at.
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # Every test client is 127.0.0.1: per-client limits are tested with their own values.
        "REGISTER_MAX_PER_CLIENT": "10000",
        "LOGIN_MAX_ATTEMPTS_PER_CLIENT": "10000",
        "JOIN_MAX_ATTEMPTS_PER_CLIENT": "10000",
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
    try:
        _wait(base, process)
        yield base
    finally:
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
