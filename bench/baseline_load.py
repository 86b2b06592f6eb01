"""The load generator of bench/baseline.py, run in a process of its own so that its CPU is
not the server's: N concurrent clients POST GraphQL requests for a fixed time.

    python -m bench.baseline_load < spec.json > result.json

The spec: {"base": url, "clients": N, "seconds": s, "warmup_seconds": s, "requests":
[{"query", "variables", "token"}, ...]}; each client goes round the requests from its own
starting point. Prints {"requests", "errors", "seconds", "rps", latency percentiles} as JSON.
"""

import asyncio
import json
import sys
import time
from typing import Any

import httpx

from bench.common import percentiles


class Client:
    def __init__(self, http: httpx.AsyncClient, requests: list[dict[str, Any]], start: int):
        self.http = http
        self.requests = requests
        self.next = start
        self.samples: list[float] = []
        self.errors: list[str] = []

    async def one(self) -> None:
        spec = self.requests[self.next % len(self.requests)]
        self.next += 1
        headers = {"Authorization": f"Bearer {spec['token']}"} if spec.get("token") else {}
        body = {"query": spec["query"], "variables": spec.get("variables") or {}}
        started = time.perf_counter()
        response = await self.http.post("/graphql", json=body, headers=headers)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or "errors" in response.json():
            self.errors.append(response.text[:300])
        self.samples.append(elapsed)

    async def run_until(self, deadline: float) -> None:
        while time.perf_counter() < deadline:
            await self.one()


async def drive(spec: dict[str, Any]) -> dict[str, Any]:
    clients = int(spec["clients"])
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=spec["base"], timeout=120, limits=limits) as http:
        requests = spec["requests"]
        warm = [Client(http, requests, i) for i in range(clients)]
        deadline = time.perf_counter() + float(spec.get("warmup_seconds", 2))
        await asyncio.gather(*(c.run_until(deadline) for c in warm))
        workers = [Client(http, requests, i * 7) for i in range(clients)]
        started = time.perf_counter()
        await asyncio.gather(*(c.run_until(started + float(spec["seconds"])) for c in workers))
        seconds = time.perf_counter() - started
    samples = [s for c in workers for s in c.samples]
    errors = [e for c in warm + workers for e in c.errors]
    return {
        "requests": len(samples),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "seconds": round(seconds, 2),
        "rps": round(len(samples) / seconds, 1),
        **percentiles(samples),
    }


def main() -> None:
    spec = json.load(sys.stdin)
    print(json.dumps(asyncio.run(drive(spec))))


if __name__ == "__main__":
    main()
