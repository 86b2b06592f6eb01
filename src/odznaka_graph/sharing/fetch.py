"""Fetching documents that an imported badge points to, through the outbound rules (public
https addresses only, pinned to the checked address, no redirects, small bodies)."""

from dataclasses import dataclass
from typing import Any

import orjson

from odznaka_graph import outbound
from odznaka_graph.outcomes import ImportReason, Reason

MAX_BYTES = 1_000_000
TIMEOUT_SECONDS = 5.0
ACCEPT = "application/ld+json, application/json;q=0.9"


class FetchFailed(Exception):
    """Why a URL was not fetched, in words safe to show to the user."""

    def __init__(self, message: str, reason: Reason) -> None:
        super().__init__(message)
        self.reason = reason  # ADDRESS_REFUSED when the outbound rules forbid the address


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    document: Any  # parsed JSON, or None when the body is not JSON


class Fetcher:
    def __init__(self, allow_loopback: bool = False, resolve: outbound.Resolve | None = None):
        self.policy = outbound.Policy(allow_loopback, resolve or outbound.system_resolve)

    async def get(self, url: str) -> Fetched:
        try:
            answer = await outbound.fetch(
                url, self.policy, accept=ACCEPT, seconds=TIMEOUT_SECONDS, max_bytes=MAX_BYTES
            )
        except outbound.Refused as refused:
            refused_address = isinstance(refused, outbound.AddressRefused)
            why = ImportReason.ADDRESS_REFUSED if refused_address else ImportReason.FETCH_FAILED
            raise FetchFailed(str(refused), why) from None
        return Fetched(url, answer.status, _json_or_none(answer.body))


def _json_or_none(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
