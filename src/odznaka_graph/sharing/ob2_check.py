"""Checking an Open Badges 2.0 assertion with hosted verification: its hosted copy is the
authority (fetched from the assertion's id), the badge class and issuer profile must be
reachable, the assertion must be hosted on the issuer's origin, not revoked (410 Gone or
`revoked: true`), not expired, and issued to one of the user's verified e-mails."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.outcomes import ImportReason
from odznaka_graph.sharing.fetch import Fetched, Fetcher, FetchFailed
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

REQUIRED = ("recipient", "badge", "issuedOn")
COMPARED = ("recipient", "badge", "issuedOn", "expires")
HOSTED = {"hosted", "HostedBadge"}
SIGNED = {"signed", "SignedBadge"}


async def check_ob2(
    submitted: Submitted,
    fetcher: Fetcher,
    emails: Sequence[str],
    at: datetime,
    hosted: Fetched | None = None,
) -> Checked:
    """`hosted` is the copy already fetched when the user gave the assertion's URL."""
    found = Findings()
    field = submitted.field
    assertion, gone = await _assertion(submitted, fetcher, found, hosted)
    missing = [name for name in REQUIRED if not assertion.get(name)]
    if missing:
        raise ValidationFailed(
            {field: f"The assertion lacks {', '.join(missing)}."},
            reason=ImportReason.ASSERTION_INCOMPLETE,
        )
    badge = await _embedded_or_fetched(assertion["badge"], fetcher, field, "badge class")
    issuer = await _issuer(badge.get("issuer"), fetcher, found)
    _origin(assertion, issuer, found)
    _revocation(assertion, gone, found)
    _expiry(assertion, at, found)
    recipient = assertion["recipient"] if isinstance(assertion["recipient"], dict) else {}
    check_recipient(
        found,
        str(recipient.get("type") or "email"),
        str(recipient.get("identity") or ""),
        bool(recipient.get("hashed")),
        str(recipient.get("salt") or ""),
        emails,
    )
    own_id = http_url(assertion.get("id"))
    document = {"assertion": assertion, "badge": badge, "issuer": issuer}
    summary = _summary(assertion, badge, issuer, own_id)
    key = own_id or content_key(assertion)
    return Checked("OB2", key, document, summary, found.status, found.reasons)


async def _assertion(
    submitted: Submitted, fetcher: Fetcher, found: Findings, hosted: Fetched | None
) -> tuple[dict[str, Any], bool]:
    """The assertion to trust, and whether its host answered 410 Gone."""
    if hosted is not None:
        found.ok(f"Fetched from its hosted address {hosted.url}.")
        return hosted.document, hosted.status == 410
    pasted = submitted.document or {}
    kind = str((pasted.get("verification") or {}).get("type") or "hosted")
    if kind in SIGNED:
        found.problem("UNVERIFIED", "Signed Open Badges 2.0 assertions are not checked yet.")
        return pasted, False
    url = http_url(pasted.get("id"))
    if url is None:
        found.problem("UNVERIFIED", "It has no hosted copy to check it against (no URL id).")
        return pasted, False
    try:
        fetched = await fetcher.get(url)
    except FetchFailed as error:
        found.problem("UNREACHABLE", f"Its hosted copy could not be fetched: {error}")
        return pasted, False
    return _compare(pasted, fetched, found)


def _compare(
    pasted: dict[str, Any], fetched: Fetched, found: Findings
) -> tuple[dict[str, Any], bool]:
    if fetched.status == 410:
        return (fetched.document if isinstance(fetched.document, dict) else pasted), True
    if fetched.status != 200 or not isinstance(fetched.document, dict):
        found.problem("UNREACHABLE", f"Its hosted copy at {fetched.url} answered {fetched.status}.")
        return pasted, False
    hosted = fetched.document
    if any(pasted.get(name) != hosted.get(name) for name in COMPARED):
        found.problem("INVALID", "It differs from the copy its issuer hosts.")
    else:
        found.ok(f"It matches the copy its issuer hosts at {fetched.url}.")
    return hosted, False


