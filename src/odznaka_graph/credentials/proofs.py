"""Signature and key-ownership checks for both proof formats, with reasons."""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from pyld.jsonld import JsonLdError

from odznaka_graph.credentials import keys, signing
from odznaka_graph.credentials.did import method_kind
from odznaka_graph.credentials.jsonld import ContextUnavailable
from odznaka_graph.credentials.keys import KeyKind
from odznaka_graph.credentials.resolve import Resolver, Unresolved


@dataclass(frozen=True)
class Check:
    passed: bool | None  # None: could not be decided
    reason: str
    code: str | None = None


@dataclass(frozen=True)
class ProofResult:
    format: str
    credential: dict[str, Any] | None
    signature: Check
    issuer: Check
    key_source: str | None = None


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def _not_checked(reason: str) -> Check:
    return Check(None, f"Not checked: {reason}")


async def check_data_integrity(credential: dict[str, Any], resolver: Resolver) -> ProofResult:
    proofs = credential.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if proofs else []
    ours = [
        p for p in proofs if isinstance(p, dict) and p.get("cryptosuite") in signing.CRYPTOSUITES
    ]
    if not ours:
        found = ", ".join(
            str(p.get("cryptosuite") or p.get("type")) for p in proofs if isinstance(p, dict)
        )
        why = f"its proof ({found}) is not one this verifier understands" if found else ""
        signature = _not_checked(why) if why else Check(False, "The credential carries no proof.")
        return ProofResult("DATA_INTEGRITY", credential, signature, _not_checked("no usable proof"))
    proof = ours[0]
    method_id = str(proof.get("verificationMethod") or "")
    if proof.get("proofPurpose") != "assertionMethod":
        bad = Check(
            False, "The proof is not made for issuing (its purpose is not assertionMethod)."
        )
        return ProofResult("DATA_INTEGRITY", credential, bad, _not_checked("the proof is unusable"))
    try:
        method, source = await resolver.method(method_id)
        public = keys.ed25519_from_multibase(str(method.get("publicKeyMultibase")))
        await resolver.load_contexts(credential)
    except (Unresolved, ValueError) as error:
        return ProofResult(
            "DATA_INTEGRITY", credential, _not_checked(str(error)), _not_checked(str(error))
        )
    signature = await _data_integrity_signature(credential, proof, public, resolver)
    return ProofResult(
        "DATA_INTEGRITY", credential, signature, _ownership(credential, method_id, source), source
    )


async def _data_integrity_signature(
    credential: dict[str, Any], proof: dict[str, Any], public: Any, resolver: Resolver
) -> Check:
    try:
        valid = await asyncio.to_thread(
            signing.check_data_integrity_proof, credential, proof, public, resolver.contexts
        )
    except ContextUnavailable as error:
        return _not_checked(f"the JSON-LD context {error} could not be loaded")
    except ValueError as error:
        return Check(False, f"The credential has {error}: they would escape the signature.")
    except JsonLdError:
        return Check(False, "The credential is not valid JSON-LD, so its signature cannot hold.")
    if not valid:
        return Check(
            False,
            "The signature does not match: the credential was changed after "
            "signing, or signed with another key.",
            "TAMPERED",
        )
    return Check(
        True,
        f"The {proof.get('cryptosuite')} Data Integrity proof verifies: "
        "nothing was changed since the issuer signed it.",
    )


async def check_jwt(token: str, resolver: Resolver) -> ProofResult:
    try:
        header = signing.jwt_header(token)
    except jwt.PyJWTError:
        return ProofResult(
            "VC_JWT",
            None,
            Check(False, "The token is not a well-formed JWS."),
            _not_checked("the token is malformed"),
        )
    algorithm, method_id = str(header.get("alg")), str(header.get("kid") or "")
    if algorithm not in signing.JWT_ALGORITHMS:
        bad = Check(False, f"The token is signed with {algorithm}, which is not accepted.")
        return ProofResult("VC_JWT", None, bad, _not_checked("the algorithm is refused"))
    try:
        method, source = await resolver.method(method_id)
        public = _jwt_key(method, algorithm)
    except (Unresolved, ValueError, jwt.PyJWTError) as error:
        return ProofResult("VC_JWT", None, _not_checked(str(error)), _not_checked(str(error)))
    payload = signing.check_jwt(token, public, algorithm)
    if payload is None:
        bad = Check(
            False,
            "The JWS signature does not match: the token was changed after "
            "signing, or signed with another key.",
            "TAMPERED",
        )
        return ProofResult("VC_JWT", None, bad, _not_checked("the signature does not hold"))
    credential = signing.credential_of_jwt(payload)
    good = Check(
        True, f"The {algorithm} JWS signature verifies: nothing was changed since signing."
    )
    issuer = _ownership(credential, method_id, source)
    if payload.get("iss") not in (None, issuer_id(credential)):
        issuer = Check(False, "The token's `iss` is not the credential's issuer.")
    return ProofResult("VC_JWT", credential, good, issuer, source)


def _jwt_key(method: dict[str, Any], algorithm: str) -> Any:
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, dict):
        return jwt.PyJWK(jwk, algorithm=algorithm).key
    kind = method_kind(method)
    multibase = str(method.get("publicKeyMultibase"))
    if kind is KeyKind.ED25519:
        return keys.ed25519_from_multibase(multibase)
    if kind is KeyKind.P256:
        return keys.p256_from_multibase(multibase)
    raise ValueError("the verification method has no key this verifier reads")


def _ownership(credential: Mapping[str, Any], method_id: str, source: str) -> Check:
    issuer = issuer_id(credential)
    controller = method_id.split("#", 1)[0]
    if issuer is None:
        return Check(False, "The credential names no issuer.")
    if controller != issuer:
        return Check(
            False,
            f"The proof was made with a key of {controller}, not of the issuer {issuer}.",
            "WRONG_KEY",
        )
    if controller.startswith("did:key:"):
        return Check(
            True,
            "The issuer is identified by its own key (did:key): the signature "
            "is the issuer's, but nothing vouches for who holds that key.",
        )
    return Check(True, f"The signing key is one the issuer lists for issuing ({source}).")
