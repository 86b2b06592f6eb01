"""IETF Token Status List (the status mechanism SD-JWT VCs use): one bit per credential,
index 0 the least significant bit of byte 0, ZLIB-compressed and base64url-encoded, in a
JWT (`typ: statuslist+jwt`) whose `sub` is the list's own address.

Each award keeps the slot of its issuer's Bitstring Status List (credentials/lists.py): the
same (list, index) names it in both lists, so one allocation serves every format."""

import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from joserfc.jwk import ECKey

from odznaka_graph.credentials.status import LIST_BITS
from odznaka_graph.wallet.sd_jwt import ALGORITHM, b64url, b64url_decode, sign_jwt

TYP = "statuslist+jwt"
MEDIA_TYPE = "application/statuslist+jwt"
TTL_SECONDS = 300  # how long a relying party may cache a list
VALID, INVALID = 0, 1


def list_url(base_url: str, issuer_id: str, list_no: int) -> str:
    return f"{base_url}/issuers/{issuer_id}/token-status/{list_no}"


def reference(url: str, index: int) -> dict[str, Any]:
    """The `status` claim of a credential in the list at `url`."""
    return {"status_list": {"idx": index, "uri": url}}


def encode(invalid: Iterable[int], size: int = LIST_BITS) -> str:
    bits = bytearray(size // 8)
    for index in invalid:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 1 << (index % 8)
    return b64url(zlib.compress(bytes(bits), 9))


def status_of(lst: str, index: int) -> int:
    """The status at `index` of an encoded list (1-bit entries)."""
    bits = zlib.decompress(b64url_decode(lst))
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list")
    return (bits[index // 8] >> (index % 8)) & 1


def token(
    url: str,
    issuer: str,
    invalid: Iterable[int],
    key: ECKey,
    names: Mapping[str, Any],
    at: datetime,
) -> str:
    """The signed Status List Token for one list; `names` names its key (`kid`, `x5c`)."""
    issued = int(at.timestamp())
    claims = {
        "sub": url,
        "iss": issuer,
        "iat": issued,
        "exp": issued + 24 * 3600,
        "ttl": TTL_SECONDS,
        "status_list": {"bits": 1, "lst": encode(invalid)},
    }
    return sign_jwt({"alg": ALGORITHM, "typ": TYP, **names}, claims, key)
