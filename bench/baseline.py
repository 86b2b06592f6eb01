"""Performance baseline: a profile page, a catalogue search, a class leaderboard and badge
recommendations on a generated world, against the real server under load.

    uv run python -m bench.baseline --users 10000 [--clients 8] [--seconds 15]
        [--scenarios profile,catalogue_search,class_leaderboard,recommendations] [--label before]

Generates the world with bench/generate (or reuses the one under var/bench-graph-<users>),
starts its Neo4j and one uvicorn API process, signs the chosen users in, and per scenario:
1. counts the Cypher queries and SQL statements per request from the server's /metrics, over
   a sequential pass, for a subject with a long list and one with a short list (they must be
   equal: round trips may not grow with list sizes);
2. runs N concurrent clients for a fixed time from a separate process (bench/baseline_load.py)
   and reports throughput, p50/p99 latency, the server's CPU per request and the load average.
Writes bench/results/baseline-<users>[-<label>].json.
"""

import argparse
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from typing import Any

import httpx
from neo4j import GraphDatabase

from bench.baseline_measure import LoadAverage, counters, cpu_seconds, machine
from bench.baseline_scenarios import Scenario, Subject, scenarios
from bench.common import api_server, neo4j, save
from bench.generate import store_dirs
from bench.generate.__main__ import generate
from bench.generate.ledger_load import BENCH_PASSWORD
from bench.generate.world import Options, sizes

LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  ... on AuthPayload { accessToken } ... on MutationError { message } } }"""
SERVER_ENV = {
    # No outbox polling between requests (these scenarios write nothing), so the SQL
    # counter moves only for requests; tokens outlive the run.
    "OUTBOX_POLL_SECONDS": "3600",
    "ACCESS_TOKEN_MINUTES": "240",
}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=15, help="load time per scenario")
    parser.add_argument("--passes", type=int, default=3, help="sequential passes for counting")
    parser.add_argument("--scenarios", default="", help="comma-separated subset")
    parser.add_argument("--label", default="", help="suffix of the results file")
    return parser.parse_args()


def world(users: int, seed: int) -> str:
    """The generated world's name; reuses one already built for these users and seed."""
    name = f"graph-{users}"
    stamp = store_dirs(name)[1] / "generated.json"
    today = None
    if stamp.exists():
        options = json.loads(stamp.read_text())["options"]
        if options["seed"] == str(seed) and options["holdout"] == "0.0":
            today = date.fromisoformat(options["today"])
    generate(Options(users, seed, today=today or datetime.now(UTC).date()), name)
    return name


def sign_in(base: str, user_ids: set[str]) -> dict[str, str]:
    tokens = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for user in sorted(user_ids):
            email = f"user{user.removeprefix('g-user-')}@bench.odznaka.pl"
            variables = {"input": {"email": email, "password": BENCH_PASSWORD}}
            body = client.post("/graphql", json={"query": LOGIN, "variables": variables}).json()
            tokens[user] = body["data"]["login"]["accessToken"]
    return tokens


def request(subject: Subject, tokens: dict[str, str]) -> dict[str, Any]:
    token = tokens[subject.user] if subject.user else None
    return {"query": subject.query, "variables": subject.variables, "token": token}


def round_trips(base: str, requests: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    """Cypher queries and SQL statements per request, for each request of the list."""
    per_request: dict[str, list[float]] = {"cypher": [], "sql": []}
    with httpx.Client(base_url=base, timeout=120) as client:
        for spec in requests:
            send(client, spec)  # the first request of a kind fills caches (e.g. parsing)
            before = counters(base)
            for _ in range(passes):
                send(client, spec)
            after = counters(base)
            for key in per_request:
                per_request[key].append(round((after[key] - before[key]) / passes, 2))
    return {
        **{key: round(sum(found) / len(found), 2) for key, found in per_request.items()},
        "per_subject": per_request,
    }


def send(client: httpx.Client, spec: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {spec['token']}"} if spec["token"] else {}
    body = {"query": spec["query"], "variables": spec["variables"]}
    answer: dict[str, Any] = client.post("/graphql", json=body, headers=headers).json()
    if "errors" in answer:
        raise SystemExit(f"request failed: {json.dumps(answer)[:500]}")
    return answer


def load(base: str, requests: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    spec = {"base": base, "clients": args.clients, "seconds": args.seconds, "requests": requests}
    done = subprocess.run(
        [sys.executable, "-m", "bench.baseline_load"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(
    scenario: Scenario, base: str, pid: int, tokens: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    large = [request(s, tokens) for s in scenario.large]
    small = [request(scenario.small, tokens)]
    trips_large = round_trips(base, large, args.passes)
    trips_small = round_trips(base, small, args.passes)
    cpu_before, average = cpu_seconds(pid), LoadAverage()
    with average.sampling():
        result = load(base, large, args)
    cpu = cpu_seconds(pid) - cpu_before
    return {
        **result,
        "server_cpu_ms_per_request": round(1000 * cpu / max(result["requests"], 1), 2),
        "round_trips": trips_large,
        "round_trips_short_list": trips_small,
        "round_trips_constant": all(
            set(trips_large["per_subject"][key]) == set(trips_small["per_subject"][key])
            for key in ("cypher", "sql")
        ),
        "subjects": [s.note for s in scenario.large],
        "short_list_subject": scenario.small.note,
        "load_average": average.summary(),
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"{'scenario':20s} {'req/s':>7s} {'p50 ms':>8s} {'p99 ms':>8s} {'cpu ms':>7s} "
        f"{'cypher':>7s} {'sql':>5s} {'short list':>11s} {'load':>5s}",
    ]
    for name, r in results.items():
        short = r["round_trips_short_list"]
        lines.append(
            f"{name:20s} {r['rps']:7.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} "
            f"{r['server_cpu_ms_per_request']:7.1f} {r['round_trips']['cypher']:7.2f} "
            f"{r['round_trips']['sql']:5.2f} {short['cypher']:5.2f}/{short['sql']:<5.2f} "
            f"{r['load_average']['mean']:5.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse()
    name = world(args.users, args.seed)
    started, info = datetime.now(UTC), machine()
    results: dict[str, dict[str, Any]] = {}
    with neo4j(name) as server:
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password)) as driver:
            chosen = scenarios(driver, sizes(args.users))
        wanted = set(filter(None, args.scenarios.split(",")))
        chosen = [s for s in chosen if not wanted or s.name in wanted]
        with api_server(server, store_dirs(name)[1], True, **SERVER_ENV) as (host, pid):
            base = f"http://{host}"
            users = {s.user for c in chosen for s in [*c.large, c.small] if s.user}
            tokens = sign_in(base, users)
            for scenario in chosen:
                print(f"{scenario.name} ...", flush=True)
                results[scenario.name] = measure(scenario, base, pid, tokens, args)
    print(table(results))
    suffix = f"-{args.label}" if args.label else ""
    save(
        f"baseline-{args.users}{suffix}",
        {
            "when": started.isoformat(timespec="seconds"),
            "machine": info,
            "setup": "one uvicorn worker; Neo4j and the load generator on the same machine; "
            f"{args.clients} concurrent clients for {args.seconds:g} s per scenario after "
            "a 2 s warm-up; round trips from /metrics over sequential passes",
            "users": args.users,
            "seed": args.seed,
            "clients": args.clients,
            "seconds": args.seconds,
            "scenarios": results,
        },
    )


if __name__ == "__main__":
    main()
