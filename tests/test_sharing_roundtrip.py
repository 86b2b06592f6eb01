"""Over a real uvicorn: an award baked into a PNG is imported back, checked against its
hosted copy over HTTP, and shows on the holder's profile as verified."""

import base64
import json
from collections.abc import Iterator

import httpx
import pytest

from odznaka_graph.settings import Settings
from odznaka_graph.sharing.baking import bake_png, unbake
from tests.api_process import gql, verified_reviewer
from tests.sharing_server import (
    Server,
    import_credential,
    issued,
    sharing_server,
    unique,
    verified_user,
)


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with sharing_server(settings, tmp_path_factory.mktemp("sharing")) as running:
        yield running


@pytest.fixture(scope="module")
def checker(server: Server) -> dict[str, str]:
    return verified_reviewer(server.base, "sharingchecker")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


PROFILE = """query($h: String!) { user(handle: $h) { externalCredentials(first: 10) {
  totalCount edges { node { name status issuerName } } } } }"""


def test_a_baked_png_round_trips_through_import(server: Server, checker: dict[str, str]) -> None:
    got = issued(server, checker, unique("ola"))
    png = httpx.get(f"{server.url}/ob2/assertions/{got.plain_award_id}.png")
    assert png.status_code == 200
    token = got.learner["accessToken"]
    imported = import_credential(server, token, imageBase64=b64(png.content))
    assert imported["__typename"] == "ExternalCredential", imported
    assert imported["status"] == "VERIFIED", imported["reasons"]
    assert (imported["name"], imported["issuerName"]) == ("Analiza danych", "Szkoła")
    assert (imported["format"], imported["source"]) == ("OPEN_BADGES_2", "PNG")
    assert imported["credentialUrl"] == f"{server.url}/ob2/assertions/{got.plain_award_id}"
    assert any("matches the copy its issuer hosts" in r for r in imported["reasons"])
    assert "It was issued to one of your verified e-mail addresses." in imported["reasons"]

    # The same credential by SVG or by its URL is the same row, checked again.
    svg = httpx.get(f"{server.url}/ob2/assertions/{got.plain_award_id}.svg")
    again = import_credential(server, token, imageBase64=b64(svg.content))
    assert (again["id"], again["status"], again["source"]) == (imported["id"], "VERIFIED", "SVG")
    by_url = import_credential(server, token, document=imported["credentialUrl"])
    assert (by_url["id"], by_url["status"]) == (imported["id"], "VERIFIED")

    profile = gql(server.base, PROFILE, {"h": got.learner["handle"]})
    assert profile["user"]["externalCredentials"]["edges"] == [
        {"node": {"name": "Analiza danych", "status": "VERIFIED", "issuerName": "Szkoła"}}
    ]
    page = httpx.get(f"{server.url}/u/{got.learner['handle']}")
    assert "Analiza danych" in page.text and "Zweryfikowane" in page.text


def test_someone_else_importing_it_is_not_the_recipient(
    server: Server, checker: dict[str, str]
) -> None:
    got = issued(server, checker, unique("piotr"))
    png = httpx.get(f"{server.url}/ob2/assertions/{got.plain_award_id}.png").content
    thief = verified_user(server, unique("obcy"))
    result = import_credential(server, thief["accessToken"], imageBase64=b64(png))
    assert result["status"] == "NOT_RECIPIENT"
    assert "Its recipient is none of your verified e-mail addresses." in result["reasons"]


def test_a_tampered_copy_is_invalid(server: Server, checker: dict[str, str]) -> None:
    got = issued(server, checker, unique("ewa"))
    png = httpx.get(f"{server.url}/ob2/assertions/{got.plain_award_id}.png").content
    assertion = json.loads(unbake(png).text)
    assertion["issuedOn"] = "2015-01-01T00:00:00Z"
    forged = bake_png(png, json.dumps(assertion))
    result = import_credential(server, got.learner["accessToken"], imageBase64=b64(forged))
    assert result["status"] == "INVALID"
    assert "It differs from the copy its issuer hosts." in result["reasons"]


def test_a_revoked_badge_is_imported_as_revoked(server: Server, checker: dict[str, str]) -> None:
    got = issued(server, checker, unique("jan"))
    png = httpx.get(f"{server.url}/ob2/assertions/{got.plain_award_id}.png").content
    token = got.learner["accessToken"]
    first = import_credential(server, token, imageBase64=b64(png))
    assert first["status"] == "VERIFIED"
    gql(
        server.base,
        "mutation($i: RevokeAwardInput!) { revokeAward(input: $i) { __typename } }",
        {"i": {"awardId": got.award_id, "reason": "Błąd w dokumentacji"}},
        got.owner["accessToken"],
    )
    assert httpx.get(f"{server.url}/ob2/assertions/{got.plain_award_id}").status_code == 410
    again = import_credential(server, token, imageBase64=b64(png))
    assert (again["id"], again["status"]) == (first["id"], "REVOKED")
    assert "Revoked by its issuer: Błąd w dokumentacji" in again["reasons"]
    by_url = import_credential(server, token, document=first["credentialUrl"])
    assert by_url["status"] == "REVOKED"


def test_unreachable_urls_are_refused_without_storing(
    server: Server, checker: dict[str, str]
) -> None:
    person = verified_user(server, unique("adam"))
    token = person["accessToken"]
    missing = import_credential(
        server, token, document=f"{server.url}/ob2/assertions/00000000-0000-4000-8000-000000000000"
    )
    private = import_credential(server, token, document="https://10.0.0.1/assertion")
    plain_http = import_credential(server, token, document="http://203.0.113.5/assertion")
    assert [(r["__typename"], r["reason"]) for r in (missing, private, plain_http)] == [
        ("ValidationError", "FETCH_NOT_OK"),
        ("ValidationError", "ADDRESS_REFUSED"),
        ("ValidationError", "ADDRESS_REFUSED"),
    ]
    profile = gql(server.base, PROFILE, {"h": person["handle"]})
    assert profile["user"]["externalCredentials"]["totalCount"] == 0


EXPORT = """mutation($i: ExportCredentialInput!) { exportCredential(input: $i) {
  __typename ... on SignedCredential { document } } }"""


@pytest.mark.parametrize("kind", ["DATA_INTEGRITY", "VC_JWT"])
def test_a_signed_ob3_export_imports_as_verified(
    server: Server, checker: dict[str, str], kind: str
) -> None:
    got = issued(server, checker, unique("kasia"))
    token = got.learner["accessToken"]
    exported = gql(server.base, EXPORT, {"i": {"awardId": got.award_id, "format": kind}}, token)
    document = exported["exportCredential"]["document"]
    imported = import_credential(server, token, document=document)
    assert imported["__typename"] == "ExternalCredential", imported
    assert imported["format"] == "OPEN_BADGES_3"
    assert imported["status"] == "VERIFIED", imported["reasons"]
    assert imported["name"] == "Analiza danych"
    assert "It was issued to one of your verified e-mail addresses." in imported["reasons"]
    if kind == "DATA_INTEGRITY":
        tampered = json.loads(document)
        tampered["credentialSubject"]["achievement"]["name"] = "Coś innego"
        forged = import_credential(server, token, document=json.dumps(tampered))
        assert forged["status"] == "INVALID", forged["reasons"]
