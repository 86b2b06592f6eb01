"""Persisted and trusted documents: a client may send a document's sha256 hash instead of
its text, and the server may run only documents it knows.

Two forms of the hash are read from a GraphQL request body:
- Apollo's automatic persisted queries (APQ): `extensions.persistedQuery =
  {"version": 1, "sha256Hash": "<hex>"}`. A hash alone is answered with the stored text
  or PERSISTED_QUERY_NOT_FOUND, on which the client sends hash and text; the text is then
  checked against the hash and remembered (in this process, least recently used dropped
  first), so its next requests need only the hash.
- GraphQL-over-HTTP trusted documents: `documentId: "sha256:<hex>"`. Never registers.

Known documents are a manifest (a JSON object hash -> text, as Relay, GraphQL Codegen and
Apollo's persisted query manifest generator write them; every hash checked at load) and
the ones registered by APQ. With `trusted_only`, only the manifest's documents run, by
text or by hash, and APQ registers nothing.

The module knows nothing of the schema or the HTTP framework: `PersistedDocuments.resolve`
takes the parsed body and gives it back with its `query`, or raises `DocumentError`.
"""

import hashlib
import json
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_TRUSTED = "DOCUMENT_NOT_TRUSTED"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_DOCUMENT_ID_PREFIX = "sha256:"
_APOLLO_MANIFEST = "apollo-persisted-query-manifest"


class DocumentError(Exception):
    """A request whose document cannot run; `code` is stable (extensions.code)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def formatted(self) -> dict[str, Any]:
        """As one entry of a GraphQL response's `errors`."""
        return {"message": self.message, "extensions": {"code": self.code}}


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load_manifest(path: Path) -> dict[str, str]:
    """hash -> text from a manifest file; a hash that is not the sha256 of its text (or a
    file that is not a manifest) stops the start-up with the reason."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and data.get("format") == _APOLLO_MANIFEST:
        data = {item["id"]: item["body"] for item in data.get("operations", [])}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a manifest is a JSON object of sha256 hash -> document")
    documents: dict[str, str] = {}
    for key, text in data.items():
        digest = key.removeprefix(_DOCUMENT_ID_PREFIX).lower()
        if not isinstance(text, str) or sha256_hex(text) != digest:
            raise ValueError(f"{path}: the document under {key!r} does not have that sha256")
        documents[digest] = text
    return documents


class _Registered:
    """Documents registered by APQ, within `capacity` characters in all, least recently
    used dropped first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self.texts: OrderedDict[str, str] = OrderedDict()

    def get(self, digest: str) -> str | None:
        text = self.texts.get(digest)
        if text is not None:
            self.texts.move_to_end(digest)
        return text

    def add(self, digest: str, text: str) -> None:
        if len(text) > self.capacity or digest in self.texts:
            return
        self.texts[digest] = text
        self.size += len(text)
        while self.size > self.capacity:
            _, dropped = self.texts.popitem(last=False)
            self.size -= len(dropped)


class PersistedDocuments:
    """The documents this process knows by hash; made once per app."""

    def __init__(
        self, manifest: Path | None = None, trusted_only: bool = False, cache_chars: int = 0
    ) -> None:
        if trusted_only and manifest is None:
            raise ValueError("TRUSTED_DOCUMENTS_ONLY needs a TRUSTED_DOCUMENTS_MANIFEST")
        self.manifest = load_manifest(manifest) if manifest is not None else {}
        self.trusted_texts = frozenset(self.manifest.values())
        self.trusted_only = trusted_only
        self.registered = _Registered(0 if trusted_only else cache_chars)

    def resolve(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body` with its `query`: as sent (checked against its hash when both came), or
        the known text of its hash. Raises DocumentError when it may not run."""
        query = body.get("query")
        extensions = body.get("extensions")
        persisted = extensions.get("persistedQuery") if type(extensions) is dict else None
        document_id = body.get("documentId")
        if persisted is None and document_id is None:
            if query is None or not self.trusted_only:
                return body
            if isinstance(query, str) and query in self.trusted_texts:
                return body
            raise DocumentError(NOT_TRUSTED, "Only the server's trusted documents run here.")
        digest = _digest(persisted, document_id)
        known = self.manifest.get(digest) or self.registered.get(digest)
        if known is None:
            _checked(digest)
        if query is None:
            if known is None:
                raise self._unknown()
            return {**body, "query": known}
        if not isinstance(query, str):
            return body  # not a document: the GraphQL layer refuses it
        if known is not None and known != query:
            raise _mismatch()
        if known is None:
            self._learn(digest, query, register=persisted is not None)
        return body

    def _unknown(self) -> DocumentError:
        if self.trusted_only:
            return DocumentError(NOT_TRUSTED, "No trusted document has this hash.")
        # The messages are the ones Apollo clients compare (older ones read no code).
        if self.registered.capacity == 0:
            return DocumentError(NOT_SUPPORTED, "PersistedQueryNotSupported")
        return DocumentError(NOT_FOUND, "PersistedQueryNotFound")

    def _learn(self, digest: str, query: str, register: bool) -> None:
        if sha256_hex(query) != digest:
            raise _mismatch()
        if self.trusted_only:
            raise DocumentError(NOT_TRUSTED, "Only the server's trusted documents run here.")
        if register:
            self.registered.add(digest, query)


def _mismatch() -> DocumentError:
    return DocumentError(HASH_MISMATCH, "The document's sha256 hash is not the one sent.")


def _digest(persisted: Any, document_id: Any) -> str:
    """The lower-case sha256 the request names (both forms must agree); its form is checked
    by `_checked` only when it is not known."""
    digest = None
    if persisted is not None:
        if type(persisted) is not dict or persisted.get("version") != 1:
            raise DocumentError(NOT_SUPPORTED, "Only persistedQuery version 1 is supported.")
        digest = str(persisted.get("sha256Hash")).lower()
    if document_id is not None:
        if not isinstance(document_id, str) or not document_id.startswith(_DOCUMENT_ID_PREFIX):
            raise DocumentError(NOT_SUPPORTED, "A documentId is `sha256:` and 64 hex digits.")
        named = document_id[len(_DOCUMENT_ID_PREFIX) :].lower()
        if digest is not None and named != digest:
            raise _mismatch()
        digest = named
    assert digest is not None
    return digest


def _checked(digest: str) -> str:
    if not _SHA256_HEX.fullmatch(digest):
        raise DocumentError(NOT_SUPPORTED, "A document hash is 64 hex digits of sha256.")
    return digest
