"""Persisted and trusted documents (issue 13): a hash instead of the text, by Apollo's
automatic persisted queries and by GraphQL-over-HTTP `documentId`, over HTTP (POST and
GET) and graphql-transport-ws; and a mode that runs only the manifest's documents. Against
uvicorn processes on the session's Neo4j."""

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from odznaka_graph.persisted_documents import DocumentError, PersistedDocuments
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.live_helpers import Live

TRUSTED = "query Trusted { __typename }"
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def fresh() -> str:
    """A document no server has seen."""
    return f"query Q{uuid.uuid4().hex} {{ __typename }}"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("manifest") / "persisted-documents.json"
    path.write_text(json.dumps({sha(TRUSTED): TRUSTED}))
    return path


@pytest.fixture(scope="module")
def server(
    settings: Settings, manifest: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    var = tmp_path_factory.mktemp("persisted")
    with api_process(settings, var, TRUSTED_DOCUMENTS_MANIFEST=str(manifest)) as base:
        yield base


@pytest.fixture(scope="module")
def trusted_server(
    settings: Settings, manifest: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    var = tmp_path_factory.mktemp("trusted")
    env = {"TRUSTED_DOCUMENTS_MANIFEST": str(manifest), "TRUSTED_DOCUMENTS_ONLY": "true"}
    with api_process(settings, var, **env) as base:
        yield base


def post(base: str, body: dict[str, Any], accept: str = JSON) -> httpx.Response:
    return httpx.post(f"http://{base}/graphql", json=body, headers={"Accept": accept}, timeout=30)


def get(base: str, params: dict[str, str], accept: str = JSON) -> httpx.Response:
    headers = {"Accept": accept}
    return httpx.get(f"http://{base}/graphql", params=params, headers=headers, timeout=30)


def answered(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def refused(response: httpx.Response, status: int = 200) -> str:
    """The code of a refusal: no data, one error."""
    body = response.json()
    assert response.status_code == status and "data" not in body, body
    (error,) = body["errors"]
    return error["extensions"]["code"]  # type: ignore[no-any-return]


def test_a_hash_the_server_does_not_know_is_not_found(server: str) -> None:
    unknown = {"extensions": apq(sha(fresh()))}
    assert refused(post(server, unknown)) == "PERSISTED_QUERY_NOT_FOUND"
    assert refused(post(server, unknown, GRAPHQL_RESPONSE), 400) == "PERSISTED_QUERY_NOT_FOUND"
    got = get(server, {"extensions": json.dumps(unknown["extensions"])})
    assert refused(got) == "PERSISTED_QUERY_NOT_FOUND"


def test_hash_and_text_register_the_document_then_the_hash_alone_runs(server: str) -> None:
    text = fresh()
    assert answered(post(server, {"query": text, "extensions": apq(sha(text))}))
    assert answered(post(server, {"extensions": apq(sha(text))})) == {"__typename": "Query"}
    by_get = get(server, {"extensions": json.dumps(apq(sha(text)))})
    assert answered(by_get) == {"__typename": "Query"}


def test_a_hash_that_is_not_the_texts_is_refused_and_nothing_is_registered(server: str) -> None:
    named, sent = fresh(), fresh()
    mismatch = post(server, {"query": sent, "extensions": apq(sha(named))})
    assert refused(mismatch) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert refused(post(server, {"extensions": apq(sha(named))})) == "PERSISTED_QUERY_NOT_FOUND"
    assert refused(post(server, {"extensions": apq(sha(sent))})) == "PERSISTED_QUERY_NOT_FOUND"


def test_a_manifest_document_runs_by_its_document_id(server: str) -> None:
    document_id = f"sha256:{sha(TRUSTED)}"
    assert answered(post(server, {"documentId": document_id})) == {"__typename": "Query"}
    assert answered(get(server, {"documentId": document_id})) == {"__typename": "Query"}
    by_curl = get(server, {"documentId": document_id}, "*/*")  # not GraphiQL's page
    assert answered(by_curl) == {"__typename": "Query"}
    unknown = post(server, {"documentId": f"sha256:{sha(fresh())}"})
    assert refused(unknown) == "PERSISTED_QUERY_NOT_FOUND"
    assert refused(post(server, {"documentId": "md5:abc"})) == "PERSISTED_QUERY_NOT_SUPPORTED"


def test_trusted_documents_only_runs_the_manifests_documents(trusted_server: str) -> None:
    ad_hoc = fresh()
    assert refused(post(trusted_server, {"query": ad_hoc})) == "DOCUMENT_NOT_TRUSTED"
    strict = post(trusted_server, {"query": ad_hoc}, GRAPHQL_RESPONSE)
    assert refused(strict, 400) == "DOCUMENT_NOT_TRUSTED"
    registering = {"query": ad_hoc, "extensions": apq(sha(ad_hoc))}
    assert refused(post(trusted_server, registering)) == "DOCUMENT_NOT_TRUSTED"
    assert refused(post(trusted_server, {"extensions": apq(sha(ad_hoc))})) == "DOCUMENT_NOT_TRUSTED"
    expected = {"__typename": "Query"}
    assert answered(post(trusted_server, {"query": TRUSTED})) == expected
    assert answered(post(trusted_server, {"extensions": apq(sha(TRUSTED))})) == expected
    assert answered(post(trusted_server, {"documentId": f"sha256:{sha(TRUSTED)}"})) == expected


@asynccontextmanager
async def anonymous_socket(base: str) -> AsyncIterator[Live]:
    protocols = ["graphql-transport-ws"]
    async with websockets.connect(f"ws://{base}/graphql", subprotocols=protocols) as ws:  # type: ignore[arg-type]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        yield Live(ws)


async def subscribe(socket: Live, op: str, payload: dict[str, Any]) -> dict[str, Any]:
    await socket.ws.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))
    return await socket.message(op)


async def test_a_websocket_subscribe_may_send_a_hash(server: str, trusted_server: str) -> None:
    text = fresh()
    await asyncio.to_thread(post, server, {"query": text, "extensions": apq(sha(text))})
    async with anonymous_socket(server) as socket:
        known = await subscribe(socket, "known", {"extensions": apq(sha(text))})
        by_id = await subscribe(socket, "by-id", {"documentId": f"sha256:{sha(TRUSTED)}"})
        unknown = await subscribe(socket, "unknown", {"extensions": apq(sha(fresh()))})
    async with anonymous_socket(trusted_server) as socket:
        ad_hoc = await subscribe(socket, "ad-hoc", {"query": fresh()})
    assert known == {"id": "known", "type": "next", "payload": {"data": {"__typename": "Query"}}}
    assert by_id["payload"] == {"data": {"__typename": "Query"}}
    assert unknown["type"] == "error"
    assert unknown["payload"][0]["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    assert ad_hoc["type"] == "error"
    assert ad_hoc["payload"][0]["extensions"] == {"code": "DOCUMENT_NOT_TRUSTED"}


def test_a_manifest_entry_whose_hash_is_wrong_stops_the_start(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({sha(TRUSTED): TRUSTED + " "}))
    with pytest.raises(ValueError, match="does not have that sha256"):
        PersistedDocuments(manifest)


def test_registered_documents_stay_within_their_characters() -> None:
    first, second = fresh(), fresh()
    documents = PersistedDocuments(cache_chars=len(first) + len(second) - 1)
    for text in (first, second):
        documents.resolve({"query": text, "extensions": apq(sha(text))})
    assert documents.resolve({"extensions": apq(sha(second))})["query"] == second
    with pytest.raises(DocumentError) as dropped:
        documents.resolve({"extensions": apq(sha(first))})
    assert dropped.value.code == "PERSISTED_QUERY_NOT_FOUND"
