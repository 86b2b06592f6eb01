"""Sequential awards in-process, one Neo4j and SQLite as the tests have them: the latency
of `awardBadge` (which waits for its projection and its handlers' rounds), CPU per award,
and the cost of an idle pass of the relay (time and SQL statements).

Run with the tests' fixtures:
    uv run pytest -p tests.conftest bench/award_latency.py -s
Against an older tree (a worktree at REV), the same file with that tree first on the path:
    PYTHONPATH=<worktree>/src:<worktree> uv run pytest -p tests.conftest bench/award_latency.py -s
Writes bench/results/award-latency-<label>.json (AWARD_LATENCY_LABEL, default "run")."""

import json
import os
import time
from pathlib import Path

from odznaka_graph.observability import RoundTrips, round_trips_var
from tests.helpers import Api, published_badge, register, verified_issuer

AWARD = "mutation($i: AwardBadgeInput!) { awardBadge(input: $i) { ... on Award { id } } }"
AWARDS = 40
IDLE_PASSES = 20
RESULTS = Path(__file__).parent / "results"


async def test_award_latency(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge = await published_badge(api, issuer)
    people = [await register(api) for _ in range(AWARDS)]
    took = []
    cpu_start = time.process_time()
    for person in people:
        started = time.perf_counter()
        variables = {"i": {"badgeId": badge, "recipientId": person.id}}
        await api.query(AWARD, variables, issuer.owner.token)
        took.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_start) / AWARDS
    took.sort()
    trips = RoundTrips()
    token = round_trips_var.set(trips)
    started = time.perf_counter()
    for _ in range(IDLE_PASSES):
        await api.runtime.services.stores.projector.drain()
    idle = (time.perf_counter() - started) / IDLE_PASSES
    round_trips_var.reset(token)
    found = {
        "awards": AWARDS,
        "p50_ms": round(took[AWARDS // 2] * 1000, 1),
        "p90_ms": round(took[int(AWARDS * 0.9)] * 1000, 1),
        "mean_ms": round(sum(took) / AWARDS * 1000, 1),
        "cpu_per_award_ms": round(cpu * 1000, 1),
        "idle_pass_ms": round(idle * 1000, 2),
        "idle_pass_sql": trips.sql / IDLE_PASSES,
        "load": os.getloadavg()[0],
    }
    print("\n" + json.dumps(found))
    label = os.environ.get("AWARD_LATENCY_LABEL", "run")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"award-latency-{label}.json").write_text(json.dumps(found, indent=2) + "\n")