async def fetch_assertion(fetcher: Fetcher, url: str, field: str) -> Fetched:
    """The document at a URL the user gave; without it there is nothing to import."""
    try:
        fetched = await fetcher.get(url)
    except FetchFailed as error:
        raise ValidationFailed(
            {field: f"Could not fetch the badge: {error}"}, reason=error.reason
        ) from None
    if fetched.status not in (200, 410) or not isinstance(fetched.document, dict):
        problem = "revoked by its issuer (410 Gone)" if fetched.status == 410 else "not found"
        raise ValidationFailed(
            {field: f"The badge at {url} is {problem} (HTTP {fetched.status})."},
            reason=ImportReason.FETCH_NOT_OK,
        )
    return fetched


async def _embedded_or_fetched(
    value: Any, fetcher: Fetcher, field: str, what: str
) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    url = http_url(value)
    if url is None:
        raise ValidationFailed(
            {field: f"Its {what} is neither embedded nor a URL."},
            reason=ImportReason.LINKED_PART_MISSING,
        )
    try:
        fetched = await fetcher.get(url)
    except FetchFailed as error:
        raise ValidationFailed(
            {field: f"Its {what} could not be fetched: {error}"}, reason=error.reason
        ) from None
    if fetched.status != 200 or not isinstance(fetched.document, dict):
        raise ValidationFailed(
            {field: f"Its {what} at {url} answered HTTP {fetched.status}."},
            reason=ImportReason.FETCH_NOT_OK,
        )
    return fetched.document


async def _issuer(value: Any, fetcher: Fetcher, found: Findings) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    url = http_url(value)
    if url is None:
        found.problem("INVALID", "Its badge class names no issuer.")
        return None
    try:
        fetched = await fetcher.get(url)
    except FetchFailed as error:
        found.problem("UNREACHABLE", f"Its issuer's profile could not be fetched: {error}")
        return None
    if fetched.status != 200 or not isinstance(fetched.document, dict):
        found.problem("UNREACHABLE", f"Its issuer's profile answered HTTP {fetched.status}.")
        return None
    found.ok(f"Its issuer's profile is published at {url}.")
    return fetched.document


def _origin(assertion: dict[str, Any], issuer: dict[str, Any] | None, found: Findings) -> None:
    """Hosted assertions must live where the issuer says its assertions live."""
    url = http_url(assertion.get("id"))
    issuer_url = http_url((issuer or {}).get("id"))
    if url is None or issuer_url is None:
        return
    scope = (issuer or {}).get("verification") or {}
    origins = _as_list(scope.get("allowedOrigins")) or [urlsplit(issuer_url).netloc]
    prefixes = _as_list(scope.get("startsWith"))
    hosted_there = urlsplit(url).netloc in origins
    if prefixes:
        hosted_there = hosted_there and any(url.startswith(prefix) for prefix in prefixes)
    if hosted_there:
        found.ok("It is hosted where its issuer publishes its assertions.")
    else:
        found.problem("INVALID", "It is not hosted where its issuer publishes its assertions.")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, list) else []


def _revocation(assertion: dict[str, Any], gone: bool, found: Findings) -> None:
    if gone or assertion.get("revoked") is True:
        reason = text(assertion.get("revocationReason"), 500)
        found.problem("REVOKED", "Revoked by its issuer" + (f": {reason}" if reason else "."))


def _expiry(assertion: dict[str, Any], at: datetime, found: Findings) -> None:
    expires = parse_date(assertion.get("expires"))
    if expires is not None and expires <= at:
        found.problem("EXPIRED", f"Expired on {expires.date().isoformat()}.")


def _summary(
    assertion: dict[str, Any],
    badge: dict[str, Any],
    issuer: dict[str, Any] | None,
    own_id: str | None,
) -> Summary:
    return Summary(
        name=text(badge.get("name"), 300) or "—",
        description=text(badge.get("description")),
        image_url=http_url(badge.get("image")),
        issuer_name=text((issuer or {}).get("name"), 300),
        issuer_url=http_url((issuer or {}).get("url")) or http_url((issuer or {}).get("id")),
        issued_on=parse_date(assertion.get("issuedOn")),
        expires_at=parse_date(assertion.get("expires")),
        credential_url=own_id,
    )
