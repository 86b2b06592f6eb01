"""Whose SD-JWT VCs we trust and whether they still hold: our own issuers' ES256 keys from
the keyring (the `kid` names the key, `iss` the issuer), foreign ones only as far as their
`x5c` certificate verifies the signature (no trust anchor: reported untrusted); and the
award behind one of our credentials, found by its Token Status List slot, which is what
decides revocation and expiry (the list is made from the same rows)."""

import base64
import re
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc.jwk import ECKey
from sqlalchemy.engine import Row

from odznaka_graph.clock import now
from odznaka_graph.credentials import keyring
from odznaka_graph.credentials.keys import KeyKind
from odznaka_graph.outcomes import CredentialReason, PresentationReason
from odznaka_graph.services.base import Stores
from odznaka_graph.wallet import metadata, presentation_store, token_status
from odznaka_graph.wallet.sd_jwt_verify import IssuerKey, PresentationRefused

UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def our_issuer_id(base: str, iss: Any) -> str | None:
    match = re.fullmatch(re.escape(base) + f"/issuers/({UUID})", str(iss))
    return match.group(1) if match else None


async def resolve_key(
    stores: Stores, header: dict[str, Any], payload: dict[str, Any], *, foreign: bool
) -> IssuerKey:
    """The key that must have signed the credential; `foreign` lets an untrusted x5c in."""
    issuer_id = our_issuer_id(stores.settings.public_base_url, payload.get("iss"))
    if issuer_id is not None:
        async with stores.ledger.reading() as conn:
            keys = await keyring.public_keys(conn, issuer_id)
        for key in keys:
            if key.kind is KeyKind.P256 and key.fragment == header.get("kid"):
                return IssuerKey(ECKey.import_key(metadata.public_jwk(key)), True, "our keyring")
        raise PresentationRefused(PresentationReason.ISSUER_UNTRUSTED, "Not one of our keys.")
    chain = header.get("x5c")
    if foreign and isinstance(chain, list) and chain and isinstance(chain[0], str):
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
            pem = certificate.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            return IssuerKey(ECKey.import_key(pem), False, "x5c, no trust anchor")
        except (ValueError, TypeError):
            raise PresentationRefused(PresentationReason.SIGNATURE_INVALID) from None
    raise PresentationRefused(PresentationReason.ISSUER_UNTRUSTED)


async def live_award(stores: Stores, claims: dict[str, Any]) -> Row[Any]:
    """The award behind one of our credentials, refused if revoked or expired."""
    base = stores.settings.public_base_url
    issuer_id = our_issuer_id(base, claims.get("iss"))
    reference = claims.get("status", {})
    entry = reference.get("status_list") if isinstance(reference, dict) else None
    if issuer_id is None or not isinstance(entry, dict):
        raise PresentationRefused(PresentationReason.WALLET_IDENTITY_UNKNOWN)
    prefix = token_status.list_url(base, issuer_id, 0)[:-1]
    uri, index = str(entry.get("uri", "")), entry.get("idx")
    list_no = uri[len(prefix) :] if uri.startswith(prefix) else ""
    if not list_no.isdigit() or not isinstance(index, int):
        raise PresentationRefused(PresentationReason.STATUS_UNAVAILABLE)
    async with stores.ledger.reading() as conn:
        award = await presentation_store.award_by_status(conn, issuer_id, int(list_no), index)
    if award is None or award.recipient_erased_at is not None:
        raise PresentationRefused(PresentationReason.WALLET_IDENTITY_UNKNOWN)
    if award.revoked_at is not None:
        raise PresentationRefused(CredentialReason.CREDENTIAL_REVOKED)
    if award.expires_at is not None and award.expires_at <= now():
        raise PresentationRefused(CredentialReason.CREDENTIAL_EXPIRED)
    return award
