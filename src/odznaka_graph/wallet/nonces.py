"""Key-proof nonces (`c_nonce`) that cost the nonce endpoint no write: the expiry and 16
random bytes, MACed with the platform's secret. A nonce is written down only when a proof
uses it (wallet_nonces, keyed by the nonce), which is what makes it single use."""

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

MAC_BYTES = 16


def make(secret: bytes, expires_at: datetime) -> str:
    body = f"{int(expires_at.timestamp())}.{_b64(secrets.token_bytes(16))}"
    return f"{body}.{_mac(secret, body)}"


def expiry(secret: bytes, nonce: str, at: datetime) -> datetime | None:
    """When the nonce expires, if we made it and it has not; None otherwise."""
    body, _, mac = nonce.rpartition(".")
    if not body or not hmac.compare_digest(mac.encode(), _mac(secret, body).encode()):
        return None
    expires = datetime.fromtimestamp(int(body.split(".")[0]), UTC)
    return expires if expires > at else None


def _mac(secret: bytes, body: str) -> str:
    digest = hmac.new(secret, f"c_nonce:{body}".encode(), hashlib.sha256).digest()
    return _b64(digest[:MAC_BYTES])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
