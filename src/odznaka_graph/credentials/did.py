"""DIDs: our issuers as `did:web:<host>:issuers:<id>`, did:web to URL, did:key decoding,
and DID documents (every key an issuer ever had stays listed, so old proofs verify)."""

import ipaddress
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from odznaka_graph.credentials.keys import KeyKind, PublicKey

DID_CONTEXTS = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/jwk/v1",
]


def did_for(base_url: str, issuer_id: str) -> str:
    return f"{_web_prefix(base_url)}:issuers:{issuer_id}"


def issuer_of(base_url: str, did: str) -> str | None:
    """Our issuer id when the DID (or DID URL) is one of this deployment's issuers."""
    head = f"{_web_prefix(base_url)}:issuers:"
    bare = did.split("#", 1)[0]
    if not bare.startswith(head):
        return None
    issuer_id = bare[len(head) :]
    return issuer_id if issuer_id and ":" not in issuer_id else None


def _web_prefix(base_url: str) -> str:
    parts = urlsplit(base_url)
    host = quote(parts.netloc, safe="")
    path = [quote(part, safe="") for part in parts.path.split("/") if part]
    return ":".join(["did:web", host, *path])


def did_web_url(did: str) -> str:
    """Where a did:web document lives (HTTPS; plain HTTP only for loopback hosts)."""
    segments = did.split("#", 1)[0].split(":")
    if len(segments) < 3 or segments[:2] != ["did", "web"] or not segments[2]:
        raise ValueError(f"not a did:web DID: {did}")
    host = unquote(segments[2])
    path = "/".join(unquote(part) for part in segments[3:]) or ".well-known"
    scheme = "http" if is_loopback(urlsplit(f"//{host}").hostname or "") else "https"
    return f"{scheme}://{host}/{path}/did.json"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def did_document(did: str, keys: list[PublicKey]) -> dict[str, Any]:
    methods = [key.method(did) for key in keys]
    # Retired keys stay as verification methods and assertion methods: a credential
    # signed before a rotation keeps verifying; new ones use the current key only.
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def find_method(document: dict[str, Any], method_id: str) -> dict[str, Any] | None:
    """The verification method, if the DID document lists it as an assertion method."""
    did = document.get("id")
    asserting = {_absolute(did, ref) for ref in _refs(document.get("assertionMethod"))}
    if method_id not in asserting:
        return None
    for method in document.get("verificationMethod") or []:
        if isinstance(method, dict) and _absolute(did, method.get("id")) == method_id:
            return method
    embedded = [m for m in document.get("assertionMethod") or [] if isinstance(m, dict)]
    return next((m for m in embedded if _absolute(did, m.get("id")) == method_id), None)


def _refs(values: Any) -> list[str]:
    items = values if isinstance(values, list) else []
    return [item if isinstance(item, str) else str(item.get("id")) for item in items]


def _absolute(did: Any, ref: Any) -> str:
    ref = str(ref)
    return f"{did}{ref}" if ref.startswith("#") else ref


def did_key_method(method_id: str) -> dict[str, Any]:
    """did:key is self-describing: its verification method is its own public key."""
    did, _, fragment = method_id.partition("#")
    multibase = did.removeprefix("did:key:")
    if not did.startswith("did:key:") or (fragment and fragment != multibase):
        raise ValueError(f"not a did:key verification method: {method_id}")
    return {
        "id": f"{did}#{multibase}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": multibase,
    }


def method_kind(method: dict[str, Any]) -> KeyKind | None:
    if isinstance(method.get("publicKeyMultibase"), str):
        value = method["publicKeyMultibase"]
        return KeyKind.ED25519 if value.startswith("z6Mk") else KeyKind.P256
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, dict) and jwk.get("crv") == "P-256":
        return KeyKind.P256
    return None
