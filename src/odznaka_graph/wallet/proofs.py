"""The key proof a wallet sends with its credential request (OpenID4VCI 1.0 §8.2.1.1,
proof type `jwt`): signed by the key the credential is to be bound to, carried in the
header as a public JWK, for our issuer (`aud`) and a nonce we handed out."""

import json
import time
from dataclasses import dataclass
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from odznaka_graph.wallet.sd_jwt import ALGORITHM

TYP = "openid4vci-proof+jwt"
CLOCK_SKEW_SECONDS = 60


class ProofRefused(Exception):
    """A proof we do not accept; `error` is the OpenID4VCI error code."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class KeyProof:
    jwk: dict[str, Any]  # the holder's public key, for `cnf`
    nonce: str


def check(proof: Any, audience: str, max_age_seconds: int) -> KeyProof:
    """The holder key and nonce of a well-formed, correctly signed proof for `audience`
    (whether the nonce is ours and unused is for the caller to decide)."""
    if not isinstance(proof, str) or proof.count(".") != 2:
        raise ProofRefused("invalid_proof", "The proof is not a compact JWT.")
    try:
        header = jws.extract_compact(proof.encode()).headers()
        jwk = header.get("jwk")
        if header.get("typ") != TYP:
            raise ProofRefused("invalid_proof", f"The proof's typ must be {TYP}.")
        if header.get("alg") != ALGORITHM or not isinstance(jwk, dict) or "d" in jwk:
            raise ProofRefused("invalid_proof", "The proof must be ES256 with a public jwk.")
        if "kid" in header or "x5c" in header:
            raise ProofRefused("invalid_proof", "The proof names its key by jwk only.")
        key = ECKey.import_key(jwk)
        claims = json.loads(jws.deserialize_compact(proof, key, [ALGORITHM]).payload)
    except ProofRefused:
        raise
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProofRefused("invalid_proof", "The proof's signature does not hold.") from None
    return KeyProof(_public(key), _nonce(claims, audience, max_age_seconds))


def _nonce(claims: Any, audience: str, max_age_seconds: int) -> str:
    if not isinstance(claims, dict):
        raise ProofRefused("invalid_proof", "The proof's payload is not a JSON object.")
    aud = claims.get("aud")
    if aud != audience and not (isinstance(aud, list) and audience in aud):
        raise ProofRefused("invalid_proof", f"The proof's aud must be {audience}.")
    issued = claims.get("iat")
    now = time.time()
    if not isinstance(issued, int | float) or issued > now + CLOCK_SKEW_SECONDS:
        raise ProofRefused("invalid_proof", "The proof's iat is missing or in the future.")
    if issued < now - max_age_seconds:
        raise ProofRefused("invalid_proof", "The proof is too old.")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ProofRefused("invalid_nonce", "The proof carries no nonce: get one first.")
    return nonce


def _public(key: ECKey) -> dict[str, Any]:
    if key.curve_name != "P-256":
        raise ProofRefused("invalid_proof", "The proof's key must be a P-256 key.")
    return dict(key.as_dict(private=False))
