"""Bitstring Status List v1.0: entries in credentials, the list credential, and its bits
(index 0 is the most significant bit of byte 0; GZIP, base64url without padding, `u`)."""

import base64
import gzip
import io
from collections.abc import Iterable
from typing import Any

from odznaka_graph.credentials.jsonld import VC_V2

LIST_BITS = 131_072  # the specification's minimum (16 KiB), and our list size
PURPOSE = "revocation"
TTL_MS = 300_000  # verifiers may cache a list for five minutes


def list_url(base_url: str, issuer_id: str, list_no: int) -> str:
    return f"{base_url}/issuers/{issuer_id}/status/{list_no}"


def entry(url: str, index: int) -> dict[str, Any]:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encode(set_bits: Iterable[int], size: int = LIST_BITS) -> str:
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def is_set(encoded: str, index: int, max_bytes: int = 16 * 1024 * 1024) -> bool:
    """The bit at `index`; ValueError when the list is malformed or too short."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not base64url multibase (u...)")
    body = encoded[1:]
    packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as stream:
        bits = stream.read(max_bytes + 1)
    if len(bits) > max_bytes:
        raise ValueError("status list too large")
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list of {len(bits) * 8}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def list_credential(
    url: str, issuer: str, valid_from: str, revoked: Iterable[int]
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential for one issuer's list."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked),
            "ttl": TTL_MS,
        },
    }
