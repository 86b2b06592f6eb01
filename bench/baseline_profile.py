"""Where a baseline scenario's time goes: the app in this process (no uvicorn), one request
after another under pyinstrument, on a generated world.

    uv run python -m bench.baseline_profile --users 100000 --scenario profile [--cpu]
        [--requests 40] [--clients 1] [--html var/profile.html]

Prints the Cypher each request sends (the first request's list) and pyinstrument's call tree
(wall time, awaits included, so waiting on Neo4j shows as such); --html writes the
interactive view too.
"""

import argparse
import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from neo4j import GraphDatabase
from pydantic import SecretStr
from pyinstrument import Profiler

from bench.baseline import SERVER_ENV, world
from bench.baseline_scenarios import Scenario, scenarios
from bench.common import neo4j
from bench.generate import store_dirs
from bench.generate.ledger_load import BENCH_PASSWORD
from bench.generate.world import sizes
from odznaka_graph.app import create_app
from odznaka_graph.observability import RoundTrips, round_trips_var
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenario", default="profile")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--html", type=Path, default=None)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="sample only what runs (CPU), not the awaits (wall time)",
    )
    return parser.parse_args()


async def post(client: httpx.AsyncClient, query: str, variables: Any, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = (
        await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    ).json()
    assert "errors" not in body, body
    return body


async def sign_in(client: httpx.AsyncClient, user: str) -> str:
    from bench.baseline import LOGIN

    email = f"user{user.removeprefix('g-user-')}@bench.odznaka.pl"
    body = await post(client, LOGIN, {"input": {"email": email, "password": BENCH_PASSWORD}}, None)
    return str(body["data"]["login"]["accessToken"])


async def profile(settings: Settings, scenario: Scenario, args: argparse.Namespace) -> None:
    async with AsyncExitStack() as stack:
        runtime = await Runtime.open(settings, relay=False)
        stack.push_async_callback(runtime.close)
        app = create_app(settings, runtime)
        await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=app)
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120)
        )
        tokens = {s.user: await sign_in(client, s.user) for s in scenario.large if s.user}
        calls = [(s.query, s.variables, tokens.get(s.user or "")) for s in scenario.large]
        for call in calls:  # warm: plans, caches, pooled connections
            await post(client, *call)
        trips = RoundTrips()
        reset = round_trips_var.set(trips)
        await post(client, *calls[0])
        round_trips_var.reset(reset)
        print(f"{len(trips.queries)} Cypher queries for one request:")
        for query in trips.queries:
            print("  -", " ".join(query.split())[:160])
        profiler = Profiler(async_mode="disabled" if args.cpu else "enabled", interval=0.0005)

        async def one_client(start: int) -> None:
            for i in range(start, start + args.requests // args.clients):
                await post(client, *calls[i % len(calls)])

        profiler.start()
        await asyncio.gather(*(one_client(c) for c in range(args.clients)))
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.cpu:
            flat = profiler.output_text(flat=True, show_all=True)
            print("\n".join(flat.splitlines()[:45]))
        root = profiler.last_session.root_frame() if profiler.last_session else None
        if root is not None:
            print("self time by package:")
            totals = by_package(root, {})
            for package, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:15]:
                print(f"  {package:30s} {seconds:7.3f} s")
        if args.html:
            args.html.write_text(profiler.output_html())
            print(f"written {args.html}")


def by_package(frame: Any, totals: dict[str, float]) -> dict[str, float]:
    """Self time summed by the package a frame's code lives in."""
    path = frame.file_path or "<native>"
    if "site-packages/" in path:
        package = path.split("site-packages/", 1)[1].split("/", 1)[0]
    elif "/src/odznaka_graph/" in path:
        package = "odznaka_graph/" + path.split("/src/odznaka_graph/", 1)[1].split("/", 1)[0]
    elif "/lib/python3" in path:
        package = "stdlib/" + path.split("/lib/python3", 1)[1].split("/")[1]
    else:
        package = path.rsplit("/", 1)[-1]
    self_time = frame.total_self_time if frame.function != "[await]" else 0.0
    totals[package] = totals.get(package, 0.0) + self_time
    for child in frame.children:
        by_package(child, totals)
    return totals


def main() -> None:
    args = parse()
    name = world(args.users, args.seed)
    with neo4j(name) as server:
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password)) as driver:
            found = {s.name: s for s in scenarios(driver, sizes(args.users))}
        settings = Settings(
            var_dir=store_dirs(name)[1],
            neo4j_uri=server.uri,
            neo4j_password=SecretStr(server.password),
            **{key.lower(): value for key, value in SERVER_ENV.items()},
        )
        asyncio.run(profile(settings, found[args.scenario], args))


if __name__ == "__main__":
    main()
