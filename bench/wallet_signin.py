"""Wallet sign-in bench (issue 16): the round trip of one OpenID4VP sign-in against a real
uvicorn, sequentially: walletSignInRequest (GraphQL), the wallet's POST to the request_uri
(the signed request object), its answer (the SD-JWT VC showing only the learner's id, a
key-binding JWT, all encrypted ECDH-ES/A128GCM to the request's key) posted to the
response_uri, walletSignInResult, and completeWalletSignIn (the tokens).

The wallet here is joserfc by hand (the independent wallet's proof is tests/node): the
credential is issued once beforehand, through the OpenID4VCI flow.

    uv run python -m bench.wallet_signin [--sign-ins 100]
"""

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc.jwk import ECKey
from tests.api_process import gql, published_badge, register, verified_reviewer
from tests.wallet_helpers import HandWallet, Server, answer

from bench.common import api_server, neo4j, percentiles, save
from odznaka_graph.neo4j_server import free_port

STEPS = ("request", "request_object", "response", "result", "tokens")
SIGN_IN = "mutation { walletSignInRequest { ... on PresentationRequest { requestId uri } } }"
RESULT = "query($r: String!) { walletSignInResult(requestId: $r) { status } }"
COMPLETE = """mutation($i: CompleteWalletSignInInput!) { completeWalletSignIn(input: $i) {
  ... on AuthPayload { accessToken } } }"""


def _credential(server: Server) -> tuple[str, ECKey]:
    """An SD-JWT VC bound to a fresh wallet key, through OpenID4VCI."""
    award_id, token = server.award()
    wallet = HandWallet(server)
    access = wallet.redeem(server.offer(award_id, token))
    issued = wallet.credential(access, wallet.proof(wallet.nonce()))
    return str(issued.json()["credentials"][0]["credential"]), wallet.key


def _sign_in(server: Server, credential: str, key: ECKey) -> dict[str, float]:
    marks = [time.perf_counter()]
    made = gql(server.base, SIGN_IN)["walletSignInRequest"]
    marks.append(time.perf_counter())
    request_uri = parse_qs(urlsplit(made["uri"]).query)["request_uri"][0]
    request_object = httpx.post(request_uri).text
    marks.append(time.perf_counter())
    answered = httpx.post(
        request_uri.replace("/request", "/response"),
        data={"response": answer(request_object, credential, key, "learner_identification")},
    )
    assert answered.status_code == 200, answered.text
    marks.append(time.perf_counter())
    status = gql(server.base, RESULT, {"r": made["requestId"]})["walletSignInResult"]["status"]
    assert status == "ACCEPTED", status
    marks.append(time.perf_counter())
    done = gql(server.base, COMPLETE, {"i": {"requestId": made["requestId"]}})
    assert done["completeWalletSignIn"]["accessToken"]
    marks.append(time.perf_counter())
    spans = {step: marks[n + 1] - marks[n] for n, step in enumerate(STEPS)}
    return spans | {"total": marks[-1] - marks[0]}


def run(sign_ins: int) -> dict[str, Any]:
    env = {
        "REVIEWER_EMAILS": json.dumps(["checker@example.org"]),
        "WALLET_SIGN_IN_MAX_PER_CLIENT": "1000000",
        "DEV_SMTP_PORT": str(free_port()),  # the reviewer's verification mail
    }
    with (
        neo4j("wallet-signin") as graph,
        tempfile.TemporaryDirectory(prefix="bench-signin-") as tmp,
        api_server(graph, Path(tmp), with_pid=True, **env) as (base, _pid),
    ):
        var = Path(tmp)
        owner = register(base, f"signinowner{os.getpid()}")["accessToken"]
        checker = verified_reviewer(base, "signinchecker", var)["accessToken"]
        server = Server(base, var, owner, published_badge(base, owner, checker))
        credential, key = _credential(server)
        _sign_in(server, credential, key)  # warm up: the verifier's certificate, the keys
        load_before = os.getloadavg()
        rounds = [_sign_in(server, credential, key) for _ in range(sign_ins)]
    result = {
        "sign_ins": sign_ins,
        "round_trip": percentiles([r["total"] for r in rounds]),
        "step_p50_ms": {step: percentiles([r[step] for r in rounds])["p50_ms"] for step in STEPS},
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sign-ins", type=int, default=100)
    args = parser.parse_args()
    save("wallet-signin", run(args.sign_ins))


if __name__ == "__main__":
    main()
