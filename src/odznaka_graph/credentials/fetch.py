"""Fetching other issuers' DID documents, status lists and contexts, and nothing else:
HTTPS to public addresses only (a pasted document must not make us call our own
network), plain HTTP to loopback only when allowed (tests), small bodies, no redirects."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

from odznaka_graph.credentials.did import is_loopback


class FetchError(Exception):
    """Why a URL was not fetched or gave no usable answer (safe to show)."""


class Fetcher:
    def __init__(
        self, allow_loopback: bool = False, timeout: float = 5.0, max_bytes: int = 2_000_000
    ) -> None:
        self.allow_loopback = allow_loopback
        self.timeout = timeout
        self.max_bytes = max_bytes

    async def get(self, url: str) -> str:
        await self._check(url)
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                async with client.stream("GET", url, headers=_ACCEPT) as response:
                    if response.status_code != 200:
                        raise FetchError(f"{url} answered HTTP {response.status_code}")
                    body = await self._read(response)
        except httpx.HTTPError as error:
            raise FetchError(f"{url} could not be fetched ({type(error).__name__})") from None
        return body.decode("utf-8", errors="replace")

    async def _read(self, response: httpx.Response) -> bytes:
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{response.url} sent more than {self.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _check(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        loopback = self.allow_loopback and is_loopback(host)
        if parts.scheme != "https" and not (loopback and parts.scheme == "http"):
            raise FetchError(f"{url} is not an https:// address")
        for address in await _addresses(host, parts.port):
            if not (address.is_global or (loopback and address.is_loopback)):
                raise FetchError(f"{url} points to a private or local address")


async def _addresses(
    host: str, port: int | None
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except OSError:
        raise FetchError(f"{host} could not be resolved") from None
    return [ipaddress.ip_address(info[4][0]) for info in infos]


_ACCEPT = {"Accept": "application/did+json, application/ld+json, application/json, */*;q=0.5"}
