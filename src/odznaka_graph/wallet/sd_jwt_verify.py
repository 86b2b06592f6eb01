"""Checking an SD-JWT VC presentation (RFC 9901, SD-JWT VC): the issuer's signature (the
key found by the caller), every disclosure against the digests the issuer signed (nested
`_sd` objects and `...` array entries too), the key-binding JWT (`kb+jwt`, signed by the key
in `cnf`, our nonce and audience, fresh, `sd_hash` over what precedes it), and the
credential's own `exp`/`nbf`. Refusals carry a PresentationReason."""

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from joserfc.jws import JWSRegistry

from odznaka_graph.errors import Conflict
from odznaka_graph.outcomes import CredentialReason, PresentationReason, Reason
from odznaka_graph.wallet.sd_jwt import b64url, b64url_decode

ALGORITHMS = ["ES256", "ES384", "ES512"]
TYPES = {"dc+sd-jwt", "vc+sd-jwt"}  # vc+sd-jwt: the name before SD-JWT VC draft 06
KB_TYP = "kb+jwt"
SKEW_SECONDS = 60
# An `x5c` certificate chain makes headers far longer than joserfc's default 512 bytes.
MAX_HEADER_BYTES = 16 * 1024


def _registry() -> JWSRegistry:
    registry = JWSRegistry(algorithms=ALGORITHMS)
    registry.max_header_length = MAX_HEADER_BYTES
    return registry


REGISTRY = _registry()


class PresentationRefused(Conflict):
    def __init__(self, reason: Reason, detail: str | None = None) -> None:
        super().__init__(detail or str(reason.value), reason=reason)


@dataclass(frozen=True)
class IssuerKey:
    key: ECKey
    trusted: bool  # one of ours, or a foreign key we only checked the signature of
    how: str  # "our keyring", "x5c (untrusted)", "JWT VC issuer metadata"


KeyResolver = Callable[[dict[str, Any], dict[str, Any]], Awaitable[IssuerKey]]


@dataclass(frozen=True)
class Verified:
    header: dict[str, Any]
    claims: dict[str, Any]  # the issuer-signed claims with the disclosed ones in place
    disclosed: list[str]  # the names (or array paths) the holder chose to show
    issuer_key: IssuerKey
    key_bound: bool
    checks: list[str] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return str(self.claims.get("iss", ""))

    @property
    def vct(self) -> str:
        return str(self.claims.get("vct", ""))


@dataclass(frozen=True)
class Expected:
    nonce: str | None  # None: no key binding asked (verifyPresentation of a bare credential)
    audience: str | None
    max_age_seconds: int = 300


async def verify(presentation: Any, resolve: KeyResolver, expected: Expected) -> Verified:
    if not isinstance(presentation, str) or "~" not in presentation:
        raise PresentationRefused(PresentationReason.PRESENTATION_MALFORMED)
    issuer_jwt, *disclosures, kb_jwt = presentation.split("~")
    header, payload = _unverified(issuer_jwt)
    if header.get("typ") not in TYPES or header.get("alg") not in ALGORITHMS:
        raise PresentationRefused(
            PresentationReason.PRESENTATION_MALFORMED, "The credential is not a dc+sd-jwt."
        )
    found = await resolve(header, payload)
    claims = _signed(issuer_jwt, found.key)
    checks = [f"issuer signature ({found.how})"]
    shown, names = _disclose(claims, disclosures)
    checks.append(f"{len(disclosures)} disclosures match the signed digests")
    _validity(shown)
    checks.append("within its validity period")
    key_bound = False
    if kb_jwt:
        _key_binding(kb_jwt, presentation[: len(presentation) - len(kb_jwt)], shown, expected)
        key_bound = True
        checks.append("key binding (holder key, nonce, audience, sd_hash)")
    elif expected.nonce is not None:
        raise PresentationRefused(PresentationReason.KEY_BINDING_INVALID)
    return Verified(header, shown, names, found, key_bound, checks)


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        parts = token.split(".")
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except (ValueError, IndexError):
        raise PresentationRefused(PresentationReason.PRESENTATION_MALFORMED) from None
    if not isinstance(header, dict) or not isinstance(payload, dict) or len(parts) != 3:
        raise PresentationRefused(PresentationReason.PRESENTATION_MALFORMED)
    return header, payload


def _signed(token: str, key: ECKey) -> dict[str, Any]:
    try:
        claims = json.loads(jws.deserialize_compact(token, key, registry=REGISTRY).payload)
    except (JoseError, ValueError):
        raise PresentationRefused(PresentationReason.SIGNATURE_INVALID) from None
    if not isinstance(claims, dict):
        raise PresentationRefused(PresentationReason.PRESENTATION_MALFORMED)
    return claims


