"""Wallet issuance bench (issue 16): offers -> issued SD-JWT VCs per second through the whole
OpenID4VCI flow against a real uvicorn: createCredentialOffer (GraphQL, as the holder),
the offer at its credential_offer_uri, the token with the transaction code, a nonce, and
the credential request with a key proof (ES256, made client-side with joserfc).

Awards are made beforehand (not timed). Reported: credentials per second with N clients,
the latency of one whole flow (p50/p95/p99) and of each step (p50), on this machine.

    uv run python -m bench.wallet_issuance [--credentials 200] [--clients 4]
"""

import argparse
import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.api_process import published_badge, register, verified_reviewer
from tests.wallet_helpers import HandWallet, Server, pre_authorized_code

from bench.common import api_server, neo4j, percentiles, save

STEPS = ("offer", "resolve", "token", "nonce", "credential")


def _flow(server: Server, award: tuple[str, str]) -> dict[str, float]:
    """One award from offer to credential; each step's seconds."""
    wallet, times = HandWallet(server), {}
    started = time.perf_counter()
    offer = server.offer(*award)
    times["offer"] = time.perf_counter()
    code = pre_authorized_code(server, offer)
    times["resolve"] = time.perf_counter()
    token = wallet.token(code, offer["transactionCode"])
    access = token.json()["access_token"]
    times["token"] = time.perf_counter()
    nonce = wallet.nonce()
    times["nonce"] = time.perf_counter()
    issued = wallet.credential(access, wallet.proof(nonce))
    assert issued.status_code == 200, issued.text
    times["credential"] = time.perf_counter()
    marks = [started, *(times[step] for step in STEPS)]
    spans = {step: marks[n + 1] - marks[n] for n, step in enumerate(STEPS)}
    return spans | {"total": marks[-1] - started}


def _awards(server: Server, count: int) -> list[tuple[str, str]]:
    print(f"making {count} awards (not timed) ...", flush=True)
    return [server.award() for _ in range(count)]


def run(credentials: int, clients: int) -> dict[str, Any]:
    env = {
        "REVIEWER_EMAILS": json.dumps(["checker@example.org"]),
        "REGISTER_MAX_PER_CLIENT": "1000000",
        "LOGIN_MAX_ATTEMPTS_PER_CLIENT": "1000000",
    }
    with (
        neo4j("wallet") as graph,
        tempfile.TemporaryDirectory(prefix="bench-wallet-") as tmp,
        api_server(graph, Path(tmp), with_pid=True, **env) as (base, _pid),
    ):
        var = Path(tmp)
        owner = register(base, f"benchowner{os.getpid()}")["accessToken"]
        checker = verified_reviewer(base, "benchchecker", var)["accessToken"]
        server = Server(base, var, owner, published_badge(base, owner, checker))
        _flow(server, server.award())  # warm up: the issuer's keys, its status list slot
        awards = _awards(server, credentials)
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            flows = list(pool.map(lambda award: _flow(server, award), awards))
        elapsed = time.perf_counter() - started
    result = {
        "credentials": credentials,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "credentials_per_second": round(credentials / elapsed, 1),
        "flow": percentiles([flow["total"] for flow in flows]),
        "step_p50_ms": {step: percentiles([f[step] for f in flows])["p50_ms"] for step in STEPS},
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--credentials", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    save(f"wallet-issuance-{args.clients}", run(args.credentials, args.clients))


if __name__ == "__main__":
    main()
