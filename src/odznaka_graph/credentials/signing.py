"""The two proof formats: Data Integrity `eddsa-rdfc-2022` (an embedded proof over the
RDFC-1.0 canonical form) and VC-JWT (the credential as the payload of a compact JWS)."""

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import base58
import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from odznaka_graph.credentials.jsonld import canonize

CRYPTOSUITES = ("eddsa-rdfc-2022", "eddsa-2022")  # the second is the suite's older name
JWT_ALGORITHMS = ["ES256", "ES384", "RS256", "PS256", "EdDSA"]


def xsd_datetime(at: datetime) -> str:
    """XML Schema dateTime in UTC, whole seconds, as credentials write it."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_data_integrity_proof(
    credential: Mapping[str, Any],
    private: ed25519.Ed25519PrivateKey,
    method_id: str,
    created: datetime,
    contexts: Mapping[str, Any],
) -> dict[str, Any]:
    """The credential with a `proof` (eddsa-rdfc-2022, proof purpose assertionMethod)."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": xsd_datetime(created),
        "verificationMethod": method_id,
        "proofPurpose": "assertionMethod",
    }
    signature = private.sign(_hash_data(credential, options, contexts))
    proof = options | {"proofValue": "z" + base58.b58encode(signature).decode()}
    # A list: the OB 3.0 JSON Schema wants one (and VCs allow several proofs).
    return dict(credential) | {"proof": [proof]}


def check_data_integrity_proof(
    secured: Mapping[str, Any],
    proof: Mapping[str, Any],
    public: ed25519.Ed25519PublicKey,
    contexts: Mapping[str, Any],
) -> bool:
    """Whether `proof` signs `secured` (the document without that proof)."""
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    unsecured = {key: item for key, item in secured.items() if key != "proof"}
    try:
        public.verify(base58.b58decode(value[1:]), _hash_data(unsecured, options, contexts))
    except (InvalidSignature, ValueError):
        return False
    return True


def _hash_data(
    document: Mapping[str, Any], options: Mapping[str, Any], contexts: Mapping[str, Any]
) -> bytes:
    # vc-di-eddsa: hash(canonical proof config) || hash(canonical document); the proof
    # config takes the document's @context.
    config = dict(options) | {"@context": document.get("@context")}
    config_hash = hashlib.sha256(canonize(config, contexts).encode()).digest()
    document_hash = hashlib.sha256(canonize(document, contexts).encode()).digest()
    return config_hash + document_hash


def jwt_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """OB 3.0 VC-JWT: the credential itself is the payload, plus the registered claims."""
    claims: dict[str, Any] = dict(credential)
    issuer = credential["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, Mapping) else issuer
    claims["jti"] = credential["id"]
    claims["nbf"] = _epoch(credential["validFrom"])
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and subject.get("id"):
        claims["sub"] = subject["id"]
    if credential.get("validUntil"):
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


def sign_jwt(credential: Mapping[str, Any], private: Any, method_id: str) -> str:
    headers = {"kid": method_id, "typ": "JWT"}
    return jwt.encode(jwt_claims(credential), private, algorithm="ES256", headers=headers)


def jwt_header(token: str) -> dict[str, Any]:
    return jwt.get_unverified_header(token)


def check_jwt(token: str, public: Any, algorithm: str) -> dict[str, Any] | None:
    """The payload if the signature holds (dates are judged by the caller, with reasons)."""
    options: Any = {"verify_exp": False, "verify_nbf": False, "verify_iat": False}
    options["verify_aud"] = False
    try:
        payload = jwt.decode(token, public, algorithms=[algorithm], options=options)
    except (jwt.PyJWTError, ValueError, TypeError):  # a bad token, or a key of another kind
        return None
    return payload if isinstance(payload, dict) else None


def credential_of_jwt(payload: Mapping[str, Any]) -> dict[str, Any]:
    """VCDM 2.0 payloads are the credential; VCDM 1.1-era ones carry it in `vc`."""
    if isinstance(payload.get("vc"), Mapping):
        credential = dict(payload["vc"])
        # 1.1-era tokens often keep the dates only in the registered claims.
        for claim, name in (("nbf", "issuanceDate"), ("exp", "expirationDate")):
            if isinstance(payload.get(claim), int) and name not in credential:
                credential[name] = xsd_datetime(datetime.fromtimestamp(payload[claim], UTC))
        return credential
    registered = {"iss", "jti", "nbf", "exp", "sub", "iat", "aud"}
    return {key: value for key, value in payload.items() if key not in registered}


def _epoch(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
