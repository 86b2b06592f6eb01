"""A planned read as a managed transaction or as one auto-commit query, side by side.

    uv run python -m bench.read_round_trips [--name graph-10000] [--handle H] [--reads 150]

A managed transaction (`driver.execute_query`) sends BEGIN, RUN and PULL, then COMMIT in
a second round trip; an auto-commit query (what `Graph.read_plain` now sends) is RUN and
PULL in one. On the generated world (`python -m bench.generate`), this plans the bench
profile (`user(handle:)` with 50 awards, badge, issuer) for an anonymous reader, runs its
one Cypher query both ways in interleaved rounds, and prints the wall time and this
process's CPU per read (the driver's share of the API's work). Writes
bench/results/read-round-trips.json.
"""

import argparse
import asyncio
import tempfile
import time
from typing import Any

from neo4j import READ_ACCESS, AsyncGraphDatabase, RoutingControl

from bench.common import neo4j, save
from bench.versus_reads import PROFILE_OURS
from odznaka_graph.api import build_schema, planner_for
from odznaka_graph.clock import now
from odznaka_graph.planner.plan import Binding
from odznaka_graph.services.tokens import ANONYMOUS
from odznaka_graph.services.visibility import club_readers
from odznaka_graph.settings import Settings


def planned_profile(handle: str) -> tuple[str, dict[str, Any]]:
    settings = Settings(var_dir=tempfile.mkdtemp())
    planner = planner_for(build_schema(settings), settings)
    planned = planner.plan(PROFILE_OURS, None)
    assert planned is not None and planned.plan.cypher is not None
    blank = Binding({}, ANONYMOUS, settings.max_page_size, club_readers(), now(), [])
    binding = planner.binding(planned, {"h": handle}, blank)
    return planned.plan.cypher, planned.plan.bind(binding)


async def measure(uri: str, password: str, handle: str, reads: int) -> dict[str, Any]:
    query, params = planned_profile(handle)
    driver = AsyncGraphDatabase.driver(
        uri, auth=("neo4j", password), notifications_min_severity="OFF"
    )

    async def managed() -> Any:
        records, _, _ = await driver.execute_query(query, params, routing_=RoutingControl.READ)
        return records

    async def auto_commit() -> Any:
        async with driver.session(default_access_mode=READ_ACCESS) as session:
            result = await session.run(query, params)
            return [record async for record in result]

    ways = {"managed transaction": managed, "auto-commit query": auto_commit}
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in ways}
    try:
        for way in ways.values():
            for _ in range(30):
                await way()
        for round_number in range(4):
            for name, way in ways.items():
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(reads):
                    await way()
                each = {
                    "wall_ms": round(1000 * (time.perf_counter() - wall) / reads, 2),
                    "client_cpu_ms": round(1000 * (time.process_time() - cpu) / reads, 3),
                }
                figures[name].append(each)
                print(f"round {round_number + 1} {name:20} {each}", flush=True)
    finally:
        await driver.close()
    return {"handle": handle, "reads_per_round": reads, "rounds": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="graph-10000", help="the generated world")
    parser.add_argument("--handle", default="anna.majewska.813")
    parser.add_argument("--reads", type=int, default=150)
    args = parser.parse_args()
    with neo4j(args.name) as server:
        result = asyncio.run(measure(server.uri, server.password, args.handle, args.reads))
    result["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    save("read-round-trips", result)


if __name__ == "__main__":
    main()
