"""Verify anyone's Open Badges 3.0 credential: ours or another issuer's.

    report = await verify_document(document, stores, at=None, fetcher=None)

`document` is the credential as a JSON object (dict) or as text: JSON with an embedded
Data Integrity proof (`eddsa-rdfc-2022`), or a compact VC-JWT (ES256, RS256, EdDSA ...).
`stores` (anything with `.ledger` and `.settings`, e.g. `services.stores`; by default
the running API's own) lets our own issuers' did:web DIDs and status lists be read from
the ledger, without HTTP. For other issuers, did:key is decoded offline, and did:web
DIDs, status lists and unknown JSON-LD contexts are fetched over HTTPS from public
addresses only (plain HTTP from loopback hosts only where
`settings.import_allow_loopback` is on, i.e. in tests). `report.reasons` lists the
four reasons in order.

The report has four checks, each with `passed` (True, False, or None when it could not
be decided), a plain-language `reason` and sometimes a `code` (TAMPERED, WRONG_KEY,
REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID):

- `signature`: the proof verifies with the issuer's key, nothing was changed;
- `issuer`: the signing key belongs to the credential's issuer (and for our own issuers,
  whether the platform verified the organisation);
- `status`: the Bitstring Status List says it is not revoked or suspended;
- `expiry`: `validFrom` has come and `validUntil` has not passed.

`report.verified` is True when all four passed; `report.outcome` sums it up as VALID,
INVALID, REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID or UNVERIFIED (a check could not
be made). `report.credential` is the credential as JSON (for a JWT, its payload's
credential), `report.award_id` the award when the credential is one of ours.
Open Badges 2.0 assertions are recognised (`format == "OB2"`) but not checked here.
`at` sets the time to judge validity at; `fetcher` replaces the guarded HTTP client.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from odznaka_graph.credentials import status as bitstring
from odznaka_graph.credentials.fetch import Fetcher
from odznaka_graph.credentials.jsonld import js_numbers, loads
from odznaka_graph.credentials.lists import list_document
from odznaka_graph.credentials.proofs import (
    Check,
    ProofResult,
    check_data_integrity,
    check_jwt,
    issuer_id,
)
from odznaka_graph.credentials.resolve import Resolver, StoresLike, Unresolved
from odznaka_graph.ledger import credentials as award_ledger
from odznaka_graph.ledger import issuers

MAX_DOCUMENT_CHARS = 1_000_000
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
__all__ = ["Check", "VerificationReport", "verify_document"]


@dataclass(frozen=True)
class VerificationReport:
    format: str  # DATA_INTEGRITY, VC_JWT, OB2 or UNKNOWN
    signature: Check
    issuer: Check
    status: Check
    expiry: Check
    credential: dict[str, Any] | None = None
    issuer_id: str | None = None
    award_id: str | None = None

    @property
    def outcome(self) -> str:
        decisive = (self.signature, self.issuer)
        if any(check.passed is False for check in decisive):
            return "INVALID"
        if any(check.passed is None for check in decisive):
            return "UNVERIFIED"
        for check in (self.status, self.expiry):
            if check.passed is False:
                return check.code or "INVALID"
        return "UNVERIFIED" if self.status.passed is None else "VALID"

    @property
    def verified(self) -> bool:
        return self.outcome == "VALID"

    @property
    def reasons(self) -> list[str]:
        """Every check's reason, in the order signature, issuer, status, expiry."""
        return [check.reason for check in self.checks.values()]

    @property
    def checks(self) -> dict[str, Check]:
        return {
            "signature": self.signature,
            "issuer": self.issuer,
            "status": self.status,
            "expiry": self.expiry,
        }


_local_stores: StoresLike | None = None


def use_local_stores(stores: StoresLike) -> None:
    """The stores `verify_document` reads our own issuers from when a caller gives none
    (the running API registers its stores once, at start-up)."""
    global _local_stores
    _local_stores = stores


