"""Issuing into a wallet (issue 16): an independent wallet (the OpenWallet Foundation's
oid4vc-ts and SD-JWT libraries, in node) takes an offer from a real uvicorn through the
whole OpenID4VCI 1.0 pre-authorised code flow and checks the SD-JWT VC with its own code;
every way of getting a step wrong is refused with its OpenID4VCI error code."""

import asyncio
import base64
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import zxingcpp
from cryptography import x509
from joserfc import jws
from joserfc.jwk import ECKey
from PIL import Image

from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from odznaka_graph.wallet import sd_jwt, token_status
from tests.api_process import api_process, published_badge, register, verified_reviewer
from tests.credential_helpers import outside_verifier
from tests.live_helpers import live, settled
from tests.wallet_helpers import (
    HandWallet,
    Server,
    independent_wallet,
    offer_url,
    pre_authorized_code,
)


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("wallet")
    with api_process(settings, var) as base:
        owner = register(base, "walletowner")["accessToken"]
        checker = verified_reviewer(base, "walletchecker")["accessToken"]
        badge_id = published_badge(base, owner, checker)
        yield Server(base, var, owner, badge_id)


def _qr_text(png_base64: str) -> str:
    image = Image.open(io.BytesIO(base64.b64decode(png_base64)))
    return str(zxingcpp.read_barcodes(image)[0].text)


def test_the_independent_wallet_receives_and_verifies_an_sd_jwt_vc(server: Server) -> None:
    award_id, holder = server.award()
    offer = server.offer(award_id, holder)
    assert offer["__typename"] == "CredentialOffer", offer
    assert offer["offerUri"].startswith("openid-credential-offer://?credential_offer_uri=")
    assert _qr_text(offer["qrPng"]) == offer["offerUri"]
    assert offer["qrSvg"].startswith("<svg")
    tx_code = offer["transactionCode"]
    assert len(tx_code) == 6 and tx_code.isdigit()
    assert tx_code not in offer["offerUri"]

    got = independent_wallet({"command": "issue", "offer": offer["offerUri"], "txCode": tx_code})
    assert got["ok"] is True, got
    assert got["typ"] == "dc+sd-jwt"
    claims = got["claims"]
    assert claims["vct"] == f"{server.url}/vct/odznaka-microcredential/v1"
    assert claims["iss"].startswith(f"{server.url}/issuers/")
    assert claims["issuing_country"] == "PL"
    assert claims["achievement_title"]
    assert claims["learning_outcomes"]
    assert claims["expected_study_time"].startswith("PT")
    assert set(claims["status"]["status_list"]) == {"idx", "uri"}
    assert got["boundToHolder"] is True
    assert got["x5cVerified"] is True
    assert got["typeMetadata"]["vct"] == claims["vct"]
    # Selective disclosure: the wallet showed the title only, with a key-binding JWT.
    shown = got["presented"]
    assert shown["keyBound"] is True
    assert "achievement_title" in shown["claims"]
    assert "learning_outcomes" not in shown["claims"]
    assert "learner_identification" not in shown["claims"]
    assert server.audit(award_id) == [
        "wallet.offer_created",
        "wallet.token_issued",
        "wallet.credential_issued",
    ]


def test_a_revoked_award_fails_the_wallets_status_check(server: Server) -> None:
    award_id, holder = server.award()
    offer = server.offer(award_id, holder)
    got = independent_wallet(
        {"command": "issue", "offer": offer["offerUri"], "txCode": offer["transactionCode"]}
    )
    assert got["ok"] is True, got
    credential = got["credential"]
    assert independent_wallet({"command": "verify", "credential": credential})["ok"] is True

    server.revoke(award_id)
    checked = independent_wallet({"command": "verify", "credential": credential})
    assert checked["ok"] is False
    assert "Status is not valid" in checked["error"]
    refused = server.offer(award_id, holder)
    assert refused["reason"] == "CREDENTIAL_REVOKED"


