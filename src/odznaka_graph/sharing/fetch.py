"""Fetching documents that an imported badge points to, without becoming a proxy into
private networks: https only, to public addresses only, no redirects, small bodies, short
timeouts. Tests (IMPORT_ALLOW_LOOPBACK) may also fetch http:// from loopback hosts."""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

MAX_BYTES = 1_000_000
TIMEOUT_SECONDS = 5.0
ACCEPT = "application/ld+json, application/json;q=0.9"


class FetchFailed(Exception):
    """Why a URL was not fetched, in words safe to show to the user."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    document: Any  # parsed JSON, or None when the body is not JSON


class Fetcher:
    def __init__(self, allow_loopback: bool = False) -> None:
        self.allow_loopback = allow_loopback

    async def get(self, url: str) -> Fetched:
        await self._check(url)
        try:
            async with (
                httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client,
                client.stream("GET", url, headers={"Accept": ACCEPT}) as response,
            ):
                body = await _read_capped(response)
        except httpx.HTTPError as error:
            raise FetchFailed(f"{url} did not answer ({type(error).__name__}).") from None
        return Fetched(url, response.status_code, _json_or_none(body))

    async def _check(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("https", "http") or not host:
            raise FetchFailed(f"{url} is not an http(s) address.")
        if parts.scheme == "http" and not self.allow_loopback:
            raise FetchFailed(f"{url} is not an https address.")
        addresses = await _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        if self.allow_loopback and all(address.is_loopback for address in addresses):
            return
        if parts.scheme != "https":
            raise FetchFailed(f"{url} is not an https address.")
        if not all(address.is_global for address in addresses):
            raise FetchFailed(f"{url} points to a private network address.")


async def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise FetchFailed(f"The host {host} is unknown.") from None
    return [ipaddress.ip_address(info[4][0]) for info in infos]


async def _read_capped(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchFailed(f"{response.url} answered with more than {MAX_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _json_or_none(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
