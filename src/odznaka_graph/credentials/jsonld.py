"""JSON-LD without the network: shipped contexts, RDFC-1.0 canonicalisation, and JSON
parsed the way JavaScript verifiers parse it (so both sides canonicalise the same numbers)."""

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
}
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"


class ContextUnavailable(Exception):
    """A context the document needs is neither shipped nor fetched."""


@cache
def shipped_context(url: str) -> dict[str, Any] | None:
    name = CONTEXT_FILES.get(url)
    if name is None:
        return None
    text = resources.files("odznaka_graph.credentials").joinpath("contexts", name).read_text()
    return json.loads(text)  # type: ignore[no-any-return]


def loads(text: str | bytes) -> Any:
    """JSON as JavaScript reads it: 12.0 is the integer 12 (JSON-LD turns integers and
    doubles into different RDF literals, so the difference would break signatures)."""
    return json.loads(text, parse_float=_js_number)


def _js_number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 1e21 else value


def js_numbers(value: Any) -> Any:
    """The same normalisation for a document built in Python."""
    if isinstance(value, float):
        return _js_number(repr(value))
    if isinstance(value, Mapping):
        return {key: js_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [js_numbers(item) for item in value]
    return value


def context_urls(value: Any) -> set[str]:
    """Every context URL named anywhere in a document or context (scoped ones included)."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "@context":
                found |= _urls_in_context(item)
            found |= context_urls(item)
    elif isinstance(value, list):
        for item in value:
            found |= context_urls(item)
    return found


def _urls_in_context(context: Any) -> set[str]:
    if isinstance(context, str):
        return {context}
    if isinstance(context, list):
        return set().union(*(_urls_in_context(item) for item in context)) if context else set()
    if isinstance(context, Mapping):
        imported = context.get("@import")
        return {imported} if isinstance(imported, str) else set()
    return set()


def canonize(document: Mapping[str, Any], extra: Mapping[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) N-Quads of the document; contexts come from the shipped set
    and `extra` (URL -> context document) only. Raises ContextUnavailable, or
    ValueError when a property would be silently dropped (JSON-LD "safe mode")."""
    dropped: list[str | None] = []
    options: dict[str, Any] = {"documentLoader": _loader(extra)}
    expanded = jsonld.expand(dict(document), options, on_property_dropped=dropped.append)
    if dropped:
        raise ValueError(f"undefined terms: {', '.join(sorted(str(d) for d in dropped))}")
    normalize_options = options | {"algorithm": "URDNA2015", "format": "application/n-quads"}
    return str(jsonld.normalize(expanded, normalize_options))


def _loader(extra: Mapping[str, Any]) -> Any:
    def load(url: str, options: Any = None) -> dict[str, Any]:
        document = shipped_context(url) or extra.get(url)
        if document is None:
            raise ContextUnavailable(url)
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load
