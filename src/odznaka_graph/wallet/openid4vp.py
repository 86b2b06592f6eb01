"""OpenID4VP 1.0 as HAIP 1.0 profiles it, the verifier's side of the wire: the DCQL
queries we ask, the signed request object (JAR, `typ: oauth-authz-req+jwt`, `x5c`) fetched
by `request_uri`, the `openid4vp://` link, and the `direct_post.jwt` response: a JWE
(ECDH-ES, P-256, A128GCM or A256GCM) to the request's own key, holding `vp_token` (an
object keyed by the DCQL credential query ids) and `state`."""

import json
import time
from typing import Any
from urllib.parse import urlencode

from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from odznaka_graph.outcomes import PresentationReason
from odznaka_graph.wallet.sd_jwt import ALGORITHM, TYP
from odznaka_graph.wallet.sd_jwt_verify import PresentationRefused
from odznaka_graph.wallet.verifier_identity import VerifierIdentity

SCHEME = "openid4vp://"
REQUEST_TYP = "oauth-authz-req+jwt"
SELF_ISSUED = "https://self-issued.me/v2"  # the request object's `aud` (OpenID4VP 1.0 §5.8)
RESPONSE_MODE = "direct_post.jwt"
KEY_ALG = "ECDH-ES"
ENCODINGS = ["A128GCM", "A256GCM"]
CREDENTIAL_QUERY_ID = "odznaka"


def sign_in_query(vct: str) -> dict[str, Any]:
    """An Odznaka credential we issued, showing only whom it was issued to."""
    return _query(vct, [{"path": ["learner_identification"]}])


def door_query(vct: str, badge_ids: list[str]) -> dict[str, Any]:
    """An Odznaka credential for one of these badges, showing which and its title."""
    wanted = [f"urn:uuid:{badge_id}" for badge_id in badge_ids]
    claims = [
        {"path": ["achievement_id"], "values": wanted},
        {"path": ["achievement_title"]},
        {"path": ["learner_identification"]},
    ]
    return _query(vct, claims)


def _query(vct: str, claims: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "credentials": [
            {
                "id": CREDENTIAL_QUERY_ID,
                "format": TYP,
                "meta": {"vct_values": [vct]},
                "claims": claims,
                "require_cryptographic_holder_binding": True,
            }
        ]
    }


def encryption_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"use": "enc", "alg": KEY_ALG}, auto_kid=True)


def request_object(
    verifier: VerifierIdentity,
    *,
    response_uri: str,
    nonce: str,
    state: str,
    dcql: dict[str, Any],
    encryption: ECKey,
    lifetime: int,
    wallet_nonce: str | None = None,
) -> str:
    issued = int(time.time())
    claims: dict[str, Any] = {
        "iss": verifier.client_id,
        "aud": SELF_ISSUED,
        "iat": issued,
        "exp": issued + lifetime,
        "response_type": "vp_token",
        "client_id": verifier.client_id,
        "response_mode": RESPONSE_MODE,
        "response_uri": response_uri,
        "nonce": nonce,
        "state": state,
        "dcql_query": dcql,
        "client_metadata": {
            "jwks": {"keys": [encryption.as_dict(private=False)]},
            "encrypted_response_enc_values_supported": ENCODINGS,
            "vp_formats_supported": {
                TYP: {"sd-jwt_alg_values": [ALGORITHM], "kb-jwt_alg_values": [ALGORITHM]}
            },
        },
    }
    if wallet_nonce:
        claims["wallet_nonce"] = wallet_nonce
    header = {"alg": ALGORITHM, "typ": REQUEST_TYP, "x5c": verifier.x5c}
    payload = json.dumps(claims, separators=(",", ":"))
    return jws.serialize_compact(header, payload, verifier.key, [ALGORITHM])


def authorization_uri(client_id: str, request_uri: str) -> str:
    query = {"client_id": client_id, "request_uri": request_uri, "request_uri_method": "post"}
    return SCHEME + "?" + urlencode(query)


def decrypt_response(response: str | None, key: ECKey) -> dict[str, Any]:
    """The authorization response inside a `direct_post.jwt` JWE."""
    if not response or response.count(".") != 4:
        raise PresentationRefused(PresentationReason.RESPONSE_UNREADABLE)
    try:
        opened = jwe.decrypt_compact(response, key, algorithms=[KEY_ALG, *ENCODINGS])
        body = json.loads(opened.plaintext or b"")
    except (JoseError, ValueError):
        raise PresentationRefused(PresentationReason.RESPONSE_UNREADABLE) from None
    if opened.protected.get("alg") != KEY_ALG or not isinstance(body, dict):
        raise PresentationRefused(PresentationReason.RESPONSE_UNREADABLE)
    return body


def presentations(body: dict[str, Any], dcql: dict[str, Any]) -> list[str]:
    """The one presentation per credential query of `dcql` that `vp_token` must hold."""
    token = body.get("vp_token")
    if isinstance(token, str):
        try:
            token = json.loads(token)
        except ValueError:
            token = None
    if not isinstance(token, dict):
        raise PresentationRefused(PresentationReason.QUERY_NOT_SATISFIED, "No vp_token object.")
    found = []
    for query in dcql["credentials"]:
        given = token.get(query["id"])
        given = given if isinstance(given, list) else [given]
        if len(given) != 1 or not isinstance(given[0], str):
            raise PresentationRefused(PresentationReason.QUERY_NOT_SATISFIED)
        found.append(given[0])
    return found


def satisfies(query: dict[str, Any], claims: dict[str, Any]) -> None:
    """The verified credential is of an asked type and shows each asked claim (with one of
    its values where the query lists values)."""
    if claims.get("vct") not in query["meta"]["vct_values"]:
        raise PresentationRefused(PresentationReason.QUERY_NOT_SATISFIED, "Another vct.")
    for claim in query.get("claims", []):
        value: Any = claims
        for step in claim["path"]:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            raise PresentationRefused(
                PresentationReason.QUERY_NOT_SATISFIED, f"{claim['path']} is not shown."
            )
        if "values" in claim and value not in claim["values"]:  # a door check's badges
            raise PresentationRefused(PresentationReason.BADGE_NOT_SHOWN)
