"""Hostile documents against a real uvicorn process: what they cost the server, and others.

For each kind (fragment fan-out 6^7..6^9, nested connections, many aliases, a 50 MB body,
500 WebSockets) it sends the hostile request(s) while a normal client keeps asking
`{ badges(first: 10) { edges { node { name } } } }`, and prints the time the hostile
requests took to be refused or answered (one uvicorn worker on loopback), the server's CPU
per hostile request (its CPU over the kind less what the normal queries cost when quiet) and
the normal query's p99 alongside against its quiet p99. Results are written
to bench/results/hostile.json; with `--before-src` (the src/ of a checkout of older code) the
same run first measures a server running that code, so before and after sit side by side:

    mkdir -p /tmp/before && git archive 330edd9 src | tar -x -C /tmp/before
    uv run python -m bench.hostile --before-src /tmp/before/src
"""

import argparse
import asyncio
import json
import os
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench.common import RESULTS, api_server, neo4j, percentiles
from odznaka_graph.settings import PROJECT_ROOT

NORMAL = "{ badges(first: 10) { edges { node { name } } } }"
PASSWORD = "correct horse battery"
PEOPLE = 20
QUIET_REQUESTS = 200
KIND_SECONDS = 3.0
JSON = {"content-type": "application/json"}


def fan_out(levels: int, fan: int = 6) -> str:
    """Ten fragments each spreading the next six times end at `{ __typename }`."""
    fragments = [
        f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * fan)} }}"
        for i in range(levels - 1)
    ]
    fragments.append(f"fragment F{levels - 1} on Query {{ __typename }}")
    return "query { ...F0 }\n" + "\n".join(fragments)


def followers(depth: int) -> str:
    inner = "handle"
    for _ in range(depth):
        inner = f"handle followers(first: 100) {{ edges {{ node {{ {inner} }} }} }}"
    return inner


def handle(i: int) -> str:
    return f"osoba{i % PEOPLE:02d}"


NESTED = f'{{ user(handle: "{handle(0)}") {{ {followers(3)} }} }}'
ALIASES = (
    "{ "
    + " ".join(f'a{i}: user(handle: "{handle(i)}") {{ {followers(2)} }}' for i in range(30))
    + " }"
)
# Variables the operation does not declare are ignored: only the body's size counts.
LARGE = {"query": "{ __typename }", "variables": {"pad": "x" * 50_000_000}}


async def post(client: httpx.AsyncClient, body: bytes) -> tuple[float, str]:
    """Seconds the request took and what came back (a data key or an error code)."""
    started = time.perf_counter()
    try:
        response = await client.post("/graphql", content=body, headers=JSON)
    except httpx.HTTPError as error:
        return time.perf_counter() - started, type(error).__name__
    elapsed = time.perf_counter() - started
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return elapsed, f"HTTP {response.status_code}"
    if errors:
        code = (errors[0].get("extensions") or {}).get("code")
        return elapsed, code or errors[0]["message"][:60]
    return elapsed, f"HTTP {response.status_code} data"


