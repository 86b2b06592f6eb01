"""The wallet's building blocks against their specifications' own examples and rules: the
Token Status List encoding, SD-JWT disclosures, and which key proofs are refused."""

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import ECKey

from odznaka_graph.wallet import nonces, proofs, sd_jwt, token_status
from odznaka_graph.wallet.proofs import ProofRefused

AUDIENCE = "https://odznaka.example"


def test_the_status_list_encodes_the_specifications_example() -> None:
    # Token Status List §4.1, 1-bit example: statuses 1 0 0 1 1 1 0 1 1 1 0 0 0 1 0 1.
    invalid = [0, 3, 4, 5, 7, 8, 9, 13, 15]
    encoded = token_status.encode(invalid, size=16)
    assert encoded == "eNrbuRgAAhcBXQ"
    assert [token_status.status_of(encoded, i) for i in range(16)] == [
        1 if i in invalid else 0 for i in range(16)
    ]


def test_the_status_list_token_names_its_own_address() -> None:
    key = ECKey.generate_key("P-256")
    url = "https://odznaka.example/issuers/x/token-status/0"
    at = datetime.now(UTC)
    issuer = "https://odznaka.example/issuers/x"
    token = token_status.token(url, issuer, [42], key, {"kid": "k1"}, at)
    found = jws.deserialize_compact(token, key, ["ES256"])
    assert found.headers() == {"alg": "ES256", "typ": "statuslist+jwt", "kid": "k1"}
    claims = json.loads(found.payload)
    assert claims["sub"] == url and claims["status_list"]["bits"] == 1
    assert token_status.status_of(claims["status_list"]["lst"], 42) == 1
    assert token_status.status_of(claims["status_list"]["lst"], 41) == 0


def test_each_disclosure_is_digested_in_the_signed_part() -> None:
    key = ECKey.generate_key("P-256")
    always = {"iss": "https://odznaka.example/issuers/x", "vct": "urn:x"}
    disclosable = {"achievement_title": "Łódź", "pqf_level": 4}
    issued = sd_jwt.issue(always, disclosable, key, {"kid": "k1"})
    assert issued.endswith("~") and issued.count("~") == 3
    issuer_jwt, *disclosures, _ = issued.split("~")
    signed = jws.deserialize_compact(issuer_jwt, key, ["ES256"])
    assert signed.headers()["typ"] == "dc+sd-jwt"
    payload = json.loads(signed.payload)
    assert sorted(payload["_sd"]) == sorted(sd_jwt.digest(d) for d in disclosures)
    assert "achievement_title" not in payload
    assert sd_jwt.disclosed(issued) == always | {"achievement_title": "Łódź", "pqf_level": 4}


def _proof(key: ECKey, header: dict[str, Any] | None = None, **claims: Any) -> str:
    protected = {"alg": "ES256", "typ": proofs.TYP, "jwk": key.as_dict(private=False)}
    body = {"aud": AUDIENCE, "iat": int(time.time()), "nonce": "n1"} | claims
    return jws.serialize_compact(protected | (header or {}), json.dumps(body), key, ["ES256"])


def test_a_good_proof_gives_its_key_and_nonce() -> None:
    key = ECKey.generate_key("P-256")
    found = proofs.check(_proof(key), AUDIENCE, 300)
    assert found.nonce == "n1"
    assert found.jwk == key.as_dict(private=False)


@pytest.mark.parametrize(
    "header, claims, error",
    [
        ({"typ": "JWT"}, {}, "invalid_proof"),
        ({"kid": "did:example:1#k"}, {}, "invalid_proof"),
        ({"jwk": "private"}, {}, "invalid_proof"),
        ({}, {"aud": "https://elsewhere.example"}, "invalid_proof"),
        ({}, {"iat": int(time.time()) - 3600}, "invalid_proof"),
        ({}, {"iat": int(time.time()) + 3600}, "invalid_proof"),
        ({}, {"nonce": None}, "invalid_nonce"),
    ],
)
def test_a_bad_proof_is_refused(header: dict[str, Any], claims: dict[str, Any], error: str) -> None:
    key = ECKey.generate_key("P-256")
    if header.get("jwk") == "private":
        header = {"jwk": key.as_dict(private=True)}
    with pytest.raises(ProofRefused) as refused:
        proofs.check(_proof(key, header, **claims), AUDIENCE, 300)
    assert refused.value.error == error


def test_a_proof_signed_by_another_key_than_its_jwk_is_refused() -> None:
    key, other = ECKey.generate_key("P-256"), ECKey.generate_key("P-256")
    forged = _proof(other, {"jwk": key.as_dict(private=False)})
    with pytest.raises(ProofRefused) as refused:
        proofs.check(forged, AUDIENCE, 300)
    assert refused.value.error == "invalid_proof"


def test_a_nonce_is_ours_until_it_expires() -> None:
    secret, at = b"s" * 32, datetime.now(UTC)
    nonce = nonces.make(secret, at + timedelta(seconds=300))
    assert len(nonce) <= 64  # wallet_nonces.nonce
    assert nonces.expiry(secret, nonce, at) is not None
    assert nonces.expiry(secret, nonce, at + timedelta(seconds=301)) is None
    assert nonces.expiry(b"t" * 32, nonce, at) is None
    stamp, random, mac = nonce.split(".")
    later = str(int(stamp) + 3600)
    assert nonces.expiry(secret, f"{later}.{random}.{mac}", at) is None


def test_a_foreign_nonce_is_not_ours() -> None:
    assert nonces.expiry(b"s" * 32, "1.ż.ź", datetime.now(UTC)) is None
    assert nonces.expiry(b"s" * 32, "no dots", datetime.now(UTC)) is None
