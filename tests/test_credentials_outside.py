"""Our Open Badges 3.0 credentials as an outside verifier sees them: Digital Bazaar's vc
library (Data Integrity eddsa-rdfc-2022, Bitstring Status List) and jose (VC-JWT), run
in node against a real uvicorn serving our did:web documents, status lists and context.
Nothing is fetched beyond loopback: contexts come from installed npm packages."""

import itertools
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from odznaka_graph.credentials import extension, keys
from odznaka_graph.credentials.signing import add_data_integrity_proof
from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from tests.api_process import (
    AWARD,
    api_process,
    gql,
    published_badge,
    register,
    verified_reviewer,
)
from tests.credential_helpers import outside_verifier, schema_errors, tampered

SIGNED = """mutation($i: ExportCredentialInput!) { exportCredential(input: $i) {
  __typename ... on SignedCredential { document } ... on MutationError { message } } }"""
VERIFY = """query($d: String!) { verifyCredential(document: $d) {
  status checks { name passed reason code } } }"""
_learners = itertools.count(1)
REVOKE = """mutation($i: RevokeAwardInput!) { revokeAward(input: $i) { __typename } }"""


@dataclass
class Server:
    base: str
    var: Path
    owner: str
    badge_id: str

    @property
    def url(self) -> str:
        return f"http://{self.base}"

    def award(self) -> str:
        learner = register(self.base, f"ob3learner{next(_learners)}")
        done = gql(
            self.base,
            AWARD,
            {"i": {"badgeId": self.badge_id, "recipientId": learner["userId"]}},
            self.owner,
        )
        return str(done["awardBadge"]["id"])

    def export(self, award_id: str, fmt: str = "DATA_INTEGRITY") -> str:
        done = gql(self.base, SIGNED, {"i": {"awardId": award_id, "format": fmt}}, self.owner)
        assert done["exportCredential"]["__typename"] == "SignedCredential", done
        return str(done["exportCredential"]["document"])

    def ours(self, document: str) -> dict[str, Any]:
        return gql(self.base, VERIFY, {"d": document})["verifyCredential"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("outside")
    with api_process(settings, var) as base:
        owner = register(base, "ob3owner")["accessToken"]
        checker = verified_reviewer(base, "ob3checker")["accessToken"]
        badge_id = published_badge(base, owner, checker)
        yield Server(base, var, owner, badge_id)


def _expire(server: Server, award_id: str) -> None:
    """Move the award's expiry into the past in the server's own SQLite ledger."""
    past = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(server.var / "odznaka.db") as db:
        db.execute(
            "UPDATE awards SET expires_at = ? WHERE id = ?", (past, local_id(award_id, "Award"))
        )


def test_the_outside_verifier_accepts_both_formats_and_the_schema_holds(server: Server) -> None:
    award_id = server.award()
    document = server.export(award_id)
    credential = json.loads(document)
    assert schema_errors(credential, server.url) == []
    assert outside_verifier(credential) == {
        "format": "DATA_INTEGRITY",
        "verified": True,
        "revoked": False,
        "errors": [],
    }
    token = server.export(award_id, "VC_JWT")
    assert outside_verifier(token) == {
        "format": "VC_JWT",
        "verified": True,
        "revoked": False,
        "errors": [],
    }
    assert server.ours(document)["status"] == "AUTHENTIC_VALID"
    assert server.ours(token)["status"] == "AUTHENTIC_VALID"


@pytest.mark.parametrize(
    "path, value",
    [
        (("name",), "Doktorat z fizyki"),
        (("credentialSubject", "achievement", "description"), "Zmieniony opis"),
        (("credentialSubject", "achievement", "microcredential", "workloadHours"), "1200"),
        (("issuer", "name"), "Ktoś inny"),
        (("validUntil",), "2099-01-01T00:00:00Z"),
        (("credentialStatus", "statusListIndex"), "1"),
    ],
)
def test_tampering_is_rejected_by_both_verifiers(
    server: Server, path: tuple[Any, ...], value: Any
) -> None:
    credential = json.loads(server.export(server.award()))
    changed = tampered(credential, path, value)
    outside = outside_verifier(changed)
    assert outside["verified"] is False
    assert "Invalid signature." in outside["errors"]
    ours = server.ours(json.dumps(changed))
    assert ours["status"] == "INVALID"
    assert ours["checks"][0]["code"] == "TAMPERED"


def test_a_jwt_with_a_changed_payload_is_rejected(server: Server) -> None:
    token = server.export(server.award(), "VC_JWT")
    header, payload, signature = token.split(".")
    import base64

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Doktorat z fizyki"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = f"{header}.{forged_payload}.{signature}"
    outside = outside_verifier(forged)
    assert outside["verified"] is False
    assert "signature verification failed" in outside["errors"]
    assert server.ours(forged)["status"] == "INVALID"


def test_a_signature_by_a_key_that_is_not_the_issuers_is_rejected(server: Server) -> None:
    credential = json.loads(server.export(server.award()))
    unsigned = {key: value for key, value in credential.items() if key != "proof"}
    der, public = keys.generate(keys.KeyKind.ED25519)
    method = f"did:key:{public}#{public}"
    contexts = {extension.context_url(server.url): extension.context(server.url)}
    forged = add_data_integrity_proof(
        unsigned, keys.load_private(der), method, datetime.now(UTC), contexts
    )
    outside = outside_verifier(forged)
    assert outside["verified"] is False
    assert any("controller" in error or "issuer" in error for error in outside["errors"]), outside
    ours = server.ours(json.dumps(forged))
    assert ours["status"] == "INVALID"
    assert ours["checks"][1]["code"] == "WRONG_KEY"


def test_an_expired_credential_is_rejected(server: Server) -> None:
    award_id = server.award()
    _expire(server, award_id)
    document, token = server.export(award_id), server.export(award_id, "VC_JWT")
    outside = outside_verifier(json.loads(document))
    assert outside["verified"] is False
    assert any('is after "validUntil"' in error for error in outside["errors"]), outside
    outside_jwt = outside_verifier(token)
    assert outside_jwt["verified"] is False
    assert '"exp" claim timestamp check failed' in outside_jwt["errors"]
    assert server.ours(document)["status"] == "EXPIRED"
    assert server.ours(token)["status"] == "EXPIRED"


def test_revocation_reaches_the_outside_verifier_through_the_status_list(server: Server) -> None:
    award_id = server.award()
    document, token = server.export(award_id), server.export(award_id, "VC_JWT")
    other = json.loads(server.export(server.award()))
    done = gql(server.base, REVOKE, {"i": {"awardId": award_id, "reason": "Plagiat"}}, server.owner)
    assert done["revokeAward"]["__typename"] == "Award"

    assert outside_verifier(json.loads(document))["revoked"] is True
    assert outside_verifier(token)["revoked"] is True
    assert outside_verifier(other)["revoked"] is False  # the same list, another bit
    assert server.ours(document)["status"] == "REVOKED"
    assert server.ours(token)["status"] == "REVOKED"


LOGIN = """mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }"""
MY_AWARDS = "{ me { awards(first: 10) { edges { node { id badge { name } } } } } }"


def _login(base: str, email: str) -> str:
    done = gql(base, LOGIN, {"i": {"email": email, "password": "odznaka-demo-2026"}})
    return str(done["login"]["accessToken"])


def test_a_demo_award_is_accepted_outside_until_it_is_revoked(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with api_process(settings, tmp_path_factory.mktemp("demo"), DEMO_DATA="true") as base:
        learner = _login(base, "ania.nowak@demo.odznaka.pl")
        edges = gql(base, MY_AWARDS, token=learner)["me"]["awards"]["edges"]
        # Tomasz Lewandowski's simulation badge, which Ania holds.
        award = next(e["node"] for e in edges if "symulacji" in e["node"]["badge"]["name"])
        signed = gql(
            base, SIGNED, {"i": {"awardId": award["id"], "format": "DATA_INTEGRITY"}}, learner
        )["exportCredential"]
        credential = json.loads(signed["document"])
        assert schema_errors(credential, f"http://{base}") == []
        assert outside_verifier(credential)["verified"] is True
        assert outside_verifier(credential)["revoked"] is False

        issuer = _login(base, "tomasz.lewandowski@demo.odznaka.pl")
        revoked = gql(base, REVOKE, {"i": {"awardId": award["id"], "reason": "Test"}}, issuer)
        assert revoked["revokeAward"]["__typename"] == "Award"
        assert outside_verifier(credential)["revoked"] is True
