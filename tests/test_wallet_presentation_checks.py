"""The SD-JWT VC presentation checks on their own (wallet/sd_jwt_verify.py, RFC 9901): nested
and array disclosures put in place, and each way a presentation can be wrong refused with
its reason. No server: these are the rules the response endpoint applies."""

import asyncio
import json
import time
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import ECKey

from odznaka_graph.errors import DomainError
from odznaka_graph.wallet import sd_jwt
from odznaka_graph.wallet.sd_jwt_verify import Expected, IssuerKey, verify

ISSUER = ECKey.generate_key("P-256")
HOLDER = ECKey.generate_key("P-256")
NONCE, AUDIENCE = "n-0123456789", "x509_hash:verifier"


def credential(**always: Any) -> tuple[str, list[str]]:
    """An SD-JWT with a disclosed `name`, a nested `address.city` and one array element."""
    name = sd_jwt.disclosure("name", "Ala")
    city = sd_jwt.disclosure("city", "Kraków")
    element = sd_jwt.b64url(json.dumps(["salt-1", "PL"]).encode())
    claims = {
        "iss": "https://issuer.example",
        "vct": "urn:example:card",
        "cnf": {"jwk": HOLDER.as_dict(private=False)},
        "_sd": [sd_jwt.digest(name), sd_jwt.digest("decoy")],
        "address": {"_sd": [sd_jwt.digest(city)], "street": "Rynek 1"},
        "nationalities": [{"...": sd_jwt.digest(element)}, "DE"],
        "_sd_alg": "sha-256",
    } | always
    issuer_jwt = sd_jwt.sign_jwt({"alg": "ES256", "typ": "dc+sd-jwt"}, claims, ISSUER)
    return issuer_jwt, [name, city, element]


def bound(issuer_jwt: str, disclosures: list[str], key: ECKey = HOLDER, **over: Any) -> str:
    shown = "~".join([issuer_jwt, *disclosures]) + "~"
    payload = {"iat": int(time.time()), "aud": AUDIENCE, "nonce": NONCE}
    payload |= {"sd_hash": sd_jwt.digest(shown)} | over
    kb = jws.serialize_compact({"alg": "ES256", "typ": "kb+jwt"}, json.dumps(payload), key)
    return shown + kb


async def resolve(header: dict[str, Any], payload: dict[str, Any]) -> IssuerKey:
    return IssuerKey(ISSUER, True, "test key")


def check(presentation: str) -> Any:
    return asyncio.run(verify(presentation, resolve, Expected(NONCE, AUDIENCE)))


def reason(presentation: str) -> str:
    with pytest.raises(DomainError) as refused:
        check(presentation)
    return refused.value.reason.name


def test_nested_and_array_disclosures_are_put_in_place() -> None:
    issuer_jwt, disclosures = credential()
    verified = check(bound(issuer_jwt, disclosures))
    assert verified.claims["name"] == "Ala"
    assert verified.claims["address"] == {"street": "Rynek 1", "city": "Kraków"}
    assert verified.claims["nationalities"] == ["PL", "DE"]
    assert verified.key_bound is True
    withheld = check(bound(issuer_jwt, disclosures[:1]))  # the holder shows the name only
    assert withheld.claims["address"] == {"street": "Rynek 1"}
    assert withheld.claims["nationalities"] == ["DE"]


def test_each_wrong_presentation_is_refused_with_its_reason() -> None:
    issuer_jwt, disclosures = credential()
    name, city, element = disclosures
    good = bound(issuer_jwt, disclosures)
    assert reason(bound(issuer_jwt, [name, name])) == "DISCLOSURE_TAMPERED"
    assert reason(bound(issuer_jwt, [sd_jwt.disclosure("name", "Ola")])) == "DISCLOSURE_TAMPERED"
    assert reason(good.replace(f"~{city}~", "~")) == "KEY_BINDING_INVALID"  # sd_hash
    assert reason(bound(issuer_jwt, disclosures, ECKey.generate_key("P-256"))) == (
        "KEY_BINDING_INVALID"
    )
    assert reason(bound(issuer_jwt, disclosures, iat=int(time.time()) - 3600)) == (
        "KEY_BINDING_INVALID"
    )
    assert reason(bound(issuer_jwt, disclosures, nonce="other")) == "NONCE_MISMATCH"
    assert reason(bound(issuer_jwt, disclosures, aud="x509_hash:other")) == "AUDIENCE_MISMATCH"
    assert reason("~".join([issuer_jwt, *disclosures]) + "~") == "KEY_BINDING_INVALID"
    forged_jwt = issuer_jwt[:-4] + ("AAAA" if not issuer_jwt.endswith("AAAA") else "BBBB")
    assert reason(bound(forged_jwt, disclosures)) == "SIGNATURE_INVALID"
    expired_jwt, expired_disclosures = credential(exp=int(time.time()) - 3600)
    assert reason(bound(expired_jwt, expired_disclosures)) == "CREDENTIAL_EXPIRED"
    assert reason("not an sd-jwt") == "PRESENTATION_MALFORMED"
