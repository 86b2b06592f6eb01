"""Outbound fetches connect to the address they checked: a DNS answer that changes after
the check (rebinding) or a name with one private address among public ones reaches nothing."""

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from odznaka_graph.credentials.fetch import Fetcher as DidFetcher
from odznaka_graph.credentials.fetch import FetchError
from odznaka_graph.outbound import Address
from odznaka_graph.sharing.fetch import Fetcher, FetchFailed


class Site(ThreadingHTTPServer):
    hits = 0


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.server.hits += 1  # type: ignore[attr-defined]
        body = b'{"served": "by the checked address"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class Rebinding:
    """A name server of our own that answers loopback first and an internal address after."""

    def __init__(self, *answers: str) -> None:
        self.answers = [ipaddress.ip_address(a) for a in answers]
        self.asked = 0

    async def __call__(self, host: str, port: int) -> list[Address]:
        self.asked += 1
        return [self.answers[min(self.asked, len(self.answers)) - 1]]


async def test_the_connection_goes_to_the_address_that_was_checked(site: Site) -> None:
    resolve = Rebinding("127.0.0.1", "169.254.169.254")
    port = site.server_address[1]
    fetched = await Fetcher(allow_loopback=True, resolve=resolve).get(
        f"http://rebinding.example:{port}/badge.json"
    )
    assert fetched.document == {"served": "by the checked address"}
    assert resolve.asked == 1


async def test_a_name_with_any_private_address_is_refused_before_connecting(site: Site) -> None:
    async def mixed(host: str, port: int) -> list[Address]:
        return [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("127.0.0.1")]

    before = site.hits
    with pytest.raises(FetchFailed, match="private or local address"):
        await Fetcher(resolve=mixed).get("https://mixed.example/badge.json")
    with pytest.raises(FetchError, match="private or local address"):
        await DidFetcher(resolve=mixed).get("https://mixed.example/did.json")
    assert site.hits == before


async def test_plain_http_and_loopback_need_leave(site: Site) -> None:
    port = site.server_address[1]
    with pytest.raises(FetchFailed, match="not an https:// address"):
        await Fetcher().get(f"http://127.0.0.1:{port}/badge.json")
    with pytest.raises(FetchError, match="private or local address"):
        await DidFetcher().get(f"https://127.0.0.1:{port}/did.json")