def server_cpu(pid: int) -> float:
    """Seconds of CPU the server process has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def normal_loop(client: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    samples = []
    while not stop.is_set():
        started = time.perf_counter()
        await client.post("/graphql", json={"query": NORMAL})
        samples.append(time.perf_counter() - started)
    return samples


async def alongside(
    client: httpx.AsyncClient,
    hostile: Callable[[], Awaitable[list[tuple[float, str]]]],
    pid: int,
    quiet_cpu: float,
) -> dict[str, Any]:
    """The hostile requests run on their own thread and event loop, so what the client does
    to build or send them (a 50 MB body) does not delay the normal client's own timing; the
    server's CPU over the kind, less what the normal queries cost when quiet, is the time
    the server spent on the hostile ones."""
    stop = asyncio.Event()
    normal = asyncio.create_task(normal_loop(client, stop))
    await asyncio.sleep(0.2)
    cpu_before = server_cpu(pid)
    outcomes = await asyncio.to_thread(asyncio.run, hostile())
    cpu_spent = server_cpu(pid) - cpu_before
    stop.set()
    samples = await normal
    times = [seconds for seconds, _ in outcomes]
    hostile_cpu = max(0.0, cpu_spent - quiet_cpu * len(samples)) / len(outcomes)
    return {
        "hostile_requests": len(outcomes),
        "hostile_ms_median": round(sorted(times)[len(times) // 2] * 1000, 1),
        "hostile_ms_max": round(max(times) * 1000, 1),
        "server_cpu_ms_per_hostile": round(hostile_cpu * 1000, 2),
        "answers": sorted({answer for _, answer in outcomes}),
        "normal_alongside": percentiles(samples) if len(samples) > 1 else {"n": len(samples)},
    }


def repeated(base: str, body: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
    """The hostile request again and again for a few seconds (at least once), from its own
    client; the body is encoded once."""
    encoded = json.dumps(body).encode()

    async def run() -> list[tuple[float, str]]:
        async with httpx.AsyncClient(base_url=f"http://{base}", timeout=120) as client:
            outcomes = [await post(client, encoded)]
            deadline = time.perf_counter() + KIND_SECONDS
            while time.perf_counter() < deadline and outcomes[-1][0] < KIND_SECONDS:
                outcomes.append(await post(client, encoded))
            return outcomes

    return run


def sockets(base: str, count: int) -> Callable[[], Awaitable[Any]]:
    async def run() -> list[tuple[float, str]]:
        async def one() -> tuple[float, str, Any]:
            started = time.perf_counter()
            try:
                ws = await websockets.connect(
                    f"ws://{base}/graphql",
                    subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                    compression=None,
                    open_timeout=30,
                )
                await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
                reply = json.loads(await asyncio.wait_for(ws.recv(), 30))
                return time.perf_counter() - started, reply.get("type", "?"), ws
            except Exception as error:  # noqa: BLE001 - refused sockets are an outcome
                return time.perf_counter() - started, type(error).__name__, None

        opened = await asyncio.gather(*(one() for _ in range(count)))
        await asyncio.sleep(KIND_SECONDS)
        await asyncio.gather(*(ws.close() for _, _, ws in opened if ws is not None))
        return [(seconds, answer) for seconds, answer, _ in opened]

    return run


async def seed(client: httpx.AsyncClient) -> None:
    """PEOPLE accounts that all follow each other."""
    register = """mutation($i: RegisterInput!) { register(input: $i) {
        ... on AuthPayload { accessToken userId } } }"""
    people = []
    for i in range(PEOPLE):
        data = (
            await client.post(
                "/graphql",
                json={
                    "query": register,
                    "variables": {
                        "i": {
                            "email": f"{handle(i)}@example.org",
                            "password": PASSWORD,
                            "handle": handle(i),
                            "displayName": handle(i).title(),
                        }
                    },
                },
            )
        ).json()
        payload = (data.get("data") or {}).get("register") or {}
        if "accessToken" not in payload:
            raise SystemExit(f"could not register {handle(i)}: {data}")
        people.append(payload)
    follow = "mutation($i: UserIdInput!) { follow(input: $i) { __typename } }"
    for fan in people:
        headers = {"Authorization": f"Bearer {fan['accessToken']}"}
        for star in people:
            if star is not fan:
                await client.post(
                    "/graphql",
                    json={"query": follow, "variables": {"i": {"userId": star["userId"]}}},
                    headers=headers,
                )
    print(f"seeded {len(people)} people following each other", flush=True)


async def measure(base: str, pid: int, only: list[str]) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=4)
    async with httpx.AsyncClient(base_url=f"http://{base}", timeout=120, limits=limits) as normal:
        await seed(normal)
        for _ in range(20):
            await normal.post("/graphql", json={"query": NORMAL})
        quiet = []
        cpu_before = server_cpu(pid)
        for _ in range(QUIET_REQUESTS):
            started = time.perf_counter()
            await normal.post("/graphql", json={"query": NORMAL})
            quiet.append(time.perf_counter() - started)
        quiet_cpu = (server_cpu(pid) - cpu_before) / QUIET_REQUESTS
        result: dict[str, Any] = {
            "normal_quiet": percentiles(quiet),
            "normal_quiet_server_cpu_ms": round(quiet_cpu * 1000, 2),
            "kinds": {},
        }
        kinds: dict[str, Callable[[], Awaitable[Any]]] = {
            "fan-out 6^7": repeated(base, {"query": fan_out(8)}),
            "fan-out 6^8": repeated(base, {"query": fan_out(9)}),
            "fan-out 6^9": repeated(base, {"query": fan_out(10)}),
            "nested followers(first: 100) x3": repeated(base, {"query": NESTED}),
            "30 aliases of followers(first: 100) x2": repeated(base, {"query": ALIASES}),
            "50 MB body": repeated(base, LARGE),
            "500 WebSockets": sockets(base, 500),
        }
        for name, run in kinds.items():
            if only and not any(word in name for word in only):
                continue
            figures = await alongside(normal, run, pid, quiet_cpu)
            result["kinds"][name] = figures
            print(
                f"{name:40} hostile median {figures['hostile_ms_median']:>9} ms, "
                f"max {figures['hostile_ms_max']:>9} ms, server CPU "
                f"{figures['server_cpu_ms_per_hostile']:>7} ms each "
                f"({figures['hostile_requests']}x, "
                f"{', '.join(figures['answers'])}); normal p99 alongside "
                f"{figures['normal_alongside'].get('p99_ms', '-')} ms "
                f"(quiet {result['normal_quiet']['p99_ms']} ms)",
                flush=True,
            )
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before-src",
        type=Path,
        help="also run a server from this src/ (a checkout of older code) first, as 'before'",
    )
    parser.add_argument("--kinds", nargs="*", default=[], help="only kinds naming these words")
    args = parser.parse_args()
    runs: dict[str, Path | None] = {"after": None}
    if args.before_src:
        runs = {"before": args.before_src.resolve(), "after": None}
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with neo4j("hostile", heap="512m", page_cache="256m") as server:
        for label, source in runs.items():
            print(f"--- {label}: server from {source or PROJECT_ROOT / 'src'}", flush=True)
            server_wipe(server)
            var = fresh(PROJECT_ROOT / "var" / f"bench-hostile-{label}-api")
            # The seeding client registers and signs in everyone from one address; the
            # per-client account and sign-in limits are not what this bench measures.
            env = {"REGISTER_MAX_PER_CLIENT": "1000", "LOGIN_MAX_ATTEMPTS_PER_CLIENT": "1000"}
            env |= {"PYTHONPATH": str(source)} if source else {}
            with api_server(server, var, with_pid=True, **env) as (base, pid):
                results[label] = asyncio.run(measure(base, pid, args.kinds))
            results[label]["server_src"] = str(source or PROJECT_ROOT / "src")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "hostile.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results written to {path.relative_to(PROJECT_ROOT)}")


def fresh(var: Path) -> Path:
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    return var


def server_wipe(server: Any) -> None:
    """Start from an empty graph, so each run seeds the same people."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(server.uri, auth=("neo4j", server.password)) as driver:
        driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    main()
