"""What checking an imported credential found: a status, the reasons, and the summary a
profile shows. Reasons are public (they appear on the profile): never name an address."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

# The worst finding decides the status.
STATUSES = ("INVALID", "REVOKED", "NOT_RECIPIENT", "EXPIRED", "UNREACHABLE", "UNVERIFIED")
VERIFIED = "VERIFIED"


@dataclass
class Findings:
    reasons: list[str] = field(default_factory=list)
    problems: set[str] = field(default_factory=set)

    def ok(self, reason: str) -> None:
        self.reasons.append(reason)

    def problem(self, status: str, reason: str) -> None:
        assert status in STATUSES
        self.problems.add(status)
        self.reasons.append(reason)

    @property
    def status(self) -> str:
        return next((status for status in STATUSES if status in self.problems), VERIFIED)


@dataclass(frozen=True)
class Summary:
    name: str
    description: str | None = None
    image_url: str | None = None
    issuer_name: str | None = None
    issuer_url: str | None = None
    issued_on: datetime | None = None
    expires_at: datetime | None = None
    credential_url: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in vars(self).items()
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Summary":
        return cls(
            name=str(data.get("name") or "—"),
            description=data.get("description"),
            image_url=data.get("image_url"),
            issuer_name=data.get("issuer_name"),
            issuer_url=data.get("issuer_url"),
            issued_on=parse_date(data.get("issued_on")),
            expires_at=parse_date(data.get("expires_at")),
            credential_url=data.get("credential_url"),
        )


@dataclass(frozen=True)
class Checked:
    format: str  # OB2 or OB3
    key: str  # what makes two imports the same credential
    document: dict[str, Any]  # what was checked, as kept
    summary: Summary
    status: str
    reasons: list[str]

    @property
    def key_hash(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()


def content_key(document: Any) -> str:
    """For documents with no URL of their own: their canonical JSON."""
    canonical = orjson.dumps(document, option=orjson.OPT_SORT_KEYS).decode()
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def parse_date(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)  # Open Badges 1.x wrote Unix times
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def http_url(value: Any) -> str | None:
    """A URL worth linking to; data: URIs and other schemes are dropped."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value[:2000]
    return None


def text(value: Any, limit: int = 2000) -> str | None:
    if isinstance(value, dict):  # a JSON-LD language map
        value = value.get("pl") or value.get("en") or next(iter(value.values()), None)
    return str(value)[:limit] if isinstance(value, str | int | float) and value != "" else None