def test_an_offer_redeemed_before_the_revocation_issues_nothing(server: Server) -> None:
    award_id, holder = server.award()
    wallet = HandWallet(server)
    access = wallet.redeem(server.offer(award_id, holder))
    server.revoke(award_id)
    denied = wallet.credential(access, wallet.proof(wallet.nonce()))
    assert (denied.status_code, denied.json()["error"]) == (400, "credential_request_denied")
    assert "wallet.credential_issued" not in server.audit(award_id)


def test_only_the_holder_gets_an_offer(server: Server) -> None:
    award_id, _ = server.award()
    by_issuer = server.offer(award_id, server.owner)
    assert (by_issuer["code"], by_issuer["reason"]) == ("PERMISSION_DENIED", "NOT_THE_HOLDER")
    stranger = register(server.base, "walletstranger")["accessToken"]
    assert server.offer(award_id, stranger)["code"] in {"NOT_FOUND", "PERMISSION_DENIED"}
    assert server.offer(award_id, None)["code"] == "UNAUTHENTICATED"
    assert server.audit(award_id) == []


def test_a_wrong_transaction_code_is_refused(server: Server) -> None:
    award_id, holder = server.award()
    offer = server.offer(award_id, holder)
    wallet = HandWallet(server)
    code = pre_authorized_code(server, offer)
    wrong = "000000" if offer["transactionCode"] != "000000" else "111111"
    refused = wallet.token(code, wrong)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    missing = wallet.token(code, None)
    assert missing.json()["error"] == "invalid_request"
    assert wallet.token(code, offer["transactionCode"]).status_code == 200
    assert "wallet.tx_code_refused" in server.audit(award_id)


