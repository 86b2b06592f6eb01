"""Importing credentials earned elsewhere: bad input is refused with nothing stored; what
is imported is kept once per holder, checked, and shown under the profile's rules."""

import hashlib
from typing import Any

import sqlalchemy as sa

from odznaka_graph.ledger.tables import external_credentials
from odznaka_graph.sharing.artwork import badge_png
from odznaka_graph.sharing.baking import bake_png, bake_svg_element
from tests.helpers import Api, Person, register
from tests.profile_helpers import set_visibility
from tests.sharing_helpers import b64, import_document, pasted, verify_email


def url_less_assertion(email: str, salt: str = "s4lt", **more: Any) -> dict[str, Any]:
    """An OB 2.0 assertion with everything embedded and no URL to check it against."""
    identity = "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "urn:uuid:5b9c1a3e-0000-4000-8000-000000000001",
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
        "issuedOn": "2024-05-01T10:00:00Z",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass",
            "id": "urn:uuid:badge-1",
            "name": "Pierwsza pomoc",
            "description": "Kurs pierwszej pomocy.",
            "image": "https://badges.example.org/first-aid.png",
            "criteria": {"narrative": "Zdany egzamin."},
            "issuer": {"type": "Issuer", "id": "urn:uuid:org", "name": "Czerwony Krzyż"},
        },
        **more,
    }


async def stored(api: Api) -> int:
    async with api.runtime.services.stores.ledger.reading() as conn:
        return int(
            await conn.scalar(sa.select(sa.func.count()).select_from(external_credentials)) or 0
        )


async def test_bad_input_is_a_validation_error_and_nothing_is_stored(api: Api) -> None:
    person = await register(api)
    plain_png = badge_png("x", "Bez danych")
    cases = [
        ({"document": "{not json"}, "document", "NOT_JSON"),
        ({"document": "[1, 2]"}, "document", "JSON_NOT_OBJECT"),
        ({"document": '{"hello": "world"}'}, "document", "NOT_OPEN_BADGES"),
        ({"document": "just some words"}, "document", "UNKNOWN_DOCUMENT_FORMAT"),
        ({"imageBase64": "@@@"}, "imageBase64", "NOT_BASE64"),
        ({"imageBase64": b64(b"GIF89a....")}, "imageBase64", "NOT_AN_IMAGE"),
        ({"imageBase64": b64(plain_png)}, "imageBase64", "IMAGE_NOT_BAKED"),
        (
            {"imageBase64": b64("<svg xmlns='http://www.w3.org/2000/svg'/>")},
            "imageBase64",
            "IMAGE_NOT_BAKED",
        ),
        ({"imageBase64": b64("<svg><unclosed></svg>")}, "imageBase64", "NOT_AN_IMAGE"),
        ({"imageBase64": b64(bake_png(plain_png, "{broken"))}, "imageBase64", "NOT_JSON"),
        ({}, "input", "DOCUMENT_OR_IMAGE"),
        ({"document": "{}", "imageBase64": "AA=="}, "input", "DOCUMENT_OR_IMAGE"),
        (
            {"document": pasted({"type": "Assertion", "badge": {"name": "x"}})},
            "document",
            "ASSERTION_INCOMPLETE",
        ),
    ]
    for given, field, reason in cases:
        result = await import_document(api, person, **given)
        assert result["__typename"] == "ValidationError", (given, result)
        assert result["fields"][0]["field"] == field, (given, result)
        assert result["reason"] == reason, (given, result)
    assert await stored(api) == 0
    anonymous = await import_document(api, None, document="{}")
    assert anonymous["code"] == "UNAUTHENTICATED"


async def test_a_url_less_assertion_is_kept_once_as_unverified(api: Api) -> None:
    person = await register(api)
    await verify_email(api, person)
    document = pasted(url_less_assertion(person.email))
    first = await import_document(api, person, document=document)
    assert first["__typename"] == "ExternalCredential", first
    assert (first["name"], first["issuerName"], first["status"]) == (
        "Pierwsza pomoc",
        "Czerwony Krzyż",
        "UNVERIFIED",
    )
    assert first["format"] == "OPEN_BADGES_2" and first["source"] == "TEXT"
    assert "It was issued to one of your verified e-mail addresses." in first["reasons"]
    assert any("no hosted copy" in reason for reason in first["reasons"])
    assert person.email not in " ".join(first["reasons"])
    again = await import_document(api, person, document=document)
    assert again["id"] == first["id"]
    assert await stored(api) == 1