async def verify_document(
    document: dict[str, Any] | str,
    stores: StoresLike | None = None,
    *,
    at: datetime | None = None,
    fetcher: Fetcher | None = None,
) -> VerificationReport:
    at = at or datetime.now(UTC)
    stores = stores or _local_stores
    allow_loopback = bool(stores and stores.settings.import_allow_loopback)
    resolver = Resolver(stores, fetcher or Fetcher(allow_loopback=allow_loopback))
    parsed = _parse(document)
    if isinstance(parsed, VerificationReport):
        return parsed
    proof = await _proof(parsed, resolver)
    credential = proof.credential
    if credential is None:
        skipped = _skipped("the signature does not hold")
        return VerificationReport(proof.format, proof.signature, proof.issuer, skipped, skipped)
    signed = proof.signature.passed is True and proof.issuer.passed is True
    state = await _status(credential, resolver) if signed else _skipped("the proof does not hold")
    issuer = await _our_issuer_check(proof.issuer, credential, resolver) if signed else proof.issuer
    return VerificationReport(
        proof.format,
        proof.signature,
        issuer,
        state,
        expiry_check(credential, at),
        credential,
        issuer_id(credential),
        await _our_award(credential, resolver) if signed else None,
    )


def _parse(document: dict[str, Any] | str) -> dict[str, Any] | str | VerificationReport:
    """The credential as JSON or a compact JWS, or a report saying why it is neither."""
    if isinstance(document, Mapping):
        credential: Any = js_numbers(dict(document))
    else:
        text = document.strip()
        if len(text) > MAX_DOCUMENT_CHARS:
            return _unreadable("The document is too large.")
        if _looks_like_jws(text):
            return text
        try:
            credential = loads(text)
        except ValueError:
            return _unreadable("The document is neither JSON nor a compact JWS (VC-JWT).")
    if not isinstance(credential, dict):
        return _unreadable("The document is not a JSON object.")
    if _is_ob2(credential):
        ob2 = _skipped("Open Badges 2.0 assertions are checked by their hosted verification")
        return VerificationReport("OB2", ob2, ob2, ob2, ob2, credential)
    if "VerifiableCredential" not in _as_list(credential.get("type")):
        return _unreadable("The document is not a Verifiable Credential.")
    return credential


async def _proof(parsed: dict[str, Any] | str, resolver: Resolver) -> ProofResult:
    if isinstance(parsed, str):
        return await check_jwt(parsed, resolver)
    return await check_data_integrity(parsed, resolver)


def _looks_like_jws(text: str) -> bool:
    parts = text.split(".")
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return len(parts) == 3 and all(part and set(part) <= alphabet for part in parts)


def _is_ob2(document: dict[str, Any]) -> bool:
    return OB2_CONTEXT in _as_list(document.get("@context")) or document.get("type") == "Assertion"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _skipped(reason: str) -> Check:
    return Check(None, f"Not checked: {reason}.")


def _unreadable(reason: str) -> VerificationReport:
    bad = Check(False, reason)
    skipped = _skipped("the document could not be read")
    return VerificationReport("UNKNOWN", bad, skipped, skipped, skipped)


def expiry_check(credential: Mapping[str, Any], at: datetime) -> Check:
    start = _when(credential.get("validFrom") or credential.get("issuanceDate"))
    end = _when(credential.get("validUntil") or credential.get("expirationDate"))
    if start is None:
        return Check(False, "The credential has no valid `validFrom` date.", "INVALID")
    if at < start:
        return Check(False, f"Not valid before {start.date().isoformat()}.", "NOT_YET_VALID")
    if end is not None and at > end:
        return Check(False, f"Expired on {end.date().isoformat()}.", "EXPIRED")
    since = f"Valid since {start.date().isoformat()}"
    return Check(
        True,
        f"{since}, until {end.date().isoformat()}." if end else f"{since}, with no expiry date.",
    )


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def _status(credential: dict[str, Any], resolver: Resolver) -> Check:
    entries = [e for e in _as_list(credential.get("credentialStatus")) if isinstance(e, dict)]
    if not entries:
        return Check(True, "The credential has no status entry: its issuer cannot revoke it.")
    listed = [e for e in entries if e.get("type") == "BitstringStatusListEntry"]
    if not listed:
        kinds = ", ".join(sorted({str(e.get("type")) for e in entries}))
        return _skipped(f"its status method ({kinds}) is not one this verifier reads")
    results = await asyncio.gather(*(_entry(e, credential, resolver) for e in listed))
    failed = [check for check in results if check.passed is False]
    unknown = [check for check in results if check.passed is None]
    return (failed or unknown or results)[0]


