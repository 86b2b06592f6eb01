"""verifyPresentation: what a presentation proves, ours or another issuer's. An SD-JWT VC
is checked as the response endpoint checks one (signature, disclosures, key binding when
given, validity, revocation; a foreign issuer's signature only through its `x5c`, reported
untrusted, its Token Status List fetched under the outbound rules); an Open Badges 3.0
credential goes to the credential checker."""

import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError

from odznaka_graph.credentials.fetch import Fetcher, FetchError
from odznaka_graph.errors import DomainError
from odznaka_graph.outcomes import CredentialReason, PresentationReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.signed_credentials import SignedCredentialService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.wallet import presentation_trust, token_status
from odznaka_graph.wallet.sd_jwt_verify import (
    REGISTRY,
    Expected,
    IssuerKey,
    PresentationRefused,
    Verified,
    verify,
)

MAX_CHARS = 300_000
HIDDEN = {"_sd", "_sd_alg", "cnf"}


@dataclass(frozen=True)
class CheckReport:
    valid: bool
    format: str
    reason: DomainError | None = None
    issuer: str | None = None
    issuer_trusted: bool = False
    credential_type: str | None = None
    key_bound: bool = False
    checks: list[str] = field(default_factory=list)
    disclosed: dict[str, Any] = field(default_factory=dict)


async def check(
    stores: Stores, viewer: Viewer, text: str, nonce: str | None, audience: str | None
) -> CheckReport:
    text = text.strip()
    if len(text) > MAX_CHARS:
        too_long = PresentationRefused(PresentationReason.PRESENTATION_MALFORMED, "Too long.")
        return CheckReport(False, "UNKNOWN", too_long)
    if "~" not in text:
        return await _open_badge(stores, viewer, text)

    async def resolve(header: dict[str, Any], payload: dict[str, Any]) -> IssuerKey:
        return await presentation_trust.resolve_key(stores, header, payload, foreign=True)

    wanted = Expected(nonce, audience, stores.settings.wallet_presentation_seconds)
    try:
        verified = await verify(text, resolve, wanted)
    except DomainError as refused:
        return CheckReport(False, "dc+sd-jwt", refused)
    checks = list(verified.checks)
    try:
        if verified.issuer_key.trusted:
            await presentation_trust.live_award(stores, verified.claims)
            checks.append("status: valid (our Token Status List)")
        else:
            checks.append(await foreign_status(stores, verified))
    except DomainError as refused:
        return _report(verified, checks, refused)
    return _report(verified, checks, None)


async def foreign_status(stores: Stores, verified: Verified) -> str:
    """A foreign credential's Token Status List entry: the list fetched (outbound rules),
    signed by the credential's own issuer key, naming itself; refused when revoked."""
    reference = verified.claims.get("status")
    entry = reference.get("status_list") if isinstance(reference, dict) else None
    if not isinstance(entry, dict):
        return "status: none given"
    uri, index = entry.get("uri"), entry.get("idx")
    unavailable = PresentationRefused(PresentationReason.STATUS_UNAVAILABLE)
    if not isinstance(uri, str) or not isinstance(index, int):
        raise unavailable
    try:
        token = await Fetcher(stores.settings.import_allow_loopback).get(uri)
        claims = json.loads(
            jws.deserialize_compact(
                token.strip(), verified.issuer_key.key, registry=REGISTRY
            ).payload
        )
        status_list = claims["status_list"]
        if claims.get("sub") != uri or status_list.get("bits", 1) != 1:
            raise unavailable
        value = token_status.status_of(status_list["lst"], index)
    except (FetchError, JoseError, ValueError, KeyError, TypeError, zlib.error):
        raise unavailable from None
    if value != token_status.VALID:
        raise PresentationRefused(CredentialReason.CREDENTIAL_REVOKED)
    return "status: valid (the issuer's Token Status List)"


def _report(verified: Verified, checks: list[str], refused: DomainError | None) -> CheckReport:
    return CheckReport(
        valid=refused is None and verified.issuer_key.trusted,
        format="dc+sd-jwt",
        reason=refused,
        issuer=verified.issuer,
        issuer_trusted=verified.issuer_key.trusted,
        credential_type=verified.vct,
        key_bound=verified.key_bound,
        checks=checks,
        disclosed={k: v for k, v in verified.claims.items() if k not in HIDDEN},
    )


async def _open_badge(stores: Stores, viewer: Viewer, text: str) -> CheckReport:
    found = await SignedCredentialService(stores).check_document(viewer, text)
    report = found.report
    checks = [
        f"{name}: {'passed' if part.passed else 'failed' if part.passed is False else 'unknown'}"
        f" ({part.reason})"
        for name, part in (
            ("signature", report.signature),
            ("issuer", report.issuer),
            ("status", report.status),
            ("expiry", report.expiry),
        )
    ]
    credential = report.credential or {}
    return CheckReport(
        valid=report.outcome == "VALID",
        format=report.format,
        issuer=str(report.issuer_id or _issuer(credential) or "") or None,
        issuer_trusted=report.issuer_id is not None,
        credential_type=" ".join(map(str, credential.get("type", []))) or None,
        checks=checks,
        disclosed={"credentialSubject": credential.get("credentialSubject")} if credential else {},
    )


def _issuer(credential: dict[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer
