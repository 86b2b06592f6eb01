"""Signing in and proving with a wallet (issue 16, OpenID4VP 1.0 under HAIP): the
OpenWallet Foundation's wallet libraries (tests/node, @openid4vc/openid4vp) resolve our
signed request (x509_hash), answer it encrypted (direct_post.jwt) with an SD-JWT VC we
issued to them and a key-binding JWT, against a real uvicorn; sign-in hands out a session
once, the door check checks the attendee in and offers the event's badge back; a replayed,
tampered, wrongly bound, expired or revoked answer is refused with its reason."""

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from odznaka_graph.settings import Settings
from tests.api_process import api_process, gql, published_badge, register, verified_reviewer
from tests.wallet_helpers import Server, independent_wallet

SIGN_IN = """mutation { walletSignInRequest { __typename
  ... on PresentationRequest { requestId uri qrSvg expiresAt }
  ... on MutationError { code reason } } }"""
STATUS = """query($r: String!) { walletSignInResult(requestId: $r) { status reason } }"""
COMPLETE = """mutation($i: CompleteWalletSignInInput!) { completeWalletSignIn(input: $i) {
  __typename ... on AuthPayload { accessToken userId } ... on MutationError { reason } } }"""
DOOR = """mutation($i: PresentationRequestInput!) { presentationRequest(input: $i) {
  __typename ... on PresentationRequest { requestId uri } ... on MutationError { reason } } }"""
DOOR_RESULT = """query($r: String!) { presentationResult(requestId: $r) {
  status reason attendeeId badgeId checkIn awardId } }"""
ME = "query { me { id } }"


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("presentation")
    with api_process(settings, var) as base:
        owner = register(base, "vpowner")["accessToken"]
        checker = verified_reviewer(base, "vpchecker")["accessToken"]
        yield Server(base, var, owner, published_badge(base, owner, checker))


def wallet_holder(server: Server) -> dict[str, Any]:
    """A learner with an award, its SD-JWT VC taken into the independent wallet."""
    award_id, token = server.award()
    offer = server.offer(award_id, token)
    got = independent_wallet(
        {"command": "issue", "offer": offer["offerUri"], "txCode": offer["transactionCode"]}
    )
    assert got["ok"] is True, got
    user_id = gql(server.base, ME, None, token)["me"]["id"]
    return {
        "credential": got["credential"],
        "holder": got["holder"],
        "awardId": award_id,
        "userId": user_id,
        "token": token,
    }


@pytest.fixture(scope="module")
def holder(server: Server) -> dict[str, Any]:
    return wallet_holder(server)


def present(holder: dict[str, Any], *requests: dict[str, Any]) -> list[dict[str, Any]]:
    done = independent_wallet(
        {
            "command": "present",
            "credential": holder["credential"],
            "holder": holder["holder"],
            "requests": list(requests),
        }
    )
    assert done["ok"] is True, done
    return done["answers"]  # type: ignore[no-any-return]


def sign_in_request(server: Server) -> dict[str, Any]:
    made = gql(server.base, SIGN_IN)["walletSignInRequest"]
    assert made["__typename"] == "PresentationRequest", made
    return made  # type: ignore[no-any-return]


def status(server: Server, request_id: str) -> dict[str, Any]:
    return gql(server.base, STATUS, {"r": request_id})["walletSignInResult"]  # type: ignore[no-any-return]


def complete(server: Server, request_id: str) -> dict[str, Any]:
    done = gql(server.base, COMPLETE, {"i": {"requestId": request_id}})
    return done["completeWalletSignIn"]  # type: ignore[no-any-return]


def test_the_independent_wallet_signs_in(server: Server, holder: dict[str, Any]) -> None:
    made = sign_in_request(server)
    assert made["uri"].startswith("openid4vp://?client_id=x509_hash%3A")
    assert "request_uri_method=post" in made["uri"]
    assert made["requestId"] not in made["uri"] and made["qrSvg"].startswith("<svg")
    assert status(server, made["requestId"]) == {"status": "PENDING", "reason": None}
    assert complete(server, made["requestId"])["reason"] == "REQUEST_PENDING"

    [answer] = present(holder, {"uri": made["uri"]})
    assert answer["ok"] is True, answer
    assert (answer["clientIdPrefix"], answer["version"]) == ("x509_hash", 100)
    assert answer["encrypted"] is True and answer["responseEnc"] in ("A128GCM", "A256GCM")
    assert answer["httpStatus"] == 200, answer["body"]

    assert status(server, made["requestId"])["status"] == "ACCEPTED"
    session = complete(server, made["requestId"])
    assert session["__typename"] == "AuthPayload", session
    assert session["userId"] == holder["userId"]
    assert gql(server.base, ME, None, session["accessToken"])["me"]["id"] == holder["userId"]
    assert complete(server, made["requestId"])["reason"] == "REQUEST_ANSWERED"
    assert status(server, made["requestId"])["status"] == "COLLECTED"
    linked = server.sql("SELECT COUNT(*) FROM wallet_identities")
    assert linked == [(1,)]


REFUSALS = {
    "replay": "REQUEST_ANSWERED",
    "nonce": "NONCE_MISMATCH",
    "audience": "AUDIENCE_MISMATCH",
    "disclosure": "DISCLOSURE_TAMPERED",
}


def test_replayed_tampered_and_wrongly_bound_answers_are_refused(
    server: Server, holder: dict[str, Any]
) -> None:
    made = {tamper: sign_in_request(server) for tamper in REFUSALS}
    answers = present(holder, *({"uri": made[t]["uri"], "tamper": t} for t in REFUSALS))
    for tamper, answer in zip(REFUSALS, answers, strict=True):
        assert answer["ok"] is True, answer
        assert answer["httpStatus"] == 400, (tamper, answer)
        assert answer["body"]["reason"] == REFUSALS[tamper], (tamper, answer)
        request_id = made[tamper]["requestId"]
        if tamper == "replay":  # the first answer was good and stands
            assert status(server, request_id)["status"] == "ACCEPTED"
        else:
            assert status(server, request_id) == {"status": "REFUSED", "reason": REFUSALS[tamper]}
            assert complete(server, request_id)["reason"] == REFUSALS[tamper]


def test_expired_requests_and_revoked_credentials_are_refused(server: Server) -> None:
    learner = wallet_holder(server)
    expired, revoked = sign_in_request(server), sign_in_request(server)
    past = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    handle = hashlib.sha256(expired["requestId"].encode()).hexdigest()
    server.sql(
        "UPDATE wallet_presentation_requests SET expires_at = ? WHERE result_hash = ?",
        past,
        handle,
    )
    assert status(server, expired["requestId"])["status"] == "EXPIRED"
    request_uri = httpx.QueryParams(expired["uri"].split("?", 1)[1])["request_uri"]
    assert httpx.post(request_uri).status_code == 404
    late = httpx.post(request_uri.replace("/request", "/response"), data={"response": "a.b.c.d.e"})
    assert (late.status_code, late.json()["reason"]) == (404, "REQUEST_EXPIRED")

    server.revoke(learner["awardId"])
    [answer] = present(learner, {"uri": revoked["uri"]})
    assert (answer["httpStatus"], answer["body"]["reason"]) == (400, "CREDENTIAL_REVOKED")
    assert status(server, revoked["requestId"]) == {
        "status": "REFUSED",
        "reason": "CREDENTIAL_REVOKED",
    }
