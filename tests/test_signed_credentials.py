"""Exporting awards as signed Open Badges 3.0 credentials and verifying documents with our
own verifier: kept as issued, schema-valid, tamper-evident, revocable, rotatable."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from odznaka_graph.credentials import verify_document
from odznaka_graph.ids import local_id
from tests.club_helpers import club_of, nominate, peer_badge, vouch
from tests.credential_helpers import export, schema_errors, tampered, verify_pasted
from tests.helpers import ORG, Api, Issuer, Person, published_badge, register, verified_issuer
from tests.profile_helpers import award, badge_teaching, expire, outcome, revoke


async def _awarded(api: Api) -> tuple[Issuer, Person, str]:
    issuer = await verified_issuer(api)
    badge_id = await badge_teaching(
        api,
        issuer,
        outcome("Analiza danych", "Data analysis", "Tworzy tabelę przestawną."),
        pqfLevel=5,
        workloadHours=12.5,
        cost={"kind": "PAID", "amount": "150.00", "currency": "PLN"},
        activities=[
            {
                "name": [{"lang": "PL", "text": "Warsztat"}],
                "type": "WORKSHOP",
                "startDate": "2025-03-01",
                "place": "Kraków",
            }
        ],
    )
    learner = await register(api)
    return issuer, learner, await award(api, issuer, badge_id, learner)


def _base(api: Api) -> str:
    return api.runtime.settings.public_base_url


async def test_an_award_exports_as_a_schema_valid_signed_credential_kept_as_issued(
    api: Api,
) -> None:
    issuer, learner, award_id = await _awarded(api)
    first = await export(api, award_id, learner)
    assert first["__typename"] == "SignedCredential", first
    assert first["mediaType"] == "application/vc+ld+json"
    again = await export(api, award_id, issuer.owner)
    assert again["document"] == first["document"]  # the same bytes, whoever asks

    credential = json.loads(first["document"])
    assert schema_errors(credential, _base(api)) == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{local_id(award_id, 'Award')}"
    assert credential["issuer"]["id"].startswith("did:web:127.0.0.1%3A8000:issuers:")
    assert credential["issuer"]["name"] == "Akademia Testowa"
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    subject = credential["credentialSubject"]
    assert learner.email not in first["document"]  # only a salted hash of it
    assert subject["identifier"][0]["identityHash"].startswith("sha256$")
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert "Tworzy tabelę przestawną." in achievement["criteria"]["narrative"]
    targets = {a["targetType"]: a for a in achievement["alignment"]}
    assert targets["ext:EQFLevel"]["targetCode"] == "4"
    assert targets["ext:PQFLevel"]["targetCode"] == "5"
    assert targets["ceasn:Competency"]["targetName"] == "Analiza danych"
    details = achievement["microcredential"]
    assert details["workloadHours"] == "12.5"
    assert details["cost"] == {"costKind": "PAID", "amount": "150", "currency": "PLN"}
    assert details["learningActivities"][0]["activityType"] == "WORKSHOP"
    assert details["identityVerification"] == ["EMAIL_VERIFICATION"]
    assert credential["validUntil"] > credential["validFrom"]

    report = await verify_document(first["document"], api.runtime.services.stores)
    assert report.outcome == "VALID", report.reasons
    assert report.award_id == local_id(award_id, "Award")
    assert "verified by this platform" in report.issuer.reason


async def test_the_vc_jwt_copy_names_the_same_credential_signed_with_es256(api: Api) -> None:
    _, learner, award_id = await _awarded(api)
    token = (await export(api, award_id, learner, "VC_JWT"))["document"]
    assert token.count(".") == 2
    report = await verify_document(token, api.runtime.services.stores)
    assert report.outcome == "VALID", report.reasons
    assert report.format == "VC_JWT"
    assert report.credential is not None
    assert schema_errors(report.credential, _base(api)) == []
    assert "ES256" in report.signature.reason
    again = await export(api, award_id, learner, "VC_JWT")
    assert again["document"] == token
    forged = token[:-8] + ("AAAAAAAA" if not token.endswith("AAAAAAAA") else "BBBBBBBB")
    assert (await verify_document(forged, api.runtime.services.stores)).outcome == "INVALID"


@pytest.mark.parametrize(
    "path, value",
    [
        (("name",), "Doktorat z fizyki"),
        (("credentialSubject", "achievement", "name"), "Inna odznaka"),
        (("credentialSubject", "achievement", "microcredential", "workloadHours"), "120"),
        (("credentialSubject", "identifier", 0, "identityHash"), "sha256$00"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("validUntil",), ...),
        (("issuer", "name"), "Ktoś inny"),
        (("credentialStatus", "statusListIndex"), "7"),
        (("evidence",), [{"type": ["Evidence"], "narrative": "dopisane"}]),
        (("proof", 0, "created"), "2020-01-01T00:00:00Z"),
    ],
)
async def test_changing_any_field_breaks_the_signature(
    api: Api, path: tuple[Any, ...], value: Any
) -> None:
    _, learner, award_id = await _awarded(api)
    credential = json.loads((await export(api, award_id, learner))["document"])
    report = await verify_document(tampered(credential, path, value), api.runtime.services.stores)
    assert report.outcome == "INVALID"
    assert report.signature.code == "TAMPERED", report.signature


async def test_a_proof_by_another_issuers_key_is_refused(api: Api) -> None:
    _, learner, award_id = await _awarded(api)
    _, other_learner, other_award = await _awarded(api)
    mine = json.loads((await export(api, award_id, learner))["document"])
    theirs = json.loads((await export(api, other_award, other_learner))["document"])
    # Their (valid) proof method on our credential: the key is not the issuer's.
    method = theirs["proof"][0]["verificationMethod"]
    swapped = tampered(mine, ("proof", 0, "verificationMethod"), method)
    report = await verify_document(swapped, api.runtime.services.stores)
    assert report.outcome == "INVALID"
    assert report.signature.passed is False or report.issuer.code == "WRONG_KEY"
    # And their whole credential re-labelled with our issuer: signed by the wrong key.
    relabelled = tampered(theirs, ("issuer",), mine["issuer"])
    report = await verify_document(relabelled, api.runtime.services.stores)
    assert report.outcome == "INVALID"


async def test_revocation_shows_in_the_status_list_and_the_verification(api: Api) -> None:
    issuer, learner, award_id = await _awarded(api)
    document = (await export(api, award_id, learner))["document"]
    entry = json.loads(document)["credentialStatus"]
    assert (await verify_pasted(api, document))["status"] == "AUTHENTIC_VALID"

    await revoke(api, issuer, award_id)
    found = await verify_pasted(api, document)
    assert found["status"] == "REVOKED"
    status = {check["name"]: check for check in found["checks"]}["status"]
    assert status == {
        "name": "status",
        "kind": "STATUS",
        "passed": False,
        "reason": "Revoked by the issuer: its bit in the issuer's revocation list is set.",
        "code": "REVOKED",
    }
    listed = await api.client.get(entry["statusListCredential"].removeprefix(_base(api)))
    assert listed.status_code == 200
    report = await verify_document(listed.text, api.runtime.services.stores)
    assert report.signature.passed is True  # the list itself is a signed credential
    # A revoked award that was never exported is not signed anew; the old copy still is.
    assert (await export(api, award_id, learner))["document"] == document


async def test_expiry_is_judged_from_the_signed_dates(api: Api) -> None:
    issuer, learner, award_id = await _awarded(api)
    document = (await export(api, award_id, learner))["document"]
    later = datetime.now(UTC) + timedelta(days=400)
    report = await verify_document(document, api.runtime.services.stores, at=later)
    assert report.outcome == "EXPIRED"
    assert report.expiry.reason.startswith("Expired on ")

    _, other, other_award = await _awarded(api)
    await expire(api, other_award)
    expired = (await export(api, other_award, other))["document"]
    found = await verify_pasted(api, expired)
    assert found["status"] == "EXPIRED"


async def test_rotated_keys_sign_new_credentials_and_old_ones_still_verify(api: Api) -> None:
    issuer, learner, award_id = await _awarded(api)
    old = (await export(api, award_id, learner))["document"]
    old_jwt = (await export(api, award_id, learner, "VC_JWT"))["document"]
    staff = await register(api)
    await api.mutate(
        "addOrganizationStaff",
        {"organizationId": issuer.org_id, "userId": staff.id, "role": "ISSUER"},
        ORG,
        issuer.owner.token,
    )
    keys = "... on IssuerKeys { did didDocumentUrl retiredCount current { id algorithm } }"
    denied = await api.mutate(
        "rotateIssuerKeys", {"organizationId": issuer.org_id}, keys, staff.token
    )
    assert denied["__typename"] == "PermissionDeniedError"
    rotated = await api.mutate(
        "rotateIssuerKeys", {"organizationId": issuer.org_id}, keys, issuer.owner.token
    )
    assert rotated["retiredCount"] == 2
    assert sorted(k["algorithm"] for k in rotated["current"]) == ["Ed25519", "P-256"]

    learner2 = await register(api)
    badge = json.loads(old)["credentialSubject"]["achievement"]["id"].removeprefix("urn:uuid:")
    from odznaka_graph.ids import to_global

    award2 = await award(api, issuer, to_global("Badge", badge), learner2)
    new = json.loads((await export(api, award2, learner2))["document"])
    old_method = json.loads(old)["proof"][0]["verificationMethod"]
    assert new["proof"][0]["verificationMethod"] != old_method
    did_doc = (await api.client.get(rotated["didDocumentUrl"].removeprefix(_base(api)))).json()
    assert len(did_doc["verificationMethod"]) == 4
    assert len(did_doc["assertionMethod"]) == 4
    stores = api.runtime.services.stores
    for document in (old, old_jwt, json.dumps(new)):
        assert (await verify_document(document, stores)).outcome == "VALID"


async def test_who_may_export(api: Api) -> None:
    issuer, learner, award_id = await _awarded(api)
    stranger = await register(api)
    # The learner's awards are public by default: anyone who sees the award may export it.
    assert (await export(api, award_id, stranger))["__typename"] == "SignedCredential"
    assert (await export(api, award_id, issuer.owner))["__typename"] == "SignedCredential"

    pending = await api.mutate(
        "awardBadge",
        {"badgeId": await published_badge(api, issuer), "recipientEmail": "nowy@example.org"},
        "... on Award { id }",
        issuer.owner.token,
    )
    refused = await export(api, pending["id"], issuer.owner)
    assert refused["__typename"] == "ConflictError"

    revoked_issuer, revoked_learner, revoked_award = await _awarded(api)
    await revoke(api, revoked_issuer, revoked_award)
    refused = await export(api, revoked_award, revoked_learner)
    assert (refused["__typename"], refused["reason"]) == ("ConflictError", "CREDENTIAL_REVOKED")


async def test_a_private_award_is_not_exported_to_strangers(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner, stranger = await register(api), await register(api)
    await api.mutate("updateProfileVisibility", {"profile": "PRIVATE"}, "__typename", learner.token)
    award_id = await award(api, issuer, badge_id, learner)
    assert (await export(api, award_id, stranger))["__typename"] == "NotFoundError"
    assert (await export(api, award_id, None))["__typename"] == "NotFoundError"
    assert (await export(api, award_id, learner))["__typename"] == "SignedCredential"


async def test_verify_credential_takes_an_award_id_or_a_document(api: Api) -> None:
    _, learner, award_id = await _awarded(api)
    document = (await export(api, award_id, learner))["document"]
    found = await verify_pasted(api, document)
    assert found["format"] == "DATA_INTEGRITY"
    assert found["award"] == {"id": award_id}
    assert found["badgeName"] == "Analiza danych"
    assert found["issuerName"] == "Akademia Testowa"
    assert [c["name"] for c in found["checks"]] == ["signature", "issuer", "status", "expiry"]
    assert [c["kind"] for c in found["checks"]] == ["SIGNATURE", "ISSUER", "STATUS", "EXPIRY"]
    assert all(c["passed"] for c in found["checks"])

    both = await api.raw(
        "query($a: ID, $d: String) { verifyCredential(awardId: $a, document: $d) { status } }",
        {"a": award_id, "d": document},
    )
    assert both.json()["errors"][0]["message"] == "Give either `awardId` or `document`."
    for junk, why in [
        ("not json at all", "neither JSON nor a compact JWS"),
        ('{"type": "Assertion"}', "Open Badges 2.0"),
        ('{"@context": [], "type": ["Thing"]}', "not a Verifiable Credential"),
    ]:
        found = await verify_pasted(api, junk)
        assert found["status"] in ("INVALID", "UNVERIFIED")
        assert why in " ".join(found["reasons"])


async def test_our_public_documents(api: Api) -> None:
    _, learner, award_id = await _awarded(api)
    credential = json.loads((await export(api, award_id, learner))["document"])
    issuer_id = credential["issuer"]["id"].rsplit(":", 1)[-1]
    did = (await api.client.get(f"/issuers/{issuer_id}/did.json")).json()
    assert did["id"] == credential["issuer"]["id"]
    assert credential["proof"][0]["verificationMethod"] in did["assertionMethod"]
    context = await api.client.get("/contexts/odznaka/v1")
    assert context.headers["content-type"] == "application/ld+json"
    assert "microcredential" in context.json()["@context"]
    schema = (await api.client.get("/schemas/odznaka/v1")).json()
    assert schema["$id"] == f"{_base(api)}/schemas/odznaka/v1"
    assert (await api.client.get("/issuers/not-an-id/did.json")).status_code == 404
    assert (await api.client.get(f"/issuers/{issuer_id}/status/9")).status_code == 404


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_concurrent_first_exports_keep_one_document(api: Api) -> None:
    _, learner, award_id = await _awarded(api)
    _, other, other_award = await _awarded(api)
    results = await asyncio.gather(
        *(export(api, award_id, learner, fmt) for fmt in ("DATA_INTEGRITY", "VC_JWT") * 3),
        *(export(api, other_award, other) for _ in range(3)),
    )
    assert all(result["__typename"] == "SignedCredential" for result in results), results
    assert len({result["document"] for result in results[0:6:2]}) == 1
    assert len({result["document"] for result in results[1:6:2]}) == 1
    assert len({result["document"] for result in results[6:]}) == 1
    stores = api.runtime.services.stores
    for result in results[:2]:
        assert (await verify_document(result["document"], stores)).outcome == "VALID"


async def test_a_peer_award_is_signed_by_its_club_and_revoked_through_its_list(api: Api) -> None:
    ala, bartek, celina = [await register(api) for _ in range(3)]
    club_id = await club_of(api, ala, [bartek, celina], vouchThreshold=2)
    badge_id = await peer_badge(api, club_id, bartek)
    nominated = await nominate(api, badge_id, ala, celina)
    award_id = (await vouch(api, nominated["id"], bartek))["award"]["id"]
    document = (await export(api, award_id, celina))["document"]
    credential = json.loads(document)
    assert schema_errors(credential, _base(api)) == []
    assert credential["issuer"]["id"].endswith(local_id(club_id, "Club"))
    assert credential["issuer"]["name"] == "Klub Planszówkowy"
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Badge"
    found = await verify_pasted(api, document)
    assert found["status"] == "AUTHENTIC_VALID"
    assert "clubs are not verified issuers" in found["checks"][1]["reason"]

    revoked = await api.mutate(
        "revokePeerAward", {"awardId": award_id, "reason": "Pomyłka"}, "__typename", ala.token
    )
    assert revoked["__typename"] == "Award", revoked
    assert (await verify_pasted(api, document))["status"] == "REVOKED"