def digest(text: str) -> str:
    return b64url(hashlib.sha256(text.encode()).digest())


def _disclose(claims: dict[str, Any], disclosures: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Put each disclosure where its digest is; one whose digest the issuer did not sign,
    or that comes twice, is refused."""
    if claims.get("_sd_alg", "sha-256") != "sha-256":
        raise PresentationRefused(PresentationReason.PRESENTATION_MALFORMED, "Only sha-256.")
    by_digest: dict[str, list[Any]] = {}
    for item in disclosures:
        try:
            decoded = json.loads(b64url_decode(item))
        except ValueError:
            raise PresentationRefused(PresentationReason.DISCLOSURE_TAMPERED) from None
        if not isinstance(decoded, list) or len(decoded) not in (2, 3):
            raise PresentationRefused(PresentationReason.DISCLOSURE_TAMPERED)
        if digest(item) in by_digest:
            raise PresentationRefused(PresentationReason.DISCLOSURE_TAMPERED, "A repeat.")
        by_digest[digest(item)] = decoded
    used: set[str] = set()
    names: list[str] = []
    shown = _walk(claims, by_digest, used, names)
    if used != set(by_digest):
        raise PresentationRefused(PresentationReason.DISCLOSURE_TAMPERED)
    assert isinstance(shown, dict)
    shown.pop("_sd_alg", None)
    return shown, names


def _walk(node: Any, by_digest: dict[str, list[Any]], used: set[str], names: list[str]) -> Any:
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and set(item) == {"..."}:
                found = _take(by_digest, used, item["..."], 2)
                if found is not None:
                    names.append("[]")
                    out.append(_walk(found[1], by_digest, used, names))
            else:
                out.append(_walk(item, by_digest, used, names))
        return out
    if not isinstance(node, dict):
        return node
    result = {
        key: _walk(value, by_digest, used, names) for key, value in node.items() if key != "_sd"
    }
    for item in node.get("_sd", []):
        found = _take(by_digest, used, item, 3)
        if found is None:
            continue
        _, name, value = found
        if not isinstance(name, str) or name in result or name in ("_sd", "..."):
            raise PresentationRefused(PresentationReason.DISCLOSURE_TAMPERED)
        result[name] = _walk(value, by_digest, used, names)
        names.append(name)
    return result


def _take(by_digest: dict[str, list[Any]], used: set[str], key: Any, size: int) -> Any:
    if not isinstance(key, str) or key not in by_digest:
        return None
    if key in used or len(by_digest[key]) != size:
        raise PresentationRefused(PresentationReason.DISCLOSURE_TAMPERED)
    used.add(key)
    return by_digest[key]


def _validity(claims: dict[str, Any]) -> None:
    at = time.time()
    expires, starts = claims.get("exp"), claims.get("nbf")
    if isinstance(expires, int | float) and expires <= at - SKEW_SECONDS:
        raise PresentationRefused(CredentialReason.CREDENTIAL_EXPIRED)
    if isinstance(starts, int | float) and starts > at + SKEW_SECONDS:
        raise PresentationRefused(CredentialReason.CREDENTIAL_EXPIRED, "Not valid yet.")


def _key_binding(kb_jwt: str, signed_part: str, claims: dict[str, Any], want: Expected) -> None:
    refused = PresentationRefused(PresentationReason.KEY_BINDING_INVALID)
    header, _ = _unverified(kb_jwt)
    cnf = claims.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if header.get("typ") != KB_TYP or not isinstance(jwk, dict):
        raise refused
    try:
        holder = ECKey.import_key(jwk)
        payload = json.loads(jws.deserialize_compact(kb_jwt, holder, registry=REGISTRY).payload)
    except (JoseError, ValueError, TypeError):
        raise refused from None
    if not isinstance(payload, dict) or payload.get("sd_hash") != digest(signed_part):
        raise refused
    issued, at = payload.get("iat"), time.time()
    if not isinstance(issued, int | float) or not (
        at - want.max_age_seconds <= issued <= at + SKEW_SECONDS
    ):
        raise refused
    if want.nonce is not None and payload.get("nonce") != want.nonce:
        raise PresentationRefused(PresentationReason.NONCE_MISMATCH)
    if want.audience is not None and payload.get("aud") != want.audience:
        raise PresentationRefused(PresentationReason.AUDIENCE_MISMATCH)
