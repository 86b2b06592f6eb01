"""Where verification gets what a credential points to: verification methods (did:key
offline, our own did:web from the ledger, other did:web over the guarded fetcher), status
list credentials (ours from the ledger), and JSON-LD contexts that are not shipped."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from odznaka_graph.credentials import extension
from odznaka_graph.credentials.did import (
    did_document,
    did_key_method,
    did_web_url,
    find_method,
    issuer_of,
)
from odznaka_graph.credentials.fetch import Fetcher, FetchError
from odznaka_graph.credentials.jsonld import context_urls, loads, shipped_context
from odznaka_graph.credentials.keyring import public_keys
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.settings import Settings

MAX_CONTEXT_DEPTH = 3
# Remote documents one verification may fetch (DIDs, lists, contexts): a pasted document
# must not make the server crawl the web.
MAX_FETCHES = 8


class StoresLike(Protocol):
    @property
    def ledger(self) -> Ledger: ...

    @property
    def settings(self) -> Settings: ...


class Unresolved(Exception):
    """A key, list or context could not be had; the message says why (safe to show)."""


@dataclass
class Resolver:
    stores: StoresLike | None
    fetcher: Fetcher
    contexts: dict[str, Any] = field(default_factory=dict)
    fetches: int = 0

    @property
    def base_url(self) -> str | None:
        return self.stores.settings.public_base_url if self.stores else None

    def our_issuer(self, did: str) -> str | None:
        return issuer_of(self.base_url, did) if self.base_url else None

    async def method(self, method_id: str) -> tuple[dict[str, Any], str]:
        """(verification method, where it came from) for a DID URL."""
        if method_id.startswith("did:key:"):
            try:
                return did_key_method(method_id), "did:key (the key is the identifier)"
            except ValueError as error:
                raise Unresolved(str(error)) from None
        if not method_id.startswith("did:web:"):
            raise Unresolved(f"{method_id} is not a did:key or did:web key this verifier resolves")
        document, source = await self._did_web(method_id.split("#", 1)[0])
        method = find_method(document, method_id)
        if method is None:
            raise Unresolved(f"the issuer's DID document does not list {method_id} for issuing")
        return method, source

    async def _did_web(self, did: str) -> tuple[dict[str, Any], str]:
        issuer_id = self.our_issuer(did)
        if issuer_id is not None and self.stores is not None:
            async with self.stores.ledger.reading() as conn:
                keys = await public_keys(conn, issuer_id)
            if not keys:
                raise Unresolved(f"{did} names no issuer of this platform")
            return did_document(did, keys), "this platform's issuer registry"
        url = did_web_url(did)
        document = await self.json(url)
        if not isinstance(document, dict) or document.get("id") != did:
            raise Unresolved(f"{url} is not the DID document of {did}")
        return document, url

    async def json(self, url: str) -> Any:
        try:
            return loads(await self.text(url))
        except ValueError:
            raise Unresolved(f"{url} did not answer with JSON") from None

    async def text(self, url: str) -> str:
        self.fetches += 1
        if self.fetches > MAX_FETCHES:
            raise Unresolved(f"the credential needs more than {MAX_FETCHES} remote documents")
        try:
            return await self.fetcher.get(url)
        except FetchError as error:
            raise Unresolved(str(error)) from None

    async def load_contexts(self, document: Any) -> None:
        """Have every context the document names, before canonicalising offline."""
        wanted = context_urls(document)
        for _ in range(MAX_CONTEXT_DEPTH):
            missing = {url for url in wanted if not self._have(url)}
            if not missing:
                return
            for url in sorted(missing):
                self.contexts[url] = self._own_context(url) or await self.json(url)
            wanted = context_urls(list(self.contexts.values()))
        raise Unresolved("the credential's JSON-LD contexts nest too deeply")

    def _have(self, url: str) -> bool:
        return url in self.contexts or shipped_context(url) is not None

    def _own_context(self, url: str) -> dict[str, Any] | None:
        base = self.base_url
        if base and url == extension.context_url(base):
            return extension.context(base)
        return None
