"""SD-JWT (RFC 9901) as an SD-JWT VC issuer writes it: each selectively disclosable claim
becomes a disclosure (base64url of [salt, name, value]) whose SHA-256 digest sits in `_sd`;
the issuer-signed JWT, then each disclosure, each followed by `~`."""

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any

from joserfc import jws
from joserfc.jwk import ECKey

TYP = "dc+sd-jwt"
SD_ALG = "sha-256"
ALGORITHM = "ES256"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def disclosure(name: str, value: Any) -> str:
    salt = b64url(secrets.token_bytes(16))
    text = json.dumps([salt, name, value], ensure_ascii=False, separators=(",", ":"))
    return b64url(text.encode())


def digest(encoded_disclosure: str) -> str:
    return b64url(hashlib.sha256(encoded_disclosure.encode()).digest())


def sign_jwt(header: Mapping[str, Any], claims: Mapping[str, Any], key: ECKey) -> str:
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(dict(header), payload, key, algorithms=[ALGORITHM])


def issue(
    always: Mapping[str, Any], disclosable: Mapping[str, Any], key: ECKey, names: Mapping[str, Any]
) -> str:
    """The SD-JWT (no key binding: the holder adds that when presenting). `always` is
    signed in the clear; each of `disclosable`'s claims is a disclosure of its own, and the
    digests are sorted so their order says nothing about the claims. `names` says which
    key signed it (`kid`, `x5c`)."""
    disclosures = [disclosure(name, value) for name, value in disclosable.items()]
    claims = dict(always) | {
        "_sd": sorted(digest(item) for item in disclosures),
        "_sd_alg": SD_ALG,
    }
    header = {"alg": ALGORITHM, "typ": TYP, **names}
    return "~".join([sign_jwt(header, claims, key), *disclosures]) + "~"


def disclosed(sd_jwt: str) -> dict[str, Any]:
    """The claims an SD-JWT discloses (the issuer JWT unverified): for tests and tools."""
    issuer_jwt, *rest = sd_jwt.split("~")
    claims: dict[str, Any] = json.loads(b64url_decode(issuer_jwt.split(".")[1]))
    digests = set(claims.pop("_sd", []))
    claims.pop("_sd_alg", None)
    for item in filter(None, rest):
        if "." in item:  # a key-binding JWT
            continue
        _, name, value = json.loads(b64url_decode(item))
        if digest(item) in digests:
            claims[name] = value
    return claims