async def test_someone_elses_badge_is_marked_not_recipient(api: Api) -> None:
    person = await register(api)
    await verify_email(api, person)
    result = await import_document(
        api, person, document=pasted(url_less_assertion("someone@else.org"))
    )
    assert result["status"] == "NOT_RECIPIENT"
    unverified = await register(api)
    result = await import_document(
        api, unverified, document=pasted(url_less_assertion(unverified.email))
    )
    assert result["status"] == "NOT_RECIPIENT"
    assert "no verified e-mail address" in " ".join(result["reasons"])


async def test_expired_and_revoked_flags_in_the_document_count(api: Api) -> None:
    person = await register(api)
    await verify_email(api, person)
    expired = url_less_assertion(person.email, expires="2020-01-01T00:00:00Z")
    result = await import_document(api, person, document=pasted(expired))
    assert result["status"] == "EXPIRED"
    revoked = url_less_assertion(person.email, revoked=True, revocationReason="Błąd")
    revoked["id"] = "urn:uuid:other"
    result = await import_document(api, person, document=pasted(revoked))
    assert result["status"] == "REVOKED"
    assert "Revoked by its issuer: Błąd" in result["reasons"]


async def test_baked_svg_and_png_without_urls_are_read(api: Api) -> None:
    person = await register(api)
    await verify_email(api, person)
    text = pasted(url_less_assertion(person.email))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        f"{bake_svg_element(text, None)}</svg>"
    )
    result = await import_document(api, person, imageBase64=b64(svg))
    assert (result["source"], result["name"]) == ("SVG", "Pierwsza pomoc")
    png = bake_png(badge_png("k", "Pierwsza pomoc"), text)
    again = await import_document(api, person, imageBase64="data:image/png;base64," + b64(png))
    assert again["id"] == result["id"]  # the same credential, whatever carried it
    assert again["source"] == "PNG"


async def test_ob3_credential_without_a_verifier_is_unverified(api: Api) -> None:
    person = await register(api)
    await verify_email(api, person)
    salt = "abc"
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:ob3-credential-1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example.org", "type": ["Profile"], "name": "Uczelnia"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Python",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": "sha256$"
                    + hashlib.sha256((person.email + salt).encode()).hexdigest(),
                }
            ],
            "achievement": {
                "id": "https://issuer.example.org/achievements/python",
                "type": ["Achievement"],
                "name": "Programowanie w Pythonie",
                "description": "Podstawy.",
                "criteria": {"narrative": "Projekt."},
            },
        },
    }
    result = await import_document(api, person, document=pasted(credential))
    assert result["__typename"] == "ExternalCredential", result
    assert result["format"] == "OPEN_BADGES_3"
    assert result["name"] == "Programowanie w Pythonie"
    assert result["issuerName"] == "Uczelnia"
    # Unsigned: whatever checks proofs must not call it verified.
    assert result["status"] in ("UNVERIFIED", "INVALID")
    assert "It was issued to one of your verified e-mail addresses." in result["reasons"]


PROFILE = """query($h: String!) { user(handle: $h) { externalCredentials(first: 5) {
  totalCount edges { node { id name status } } } } }"""


async def test_imported_credentials_follow_the_awards_section_visibility(api: Api) -> None:
    owner = await register(api)
    await verify_email(api, owner)
    done = await import_document(api, owner, document=pasted(url_less_assertion(owner.email)))
    stranger: Person = await register(api)
    shown = await api.query(PROFILE, {"h": owner.handle}, stranger.token)
    assert shown["user"]["externalCredentials"]["totalCount"] == 1
    node = await api.query(
        "query($id: ID!) { node(id: $id) { ... on ExternalCredential { name } } }",
        {"id": done["id"]},
    )
    assert node["node"] == {"name": "Pierwsza pomoc"}
    await set_visibility(api, owner, awards="PRIVATE")
    hidden = await api.query(PROFILE, {"h": owner.handle}, stranger.token)
    assert hidden["user"]["externalCredentials"] == {"totalCount": 0, "edges": []}
    node = await api.query(
        "query($id: ID!) { node(id: $id) { id } }", {"id": done["id"]}, stranger.token
    )
    assert node["node"] is None
    mine = await api.query(PROFILE, {"h": owner.handle}, owner.token)
    assert mine["user"]["externalCredentials"]["totalCount"] == 1


async def test_removing_an_imported_credential(api: Api) -> None:
    owner = await register(api)
    await verify_email(api, owner)
    done = await import_document(api, owner, document=pasted(url_less_assertion(owner.email)))
    other = await register(api)
    refused = await api.mutate("removeExternalCredential", {"id": done["id"]}, "", other.token)
    assert refused["__typename"] == "NotFoundError"
    removed = await api.mutate(
        "removeExternalCredential",
        {"id": done["id"]},
        "... on RemovedExternalCredential { id }",
        owner.token,
    )
    assert removed["id"] == done["id"]
    assert await stored(api) == 0
