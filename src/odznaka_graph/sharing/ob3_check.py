"""Checking an imported Open Badges 3.0 credential. Proofs, issuer keys, status lists and
validity dates are checked by the credentials package (`credentials.verify.verify_document`,
the same verifier as verifyCredential); this module turns its report into findings, checks
the recipient against the user's verified e-mails, and makes the summary a profile shows."""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from odznaka_graph.credentials.verify import VerificationReport, verify_document
from odznaka_graph.services.base import Stores
from odznaka_graph.sharing.findings import (
    Checked,
    Findings,
    Summary,
    content_key,
    http_url,
    parse_date,
    text,
)
from odznaka_graph.sharing.reading import Submitted
from odznaka_graph.sharing.recipients import check_recipient

log = logging.getLogger(__name__)
# A failed check's code, as the status of the import.
FAILED = {"REVOKED": "REVOKED", "SUSPENDED": "REVOKED", "EXPIRED": "EXPIRED"}


async def check_ob3(
    submitted: Submitted,
    document: dict[str, Any],
    emails: Sequence[str],
    at: datetime,
    stores: Stores,
) -> Checked:
    found = Findings()
    report = await _verify(submitted.jws or document, stores, at, found)
    credential = _credential(document, report)
    _recipient(found, _subject(credential), emails)
    key = http_url(credential.get("id")) or str(credential.get("id") or "")
    kept = {"credential": credential} | ({"jws": submitted.jws} if submitted.jws else {})
    summary = _summary(credential)
    return Checked(
        "OB3", key or content_key(credential), kept, summary, found.status, found.reasons
    )


async def _verify(
    document: dict[str, Any] | str, stores: Stores, at: datetime, found: Findings
) -> VerificationReport | None:
    try:
        report = await verify_document(document, stores, at=at)
    except Exception:  # an outside document must never break the import itself
        log.exception("verifying an imported credential failed")
        found.problem("UNVERIFIED", "Its proof could not be checked.")
        return None
    for check in report.checks.values():
        if check.passed is True:
            found.ok(check.reason)
        elif check.passed is False:
            found.problem(FAILED.get(check.code or "", "INVALID"), check.reason)
        else:
            found.problem("UNVERIFIED", check.reason)
    return report


def _credential(document: dict[str, Any], report: VerificationReport | None) -> dict[str, Any]:
    """The credential itself: a VC-JWT's payload credential, or a VCDM 1.1 JWT's `vc`."""
    if report is not None and report.credential is not None:
        return report.credential
    return document["vc"] if isinstance(document.get("vc"), dict) else document


def _subject(credential: dict[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    return subject if isinstance(subject, dict) else {}


def _recipient(found: Findings, subject: dict[str, Any], emails: Sequence[str]) -> None:
    identifiers = subject.get("identifier")
    items = identifiers if isinstance(identifiers, list) else [identifiers] if identifiers else []
    for item in items:
        if isinstance(item, dict) and str(item.get("identityType")) in ("emailAddress", "email"):
            check_recipient(
                found,
                "email",
                str(item.get("identityHash") or ""),
                bool(item.get("hashed")),
                str(item.get("salt") or ""),
                emails,
            )
            return
    subject_id = str(subject.get("id") or "")
    if subject_id.startswith("mailto:"):
        check_recipient(found, "email", subject_id.removeprefix("mailto:"), False, "", emails)
        return
    kind = "a DID" if subject_id.startswith("did:") else "no e-mail address"
    check_recipient(found, kind, "", False, "", emails)


def _summary(credential: dict[str, Any]) -> Summary:
    achievement = _subject(credential).get("achievement") or {}
    issuer = credential.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    return Summary(
        name=text(achievement.get("name"), 300) or text(credential.get("name"), 300) or "—",
        description=text(achievement.get("description")) or text(credential.get("description")),
        image_url=http_url(achievement.get("image")) or http_url(credential.get("image")),
        issuer_name=text(issuer.get("name"), 300),
        issuer_url=http_url(issuer.get("url")) or http_url(issuer.get("id")),
        issued_on=parse_date(
            credential.get("validFrom")
            or credential.get("issuanceDate")
            or credential.get("awardedDate")
        ),
        expires_at=parse_date(credential.get("validUntil") or credential.get("expirationDate")),
        credential_url=http_url(credential.get("id")),
    )
