"""Signing in and proving with a wallet (issue 16, OpenID4VP 1.0 under HAIP): the
OpenWallet Foundation's wallet libraries (tests/node, @openid4vc/openid4vp) resolve our
signed request (x509_hash), answer it encrypted (direct_post.jwt) with an SD-JWT VC we
issued to them and a key-binding JWT, against a real uvicorn; sign-in hands out a session
once, the door check checks the attendee in and offers the event's badge back; a replayed,
tampered, wrongly bound, expired or revoked answer is refused with its reason."""

import asyncio
import hashlib
import json
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import websockets
from joserfc.jwk import ECKey

from odznaka_graph.settings import Settings
from odznaka_graph.wallet import sd_jwt, token_status
from odznaka_graph.wallet.verifier_identity import _make as make_certificate
from tests.api_process import api_process, gql, published_badge, register, verified_reviewer
from tests.helpers import complete_badge, tx
from tests.live_helpers import Live, settled
from tests.wallet_helpers import Server, independent_wallet
from tests.wallet_helpers import answer as hand_answer

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
WAIT = "subscription($r: String!) { walletSignInResult(requestId: $r) { status reason } }"


@asynccontextmanager
async def anonymous_live(base: str) -> AsyncIterator[Live]:
    async with websockets.connect(
        f"ws://{base}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield Live(ws)


CHECKERS: dict[str, str] = {}  # server base -> the reviewer's token


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("presentation")
    with api_process(settings, var, IMPORT_ALLOW_LOOPBACK="true") as base:
        owner = register(base, "vpowner")["accessToken"]
        CHECKERS[base] = verified_reviewer(base, "vpchecker")["accessToken"]
        yield Server(base, var, owner, published_badge(base, owner, CHECKERS[base]))


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


async def test_the_independent_wallet_signs_in(server: Server, holder: dict[str, Any]) -> None:
    made = await asyncio.to_thread(sign_in_request, server)
    assert made["uri"].startswith("openid4vp://?client_id=x509_hash%3A")
    assert "request_uri_method=post" in made["uri"]
    assert made["requestId"] not in made["uri"] and made["qrSvg"].startswith("<svg")
    assert status(server, made["requestId"]) == {"status": "PENDING", "reason": None}
    assert complete(server, made["requestId"])["reason"] == "REQUEST_PENDING"

    async with anonymous_live(server.base) as stream:  # the browser waiting on the QR code
        await stream.subscribe("1", WAIT, {"r": made["requestId"]})
        await settled()
        [answer] = await asyncio.to_thread(present, holder, {"uri": made["uri"]})
        told = await stream.item("1", "walletSignInResult", lambda item: True)
    assert told == {"status": "ACCEPTED", "reason": None}
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
    # Not encrypted to the request's key: refused, and the request still waits.
    live_uri = httpx.QueryParams(revoked["uri"].split("?", 1)[1])["request_uri"]
    garbage = httpx.post(live_uri.replace("/request", "/response"), data={"response": "a.b.c.d.e"})
    assert (garbage.status_code, garbage.json()["reason"]) == (400, "RESPONSE_UNREADABLE")
    assert status(server, revoked["requestId"])["status"] == "PENDING"

    server.revoke(learner["awardId"])
    answer, too_late = present(learner, {"uri": revoked["uri"]}, {"uri": expired["uri"]})
    assert (answer["httpStatus"], answer["body"]["reason"]) == (400, "CREDENTIAL_REVOKED")
    # The independent wallet finds the expired request gone.
    assert too_late["ok"] is False and "404" in too_late["error"], too_late
    assert status(server, revoked["requestId"]) == {
        "status": "REFUSED",
        "reason": "CREDENTIAL_REVOKED",
    }


def event_with_badge(server: Server) -> tuple[str, str]:
    """(an event of the badge's organisation that has begun, the other badge it awards)."""
    base, owner, checker = server.base, server.owner, CHECKERS[server.base]
    org = gql(
        base,
        "query($b: ID!) { node(id: $b) { ... on Badge { issuer { id } } } }",
        {"b": server.badge_id},
    )["node"]["issuer"]["id"]
    made = gql(
        base,
        """mutation($i: CreateBadgeInput!) { createBadge(input: $i) {
        ... on Badge { id } } }""",
        {"i": {"organizationId": org, "content": complete_badge("Wolontariat", "Volunteering")}},
        owner,
    )["createBadge"]["id"]
    for name, kind, payload, token in [
        ("submitBadgeForReview", "BadgeIdInput", {"badgeId": made}, owner),
        ("reviewBadge", "ReviewBadgeInput", {"badgeId": made, "approve": True}, checker),
    ]:
        gql(
            base,
            f"mutation($i: {kind}!) {{ {name}(input: $i) {{ __typename }} }}",
            {"i": payload},
            token,
        )
    now = datetime.now(UTC)
    event = {
        "hostId": org,
        "title": tx("Dzień otwarty"),
        "badgeId": made,
        "startsAt": (now - timedelta(hours=1)).isoformat(),
        "endsAt": (now + timedelta(hours=2)).isoformat(),
        "place": {"latitude": 52.23, "longitude": 21.01, "address": "pl. Defilad 1"},
    }
    created = gql(
        base,
        """mutation($i: CreateEventInput!) { createEvent(input: $i) {
        ... on Event { id } ... on MutationError { message } } }""",
        {"i": event},
        owner,
    )
    return created["createEvent"]["id"], made


def test_the_door_check_checks_in_and_offers_the_events_badge(
    server: Server, holder: dict[str, Any]
) -> None:
    event_id, event_badge = event_with_badge(server)
    ask = {"i": {"eventId": event_id, "badgeIds": [server.badge_id]}}
    refused = gql(server.base, DOOR, ask, holder["token"])["presentationRequest"]
    assert refused["reason"] == "NOT_EVENT_HOST"
    made = gql(server.base, DOOR, ask, server.owner)["presentationRequest"]
    assert made["__typename"] == "PresentationRequest", made
    result = gql(server.base, DOOR_RESULT, {"r": made["requestId"]}, server.owner)
    assert result["presentationResult"]["status"] == "PENDING"

    other = {"i": {"eventId": event_id, "badgeIds": [event_badge]}}
    wrong = gql(server.base, DOOR, other, server.owner)["presentationRequest"]
    answer, shown_wrong = present(holder, {"uri": made["uri"]}, {"uri": wrong["uri"]})
    assert (shown_wrong["httpStatus"], shown_wrong["body"]["reason"]) == (400, "BADGE_NOT_SHOWN")
    assert answer["httpStatus"] == 200, answer["body"]
    offered = answer["offered"]  # the event's badge, taken into the wallet at once
    assert offered["ok"] is True, offered
    assert offered["claims"]["achievement_id"].endswith(event_badge_local(event_badge))
    done = gql(server.base, DOOR_RESULT, {"r": made["requestId"]}, server.owner)
    result = done["presentationResult"]
    assert result["status"] == "ACCEPTED", result
    assert result["attendeeId"] == holder["userId"]
    assert result["badgeId"] == server.badge_id
    assert result["checkIn"] == "CONFIRMED_AND_AWARDED" and result["awardId"]
    assert gql(server.base, DOOR_RESULT, {"r": made["requestId"]}, holder["token"]) == {
        "presentationResult": None
    }


@contextmanager
def status_list_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server answering with the last token put in its list."""
    served: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
            body = served[-1].encode()
            self.send_response(200)
            self.send_header("Content-Type", token_status.MEDIA_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/status/1", served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def event_badge_local(global_id: str) -> str:
    from odznaka_graph.ids import local_id

    return str(local_id(global_id, "Badge"))


VERIFY = """query($i: VerifyPresentationInput!) { verifyPresentation(input: $i) {
  valid format reason issuer issuerTrusted credentialType keyBound checks
  disclosed { name value } } }"""


def verify(server: Server, text: str) -> dict[str, Any]:
    return gql(server.base, VERIFY, {"i": {"presentation": text}})["verifyPresentation"]  # type: ignore[no-any-return]


def test_verify_presentation_reports_what_was_shown_and_why(
    server: Server, holder: dict[str, Any]
) -> None:
    ours = verify(server, holder["credential"])
    assert (ours["valid"], ours["issuerTrusted"], ours["format"]) == (True, True, "dc+sd-jwt")
    shown = {claim["name"] for claim in ours["disclosed"]}
    assert {"achievement_title", "learner_identification", "status"} <= shown
    assert any("status: valid" in check for check in ours["checks"])

    issuer_jwt, first, *rest = holder["credential"].split("~")
    forged = sd_jwt.disclosure("achievement_title", "Forged")
    tampered = verify(server, "~".join([issuer_jwt, forged, *rest]))
    assert (tampered["valid"], tampered["reason"]) == (False, "DISCLOSURE_TAMPERED")

    private, chain = make_certificate("issuer.example", datetime.now(UTC))
    key = ECKey.import_key(private)
    foreign_vc = sd_jwt.issue(
        {"iss": "https://issuer.example", "vct": "urn:example:badge"},
        {"name": "Ktoś"},
        key,
        {"x5c": chain[:1]},
    )
    foreign = verify(server, foreign_vc)
    assert (foreign["valid"], foreign["issuerTrusted"], foreign["reason"]) == (False, False, None)
    assert foreign["checks"][0] == "issuer signature (x5c, no trust anchor)"
    assert {"name": "name", "value": '"Ktoś"'} in foreign["disclosed"]
    assert "status: none given" in foreign["checks"]

    with status_list_server() as (url, lists):  # the foreign issuer's Token Status List
        always = {"iss": "https://issuer.example", "vct": "urn:example:badge"}
        names = {"x5c": chain[:1]}
        listed = [
            sd_jwt.issue(always | {"status": token_status.reference(url, n)}, {}, key, names)
            for n in (3, 4)
        ]
        lists.append(token_status.token(url, always["iss"], [4], key, names, datetime.now(UTC)))
        kept, dropped = verify(server, listed[0]), verify(server, listed[1])
    assert "status: valid (the issuer's Token Status List)" in kept["checks"], kept
    assert (dropped["valid"], dropped["reason"]) == (False, "CREDENTIAL_REVOKED")

    award_id, token = server.award()
    open_badge = verify(server, server.export(award_id, token, "VC_JWT"))
    assert (open_badge["valid"], open_badge["format"]) == (True, "VC_JWT")


def test_a_credential_we_did_not_issue_signs_nobody_in(server: Server) -> None:
    """A wallet identity no account goes with: refused, nothing linked or created."""
    private, chain = make_certificate("issuer.example", datetime.now(UTC))
    key, holder = ECKey.import_key(private), ECKey.generate_key("P-256")
    always = {
        "iss": "https://issuer.example",
        "vct": f"{server.url}/vct/odznaka-microcredential/v1",
        "cnf": {"jwk": holder.as_dict(private=False)},
    }
    credential = sd_jwt.issue(
        always, {"learner_identification": "urn:uuid:x"}, key, {"x5c": chain[:1]}
    )
    made = sign_in_request(server)
    request_uri = httpx.QueryParams(made["uri"].split("?", 1)[1])["request_uri"]
    request_object = httpx.post(request_uri).text
    linked = server.sql("SELECT COUNT(*) FROM wallet_identities")
    reply = httpx.post(
        request_uri.replace("/request", "/response"),
        data={
            "response": hand_answer(request_object, credential, holder, "learner_identification")
        },
    )
    assert (reply.status_code, reply.json()["reason"]) == (400, "ISSUER_UNTRUSTED")
    assert status(server, made["requestId"]) == {"status": "REFUSED", "reason": "ISSUER_UNTRUSTED"}
    assert server.sql("SELECT COUNT(*) FROM wallet_identities") == linked


def test_a_wallet_that_declines_settles_the_request(server: Server) -> None:
    made = sign_in_request(server)
    request_uri = httpx.QueryParams(made["uri"].split("?", 1)[1])["request_uri"]
    request_object = httpx.post(request_uri, data={"wallet_nonce": "n-123"}).text
    claims = json.loads(sd_jwt.b64url_decode(request_object.split(".")[1]))
    assert claims["wallet_nonce"] == "n-123"
    response_uri = claims["response_uri"]
    declined = {"error": "access_denied", "state": "not-its-state"}
    wrong = httpx.post(response_uri, data=declined)
    assert (wrong.status_code, wrong.json()["reason"]) == (400, "STATE_MISMATCH")
    assert httpx.post(response_uri, data=declined | {"state": claims["state"]}).status_code == 200
    assert status(server, made["requestId"]) == {"status": "REFUSED", "reason": "WALLET_DECLINED"}
