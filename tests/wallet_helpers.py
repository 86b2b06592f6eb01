"""The wallet tests' server (a real uvicorn with a published badge), offers made through
GraphQL, a hand-made wallet (httpx + joserfc) for refusals, and the independent wallet
(tests/node/wallet.mjs, the OpenWallet Foundation's libraries) run as a subprocess."""

import hashlib
import itertools
import json
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jwe, jws
from joserfc.jwk import ECKey

from odznaka_graph.ids import local_id
from odznaka_graph.wallet import sd_jwt
from tests.api_process import AWARD, gql, register

NODE_DIR = Path(__file__).parent / "node"
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER = """mutation($i: CreateCredentialOfferInput!) { createCredentialOffer(input: $i) {
  __typename
  ... on CredentialOffer { offerUri qrSvg qrPng transactionCode credentialConfigurationId
    expiresAt }
  ... on MutationError { code reason message } } }"""
EXPORT = """mutation($i: ExportCredentialInput!) { exportCredential(input: $i) {
  ... on SignedCredential { document } } }"""
REVOKE = """mutation($i: RevokeAwardInput!) { revokeAward(input: $i) { __typename } }"""
_learners = itertools.count(1)


@dataclass
class Server:
    base: str
    var: Path
    owner: str
    badge_id: str

    @property
    def url(self) -> str:
        return f"http://{self.base}"

    def award(self) -> tuple[str, str]:
        """(award id, the holder's access token) of a fresh award to a new learner."""
        learner = register(self.base, f"walletlearner{next(_learners)}")
        done = gql(
            self.base,
            AWARD,
            {"i": {"badgeId": self.badge_id, "recipientId": learner["userId"]}},
            self.owner,
        )
        return str(done["awardBadge"]["id"]), learner["accessToken"]

    def offer(self, award_id: str, token: str | None, fmt: str = "SD_JWT_VC") -> dict[str, Any]:
        done = gql(self.base, OFFER, {"i": {"awardId": award_id, "format": fmt}}, token)
        return done["createCredentialOffer"]  # type: ignore[no-any-return]

    def export(self, award_id: str, token: str, fmt: str) -> str:
        done = gql(self.base, EXPORT, {"i": {"awardId": award_id, "format": fmt}}, token)
        return str(done["exportCredential"]["document"])

    def revoke(self, award_id: str) -> None:
        done = gql(self.base, REVOKE, {"i": {"awardId": award_id, "reason": "Błąd"}}, self.owner)
        assert done["revokeAward"]["__typename"] == "Award", done

    def sql(self, statement: str, *args: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.var / "odznaka.db") as db:
            return db.execute(statement, args).fetchall()

    def expire_offer(self, offer: dict[str, Any]) -> None:
        past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        code = pre_authorized_code(self, offer)
        digest = hashlib.sha256(code.encode()).hexdigest()
        self.sql("UPDATE wallet_offers SET expires_at = ? WHERE code_hash = ?", past, digest)

    def audit(self, award_id: str) -> list[str]:
        rows = self.sql(
            "SELECT action FROM audit_log WHERE subject_id = ? AND action LIKE 'wallet.%' "
            "ORDER BY id",
            local_id(award_id, "Award"),
        )
        return [row[0] for row in rows]


def offer_url(offer: dict[str, Any]) -> str:
    query = parse_qs(urlsplit(offer["offerUri"]).query)
    return query["credential_offer_uri"][0]


def pre_authorized_code(server: Server, offer: dict[str, Any]) -> str:
    document = httpx.get(offer_url(offer)).json()
    return str(document["grants"][PRE_AUTHORIZED]["pre-authorized_code"])


class HandWallet:
    """Each protocol step by hand, so that each can be done wrong on purpose."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.key = ECKey.generate_key("P-256")

    def token(self, code: str, tx_code: str | None) -> httpx.Response:
        form = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        return httpx.post(f"{self.server.url}/wallet/token", data=form)

    def nonce(self) -> str:
        return str(httpx.post(f"{self.server.url}/wallet/nonce").json()["c_nonce"])

    def proof(self, nonce: str, audience: str | None = None, **header: Any) -> str:
        claims = {"aud": audience or self.server.url, "iat": int(time.time()), "nonce": nonce}
        protected = {
            "alg": "ES256",
            "typ": "openid4vci-proof+jwt",
            "jwk": self.key.as_dict(private=False),
        } | header
        return jws.serialize_compact(protected, json.dumps(claims), self.key, ["ES256"])

    def credential(self, access_token: str, proof: str, **request: Any) -> httpx.Response:
        body = {
            "credential_configuration_id": "odznaka_microcredential_dc_sd_jwt",
            "proofs": {"jwt": [proof]},
        } | request
        headers = {"Authorization": f"Bearer {access_token}"}
        return httpx.post(f"{self.server.url}/wallet/credential", json=body, headers=headers)

    def redeem(self, offer: dict[str, Any]) -> str:
        code = pre_authorized_code(self.server, offer)
        response = self.token(code, offer["transactionCode"])
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def independent_wallet(request: dict[str, Any]) -> dict[str, Any]:
    """tests/node/wallet.mjs on one request (issue an offer, or verify a credential)."""
    node = shutil.which("node")
    assert node is not None, "node is needed: it comes with the test dependencies"
    assert (NODE_DIR / "node_modules").is_dir(), "run `make node-deps` (npm ci in tests/node)"
    done = subprocess.run(
        [node, str(NODE_DIR / "wallet.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def answer(request_object: str, credential: str, key: ECKey, shown_claim: str) -> str:
    """A wallet's direct_post.jwt answer by hand: the credential with one claim disclosed,
    a key-binding JWT for the request, encrypted ECDH-ES/A128GCM to the request's key."""
    claims = json.loads(sd_jwt.b64url_decode(request_object.split(".")[1]))
    issuer_jwt, *disclosures = filter(None, credential.split("~"))
    kept = [d for d in disclosures if json.loads(sd_jwt.b64url_decode(d))[1] == shown_claim]
    shown = "~".join([issuer_jwt, *kept]) + "~"
    binding = {
        "iat": int(time.time()),
        "aud": claims["client_id"],
        "nonce": claims["nonce"],
        "sd_hash": sd_jwt.digest(shown),
    }
    kb = jws.serialize_compact({"alg": "ES256", "typ": "kb+jwt"}, json.dumps(binding), key)
    body = {"vp_token": {"odznaka": [shown + kb]}, "state": claims["state"]}
    [encryption] = claims["client_metadata"]["jwks"]["keys"]
    header = {"alg": "ECDH-ES", "enc": "A128GCM", "kid": encryption["kid"]}
    return jwe.encrypt_compact(header, json.dumps(body), ECKey.import_key(encryption))
