"""Our verifier on other issuers' Open Badges 3.0 credentials: did:key offline, did:web
and status lists over HTTP (from a loopback server here, only because the settings allow
loopback; otherwise HTTPS to public addresses only), and the reasons it gives."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import pytest

from odznaka_graph.credentials import keys, status, verify_document
from odznaka_graph.credentials.did import did_document
from odznaka_graph.credentials.fetch import Fetcher
from odznaka_graph.credentials.jsonld import OB_V3, VC_V2
from odznaka_graph.credentials.keys import KeyKind, PublicKey
from odznaka_graph.credentials.signing import add_data_integrity_proof, sign_jwt
from odznaka_graph.runtime import Runtime

NOW = datetime.now(UTC)


class Site:
    """A stand-in for another issuer's web server, on loopback."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def put(self, path: str, document: Any) -> None:
        text = document if isinstance(document, str) else json.dumps(document)
        self.files[path] = text.encode()


@pytest.fixture
def site() -> Iterator[Site]:
    found = Site()
    yield found
    found.server.shutdown()
    found.server.server_close()


class Issuer:
    def __init__(self, did: str) -> None:
        self.did = did
        der, public = keys.generate(KeyKind.ED25519)
        self.key, self.public = keys.load_private(der), PublicKey(KeyKind.ED25519, public, NOW)
        der, jwk = keys.generate(KeyKind.P256)
        self.jwt_key, self.jwk = keys.load_private(der), PublicKey(KeyKind.P256, jwk, NOW)

    def method(self, public: PublicKey) -> str:
        return f"{self.did}#{public.fragment}"

    def sign(self, credential: dict[str, Any]) -> dict[str, Any]:
        return add_data_integrity_proof(credential, self.key, self.method(self.public), NOW, {})

    def sign_jwt(self, credential: dict[str, Any]) -> str:
        return sign_jwt(credential, self.jwt_key, self.method(self.jwk))


def credential(issuer: str, **more: Any) -> dict[str, Any]:
    return {
        "@context": [VC_V2, OB_V3],
        "id": "https://badges.example.org/assertions/1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Robotics",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.org/achievements/robotics",
                "type": ["Achievement"],
                "name": "Robotics",
                "description": "Builds robots.",
                "criteria": {"narrative": "Build one robot."},
            },
        },
        **more,
    }


def loopback(runtime: Runtime) -> Fetcher:
    return Fetcher(allow_loopback=True)


async def test_a_did_key_credential_verifies_offline(runtime: Runtime) -> None:
    der, public = keys.generate(KeyKind.ED25519)
    issuer = Issuer(f"did:key:{public}")
    issuer.key, issuer.public = keys.load_private(der), PublicKey(KeyKind.ED25519, public, NOW)
    signed = issuer.sign(credential(issuer.did))
    report = await verify_document(signed, runtime.services.stores)
    assert report.outcome == "VALID", report.reasons
    assert "did:key" in report.issuer.reason
    assert "no status entry" in report.status.reason
    assert report.award_id is None


async def test_a_did_web_credential_with_a_status_list_over_loopback(
    runtime: Runtime, site: Site
) -> None:
    did = f"did:web:{quote(site.host, safe='')}:org"
    issuer = Issuer(did)
    site.put("/org/did.json", did_document(did, [issuer.public, issuer.jwk]))
    list_url = f"http://{site.host}/status/1"
    entry = status.entry(list_url, 42)

    def publish(revoked: list[int]) -> None:
        unsigned = status.list_credential(list_url, did, "2024-01-01T00:00:00Z", revoked)
        site.put("/status/1", issuer.sign(unsigned))

    publish([])
    signed = issuer.sign(credential(did, credentialStatus=entry))
    token = issuer.sign_jwt(credential(did, credentialStatus=entry))
    stores = runtime.services.stores
    for document in (signed, token):
        report = await verify_document(document, stores, fetcher=loopback(runtime))
        assert report.outcome == "VALID", report.reasons
        assert f"http://{site.host}/org/did.json" in report.issuer.reason

    publish([42])
    report = await verify_document(token, stores, fetcher=loopback(runtime))
    assert report.outcome == "REVOKED"

    # Without leave to call loopback (the default), nothing is fetched from it.
    refused = await verify_document(signed, stores)
    assert refused.outcome == "UNVERIFIED"
    assert "is not an https:// address" in refused.signature.reason


async def test_a_status_list_signed_by_someone_else_does_not_count(
    runtime: Runtime, site: Site
) -> None:
    did = f"did:web:{quote(site.host, safe='')}"
    issuer, stranger = Issuer(did), Issuer(f"did:web:{quote(site.host, safe='')}:other")
    site.put("/.well-known/did.json", did_document(did, [issuer.public]))
    site.put("/other/did.json", did_document(stranger.did, [stranger.public]))
    list_url = f"http://{site.host}/list"
    site.put(
        list_url.split(site.host)[1],
        stranger.sign(status.list_credential(list_url, stranger.did, "2024-01-01T00:00:00Z", [])),
    )
    signed = issuer.sign(credential(did, credentialStatus=status.entry(list_url, 3)))
    report = await verify_document(signed, runtime.services.stores, fetcher=loopback(runtime))
    assert report.outcome == "UNVERIFIED"
    assert "issued by someone else" in report.status.reason


async def test_reasons_for_documents_that_cannot_be_checked(runtime: Runtime) -> None:
    stores = runtime.services.stores
    der, public = keys.generate(KeyKind.ED25519)
    did = f"did:key:{public}"
    issuer = Issuer(did)
    issuer.key, issuer.public = keys.load_private(der), PublicKey(KeyKind.ED25519, public, NOW)

    signed = issuer.sign(credential(did))
    unknown_context = {**signed, "@context": [*signed["@context"], "https://10.0.0.1/ctx.json"]}
    report = await verify_document(unknown_context, stores)
    assert report.outcome == "UNVERIFIED"
    assert "private or local address" in report.signature.reason

    old_suite = {**credential(did), "proof": {"type": "Ed25519Signature2020", "proofValue": "z1"}}
    report = await verify_document(old_suite, stores)
    assert report.outcome == "UNVERIFIED"
    assert "Ed25519Signature2020" in report.signature.reason

    unsigned = await verify_document(credential(did), stores)
    assert unsigned.outcome == "INVALID"
    assert unsigned.signature.reason == "The credential carries no proof."

    future = issuer.sign(credential(did, validFrom="2999-01-01T00:00:00Z"))
    report = await verify_document(future, stores)
    assert report.outcome == "NOT_YET_VALID"
