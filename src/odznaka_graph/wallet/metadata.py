"""What wallets read before they ask for anything: the credential issuer metadata
(OpenID4VCI 1.0 §12.2), the OAuth authorisation server metadata (RFC 8414) of the same
host, and an issuer's JWT VC issuer metadata (its ES256 keys, SD-JWT VC §5)."""

import json
from typing import Any

from odznaka_graph.credentials.jsonld import OB_V3, VC_V2
from odznaka_graph.credentials.keys import KeyKind, PublicKey
from odznaka_graph.wallet import claims
from odznaka_graph.wallet.sd_jwt import ALGORITHM, TYP

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_PATH = "/wallet/offers/"
TOKEN_PATH = "/wallet/token"
NONCE_PATH = "/wallet/nonce"
CREDENTIAL_PATH = "/wallet/credential"
SD_JWT_VC = claims.CONFIGURATION_ID
# Open Badges 3.0 as exportCredential signs them, for learner wallets: not bound to a
# wallet key (the subject is the learner's pseudonym), so their requests carry no proof.
OB_JWT = "open_badge_jwt_vc_json"
OB_LDP = "open_badge_ldp_vc"
OB_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


def issuer_url(base_url: str, issuer_id: str) -> str:
    """The `iss` of an organisation's SD-JWT VCs (its JWT VC issuer identifier)."""
    return f"{base_url}/issuers/{issuer_id}"


def credential_issuer(base_url: str) -> dict[str, Any]:
    configuration = {
        "format": TYP,
        "vct": claims.vct(base_url),
        "scope": claims.CONFIGURATION_ID,
        "cryptographic_binding_methods_supported": ["jwk"],
        "credential_signing_alg_values_supported": [ALGORITHM],
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": [ALGORITHM]}},
        "credential_metadata": {
            "display": claims.display(),
            "claims": claims.issuer_claims_metadata(),
        },
    }
    open_badge = {"display": [{"name": "Open Badge 3.0", "locale": "en"}]}
    configurations = {
        SD_JWT_VC: configuration,
        OB_JWT: {
            "format": "jwt_vc_json",
            "scope": OB_JWT,
            "credential_definition": {"type": OB_TYPES},
            "credential_signing_alg_values_supported": [ALGORITHM],
            "credential_metadata": open_badge,
        },
        OB_LDP: {
            "format": "ldp_vc",
            "scope": OB_LDP,
            "credential_definition": {"@context": [VC_V2, OB_V3], "type": OB_TYPES},
            "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
            "credential_metadata": open_badge,
        },
    }
    return {
        "credential_issuer": base_url,
        "authorization_servers": [base_url],
        "credential_endpoint": base_url + CREDENTIAL_PATH,
        "nonce_endpoint": base_url + NONCE_PATH,
        "display": [
            {"name": "Odznaka+", "locale": "pl"},
            {"name": "Odznaka+", "locale": "en"},
        ],
        "credential_configurations_supported": configurations,
    }


def authorization_server(base_url: str) -> dict[str, Any]:
    return {
        "issuer": base_url,
        "token_endpoint": base_url + TOKEN_PATH,
        "grant_types_supported": [PRE_AUTHORIZED],
        "pre-authorized_grant_anonymous_access_supported": True,
        "token_endpoint_auth_methods_supported": ["none"],
        "response_types_supported": [],
    }


def jwt_vc_issuer(base_url: str, issuer_id: str, keys: list[PublicKey]) -> dict[str, Any]:
    """Every P-256 key the issuer ever had (retired ones keep old credentials verifiable)."""
    jwks = [public_jwk(key) for key in keys if key.kind is KeyKind.P256]
    return {"issuer": issuer_url(base_url, issuer_id), "jwks": {"keys": jwks}}


def public_jwk(key: PublicKey) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(key.public)
    return jwk | {"kid": key.fragment, "alg": ALGORITHM, "use": "sig"}


def offer(base_url: str, code: str, configuration_id: str, tx_length: int) -> dict[str, Any]:
    """The credential offer object served at its credential_offer_uri."""
    return {
        "credential_issuer": base_url,
        "credential_configuration_ids": [configuration_id],
        "grants": {
            PRE_AUTHORIZED: {
                "pre-authorized_code": code,
                "tx_code": {
                    "input_mode": "numeric",
                    "length": tx_length,
                    "description": "Kod podany w Odznaka+ / the code shown in Odznaka+",
                },
            }
        },
    }
