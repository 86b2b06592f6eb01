"""Requests to other servers (imported badges, issuers' DID documents, status lists) that
cannot be turned into a proxy into our own network.

The name is resolved once, every address is checked, and the connection goes to a checked
address: the HTTP client never resolves the name again, so a DNS answer that changes between
the check and the connection (DNS rebinding) reaches nothing. TLS still verifies the
certificate against the host name. https:// only, to public addresses; with `allow_loopback`
(tests) also http:// and https:// to loopback. No redirects, small bodies, short timeouts."""

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolve = Callable[[str, int], Awaitable[list[Address]]]


class Refused(Exception):
    """Why a URL was not fetched, in words safe to show to the user."""


class AddressRefused(Refused):
    """The policy forbids the address itself (not https, private or local): no retry helps."""


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    body: bytes


async def system_resolve(host: str, port: int) -> list[Address]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise Refused(f"The host {host} could not be resolved.") from None
    return [ipaddress.ip_address(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Policy:
    allow_loopback: bool = False
    resolve: Resolve = system_resolve

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise AddressRefused(f"{url} is not an https:// address.")
        if parts.scheme == "http" and not self.allow_loopback:
            raise AddressRefused(f"{url} is not an https:// address.")

    def allows(self, address: Address, scheme: str) -> bool:
        if self.allow_loopback and address.is_loopback:
            return True
        return scheme == "https" and address.is_global


async def fetch(url: str, policy: Policy, *, accept: str, seconds: float, max_bytes: int) -> Answer:
    """GET `url` under `policy`; Refused for a URL or address the policy forbids, for an
    unreachable server and for a body over `max_bytes`."""
    policy.check_url(url)
    backend = _PinnedBackend(policy, urlsplit(url).scheme)
    transport = httpx.AsyncHTTPTransport()
    # httpx builds its pool without a way to name the network backend; ours is the only
    # change, so TLS, HTTP/1.1 and timeouts stay httpx's own.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=backend
    )
    try:
        async with (
            httpx.AsyncClient(transport=transport, timeout=seconds) as client,
            client.stream("GET", url, headers={"Accept": accept}) as response,
        ):
            body = await _read_capped(response, max_bytes)
    except httpx.HTTPError as error:
        raise Refused(f"{url} could not be fetched ({type(error).__name__}).") from None
    return Answer(url, response.status_code, body)


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the policy allows, resolved once per connection."""

    def __init__(self, policy: Policy, scheme: str) -> None:
        self.policy = policy
        self.scheme = scheme
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.policy.resolve(host, port)
        if not addresses or not all(self.policy.allows(a, self.scheme) for a in addresses):
            if self.scheme == "http":  # plain http goes to loopback only, for tests
                raise AddressRefused(f"http://{host} is not an https:// address.")
            raise AddressRefused(f"{host} points to a private or local address.")
        return await self.inner.connect_tcp(
            str(addresses[0]), port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("Unix sockets are not fetched.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise Refused(f"{response.url} answered with more than {max_bytes} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