async def _entry(entry: dict[str, Any], credential: dict[str, Any], resolver: Resolver) -> Check:
    purpose = str(entry.get("statusPurpose"))
    try:
        index = int(entry.get("statusListIndex"))  # type: ignore[arg-type]
        url = str(entry["statusListCredential"])
        listed = await _list_credential(url, resolver)
    except (KeyError, TypeError, ValueError):
        return Check(False, "The credential's status entry is malformed.", "INVALID")
    except Unresolved as error:
        return _skipped(f"the status list could not be had ({error})")
    problem = await _list_problem(listed, credential, purpose, resolver)
    if problem:
        return _skipped(problem)
    subject = listed.credential["credentialSubject"] if listed.credential else {}
    try:
        set_bit = bitstring.is_set(str(subject.get("encodedList")), index)
    except ValueError as error:
        return _skipped(f"the status list is unusable ({error})")
    if not set_bit:
        return Check(
            True,
            f"Not {_PAST.get(purpose, purpose)}: its bit in the issuer's {purpose} list is clear.",
        )
    code = "SUSPENDED" if purpose == "suspension" else "REVOKED"
    return Check(
        False,
        f"{_PAST.get(purpose, purpose).capitalize()} by the issuer: its bit in the "
        f"issuer's {purpose} list is set.",
        code,
    )


_PAST = {"revocation": "revoked", "suspension": "suspended"}


async def _list_credential(url: str, resolver: Resolver) -> ProofResult:
    text = await _list_text(url, resolver)
    if text.lstrip().startswith("{"):
        return await check_data_integrity(loads(text), resolver)
    return await check_jwt(text.strip(), resolver)


async def _list_text(url: str, resolver: Resolver) -> str:
    base = resolver.base_url
    if resolver.stores is not None and base and url.startswith(f"{base}/issuers/"):
        issuer, _, number = url.removeprefix(f"{base}/issuers/").partition("/status/")
        if number.isdigit():
            stores = resolver.stores
            text = await list_document(stores.ledger, stores.settings, issuer, int(number))
            if text is None:
                raise Unresolved(f"{url} is not a status list of this platform")
            return text
    return await resolver.text(url)


async def _list_problem(
    listed: ProofResult, credential: dict[str, Any], purpose: str, resolver: Resolver
) -> str | None:
    if listed.signature.passed is not True or listed.credential is None:
        return f"the status list's signature does not hold ({listed.signature.reason})"
    if issuer_id(listed.credential) != issuer_id(credential):
        return "the status list was issued by someone else than the credential"
    subject = listed.credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        return "the status list is for another purpose"
    return None


async def _our_issuer_check(check: Check, credential: dict[str, Any], resolver: Resolver) -> Check:
    """For our own issuers, add whether the platform verified the organisation."""
    did = issuer_id(credential) or ""
    issuer = resolver.our_issuer(did)
    if issuer is None or resolver.stores is None:
        return check
    async with resolver.stores.ledger.reading() as conn:
        org = await issuers.organization(conn, issuer)
    if org is None:
        note = "a club of this platform issued it (clubs are not verified issuers)."
    elif org.verification == "VERIFIED":
        note = "the issuer is an organisation verified by this platform."
    else:
        note = "the issuer's organisation is not (or no longer) verified by this platform."
    return Check(
        check.passed, f"Signed with the issuer's key from this platform's registry; {note}"
    )


async def _our_award(credential: dict[str, Any], resolver: Resolver) -> str | None:
    """The award behind one of our credentials (its id is urn:uuid:<award id>)."""
    issuer = resolver.our_issuer(issuer_id(credential) or "")
    identifier = str(credential.get("id") or "")
    if issuer is None or resolver.stores is None or not identifier.startswith("urn:uuid:"):
        return None
    async with resolver.stores.ledger.reading() as conn:
        row = await award_ledger.award(conn, identifier.removeprefix("urn:uuid:"))
    return str(row.id) if row is not None else None