def test_an_offer_works_once(server: Server) -> None:
    award_id, holder = server.award()
    offer = server.offer(award_id, holder)
    wallet = HandWallet(server)
    code = pre_authorized_code(server, offer)
    assert wallet.token(code, offer["transactionCode"]).status_code == 200
    again = wallet.token(code, offer["transactionCode"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
    assert httpx.get(offer_url(offer)).status_code == 404  # the offer is spent


def test_an_expired_offer_is_refused(server: Server) -> None:
    award_id, holder = server.award()
    offer = server.offer(award_id, holder)
    code = pre_authorized_code(server, offer)
    server.expire_offer(offer)
    refused = HandWallet(server).token(code, offer["transactionCode"])
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    assert "expired" in refused.json()["error_description"]


def test_a_proof_for_another_nonce_or_audience_is_refused(server: Server) -> None:
    award_id, holder = server.award()
    wallet = HandWallet(server)
    access = wallet.redeem(server.offer(award_id, holder))

    unknown = wallet.credential(access, wallet.proof("not-a-nonce-we-gave"))
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid_nonce")
    elsewhere = wallet.credential(access, wallet.proof(wallet.nonce(), "https://other.example"))
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (400, "invalid_proof")
    untyped = wallet.credential(access, wallet.proof(wallet.nonce(), typ="JWT"))
    assert untyped.json()["error"] == "invalid_proof"
    wrong_type = wallet.credential(
        access, wallet.proof(wallet.nonce()), credential_configuration_id="other"
    )
    assert wrong_type.json()["error"] == "unknown_credential_configuration"

    nonce = wallet.nonce()
    issued = wallet.credential(access, wallet.proof(nonce))
    assert issued.status_code == 200, issued.text
    assert issued.json()["credentials"][0]["credential"].count("~") > 5
    replayed = wallet.credential(access, wallet.proof(nonce))
    assert (replayed.status_code, replayed.json()["error"]) == (401, "invalid_token")
    assert replayed.headers["www-authenticate"].startswith("Bearer")


def test_a_used_nonce_is_refused(server: Server) -> None:
    wallet = HandWallet(server)
    nonce = wallet.nonce()
    first_award, first_holder = server.award()
    first = wallet.credential(wallet.redeem(server.offer(first_award, first_holder)), "x")
    assert first.json()["error"] == "invalid_proof"
    award_id, holder = server.award()
    access = wallet.redeem(server.offer(award_id, holder))
    other_award, other_holder = server.award()
    other_access = wallet.redeem(server.offer(other_award, other_holder))
    assert wallet.credential(access, wallet.proof(nonce)).status_code == 200
    reused = wallet.credential(other_access, wallet.proof(nonce))
    assert (reused.status_code, reused.json()["error"]) == (400, "invalid_nonce")


def test_an_expired_award_is_invalid_in_the_token_status_list(server: Server) -> None:
    award_id, holder = server.award()
    wallet = HandWallet(server)
    access = wallet.redeem(server.offer(award_id, holder))
    issued = wallet.credential(access, wallet.proof(wallet.nonce()))
    credential = issued.json()["credentials"][0]["credential"]
    reference = sd_jwt.disclosed(credential)["status"]["status_list"]
    assert _status(reference) == 0

    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    server.sql("UPDATE awards SET expires_at = ? WHERE id = ?", past, local_id(award_id, "Award"))
    assert _status(reference) == 1
    checked = independent_wallet({"command": "verify", "credential": credential})
    assert checked["ok"] is False and "Status is not valid" in checked["error"]


def _status(reference: dict[str, Any]) -> int:
    response = httpx.get(reference["uri"])
    assert response.headers["content-type"] == "application/statuslist+jwt"
    registry = jws.JWSRegistry(algorithms=["ES256"])
    registry.max_header_length = 4096  # an x5c certificate is larger than joserfc's default
    header = jws.extract_compact(response.text.encode(), registry=registry).headers()
    certificate = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    key = ECKey.import_key(certificate.public_key())  # type: ignore[arg-type]
    verified = jws.deserialize_compact(response.text, key, registry=registry)
    claims = json.loads(verified.payload)
    assert claims["sub"] == reference["uri"]
    return token_status.status_of(claims["status_list"]["lst"], reference["idx"])


async def test_the_holder_is_told_when_the_wallet_picks_the_credential_up(server: Server) -> None:
    award_id, holder = await asyncio.to_thread(server.award)
    query = "subscription { credentialIssued { eventId issuedAt award { id } } }"
    async with live(server.base, holder) as stream:
        await stream.subscribe("1", query)
        await settled()
        wallet = HandWallet(server)
        offer = await asyncio.to_thread(server.offer, award_id, holder)
        access = await asyncio.to_thread(wallet.redeem, offer)
        issued = await asyncio.to_thread(wallet.credential, access, wallet.proof(wallet.nonce()))
        assert issued.status_code == 200
        told = await stream.item("1", "credentialIssued", lambda item: True)
    assert told["award"] == {"id": award_id}


@pytest.mark.parametrize("fmt, exported", [("LDP_VC", "DATA_INTEGRITY"), ("JWT_VC_JSON", "VC_JWT")])
def test_a_learner_wallet_receives_the_open_badge(server: Server, fmt: str, exported: str) -> None:
    award_id, holder = server.award()
    offer = server.offer(award_id, holder, fmt)
    assert offer["credentialConfigurationId"].startswith("open_badge_")
    got = independent_wallet(
        {"command": "issue", "offer": offer["offerUri"], "txCode": offer["transactionCode"]}
    )
    assert got["ok"] is True, got
    assert got["format"] == {"LDP_VC": "ldp_vc", "JWT_VC_JSON": "jwt_vc_json"}[fmt]
    credential = got["credential"]
    document = server.export(award_id, holder, exported)
    assert credential == (json.loads(document) if fmt == "LDP_VC" else document)
    checked = outside_verifier(credential)
    assert (checked["verified"], checked["revoked"]) == (True, False), checked
    assert server.audit(award_id)[-1] == "wallet.credential_issued"


def test_an_open_badge_request_with_a_proof_is_refused(server: Server) -> None:
    award_id, holder = server.award()
    wallet = HandWallet(server)
    access = wallet.redeem(server.offer(award_id, holder, "LDP_VC"))
    refused = wallet.credential(
        access, wallet.proof(wallet.nonce()), credential_configuration_id="open_badge_ldp_vc"
    )
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_credential_request")
