"""The API side by side with @neo4j/graphql + Apollo (the anchor) and a hand-written floor,
on one Neo4j holding one generated world, under the same external load.

    uv run python -m bench.versus --users 10000 [--rounds 3] [--seconds 10]
        [--connections 8] [--warmup 2] [--reads profile,typename] [--before REV]

Generates the world with bench/generate (or reuses var/bench-graph-<users>), starts its
Neo4j and on it: the API (one uvicorn worker), the anchor (bench/versus/anchor: Node,
`npm ci` when its node_modules is missing), the floor (bench/versus/floor.py: one Cypher
query per read, orjson on Starlette) and, with `--before REV`, the API of that git
revision from a temporary worktree with its own `uv sync` and a copy of the ledger.
For each read (a public profile, catalogue search, a path with a follower's progress, a
class leaderboard, `{ __typename }`) it checks that every server gives the same answer
(normalised: local ids, instants, order kept; the floor's is the reference), counts the
API's Cypher round trips and SQL statements per request (from /metrics), then runs `wrk`
(Debian's; installed if missing) against each server in turn, interleaved, for N rounds
(each round starts with the next server, so none always meets Neo4j's caches first), and
prints per round req/s, p50, p99, each server's CPU per request and the ratios
ours/anchor, ours/floor (and after/before); answers are checked again after the load.
Writes bench/results/versus-<users>[-<label>].json.
Every process it starts is stopped on the way out, also on Ctrl-C and errors.
"""

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from bench.baseline import sign_in, world
from bench.baseline_measure import LoadAverage, counters, cpu_seconds, machine
from bench.common import neo4j, save
from bench.generate import store_dirs
from bench.versus_load import Load, post
from bench.versus_reads import KINDS, Read, reads
from bench.versus_servers import Running, anchor, api, floor, ledger_copy, revision, stack

ORDER = ("ours", "anchor", "floor", "before")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10, help="per run of wrk")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per server and read")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--reads", default="", help="comma-separated subset of the reads")
    parser.add_argument("--before", default="", help="also run the API of this git revision")
    parser.add_argument("--label", default="", help="suffix of the results file")
    return parser.parse_args()


def main() -> None:
    args = parse()
    name = world(args.users, args.seed)
    started, info = datetime.now(UTC), machine()
    home, var_dir = store_dirs(name)
    logs = Path(tempfile.mkdtemp(prefix="versus-logs-"))
    with stack() as running:
        server = running.enter_context(neo4j(name))
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password)) as driver:
            chosen = pick(reads(driver), args.reads)
        servers: dict[str, Running] = {}
        if args.before:
            tree = running.enter_context(revision(args.before))
            copy = ledger_copy(var_dir, tree.parent)
            servers["before"] = running.enter_context(api("before", server, copy, logs, tree))
        servers["ours"] = running.enter_context(api("ours", server, var_dir, logs))
        servers["anchor"] = running.enter_context(anchor(server, logs))
        servers["floor"] = running.enter_context(floor(server, var_dir / "odznaka.db", logs))
        print(
            f"servers up (logs in {logs}): "
            + ", ".join(f"{k} {v.base}" for k, v in servers.items())
        )
        tokens: dict[str, dict[str, str]] = {
            kind: tokens_for(servers[kind], chosen)
            for kind in ("ours", "before")
            if kind in servers
        }
        load = Load(args.connections)
        running.callback(load.close)
        results = {read.name: measure(read, servers, tokens, load, args) for read in chosen}
    save(
        f"versus-{args.users}{'-' + args.label if args.label else ''}",
        {
            "when": started.isoformat(timespec="seconds"),
            "machine": info,
            "setup": f"one Neo4j ({home.name}); the API in one uvicorn worker; the anchor on "
            f"Node; the floor in one uvicorn worker; wrk -t1 -c{args.connections} for "
            f"{args.seconds:g} s per server and read, interleaved (the first server "
            f"rotating per round), after {args.warmup:g} s of warm-up each; everything on "
            "this machine",
            "users": args.users,
            "before": args.before or None,
            "rounds": args.rounds,
            "reads": results,
        },
    )


def pick(found: list[Read], wanted: str) -> list[Read]:
    names = set(filter(None, wanted.split(",")))
    unknown = names - {read.name for read in found}
    if unknown:
        raise SystemExit(f"unknown reads: {', '.join(sorted(unknown))}")
    return [read for read in found if not names or read.name in names]


def tokens_for(server: Running, chosen: list[Read]) -> dict[str, str]:
    users = {read.requests["ours"].user for read in chosen} - {None}
    return sign_in(server.base, {user for user in users if user})


def kinds_of(read: Read, servers: dict[str, Running]) -> list[str]:
    return [kind for kind in ORDER if kind in servers and _spec(kind) in read.requests]


def _spec(kind: str) -> str:
    return "ours" if kind == "before" else kind


def measure(
    read: Read,
    servers: dict[str, Running],
    tokens: dict[str, dict[str, str]],
    load: Load,
    args: argparse.Namespace,
) -> dict[str, Any]:
    print(f"\n== {read.name}: {read.note}", flush=True)
    checked = check(read, servers, tokens)
    same = [kind for kind in kinds_of(read, servers) if checked[kind] == "same"]
    result: dict[str, Any] = {"note": read.note, "checked": checked, "rounds": []}
    result["round_trips"] = {
        kind: round_trips(servers[kind], read, tokens[kind])
        for kind in ("ours", "before")
        if kind in same
    }
    for kind, trips in result["round_trips"].items():
        print(f"  {kind} per request: {trips['cypher']} Cypher queries, {trips['sql']} SQL")
    for kind in same:
        run(load, servers[kind], read, tokens, kind, args.warmup)
    for number in range(1, args.rounds + 1):
        average = LoadAverage()
        # The servers take turns going first (one Neo4j: the first after the previous read
        # meets its caches coldest), so no server is always the one that warms them.
        turn = (number - 1) % len(same)
        with average.sampling():
            timed = {
                kind: run(load, servers[kind], read, tokens, kind, args.seconds)
                for kind in same[turn:] + same[:turn]
            }
        figures = {kind: timed[kind] for kind in same}
        row = {"figures": figures, "ratios": ratios(figures), "load_average": average.summary()}
        result["rounds"].append(row)
        print_round(number, row)
    result["checked_after"] = check(read, servers, tokens, quiet=True)
    if any(result["checked_after"][kind] != "same" for kind in same):
        print(f"  answers after the load: {result['checked_after']}")
    return result


def check(
    read: Read, servers: dict[str, Running], tokens: dict[str, dict[str, str]], quiet: bool = False
) -> dict[str, str]:
    """Each server's answer, normalised, against the floor's (the hand-written reference):
    'same' or what differs. Only servers answering the same are timed."""
    shapes: dict[str, Any] = {}
    checked: dict[str, str] = {}
    for kind in sorted(kinds_of(read, servers), key=lambda k: k != "floor"):
        spec = _spec(kind)
        request = read.requests[spec]
        token = tokens.get(kind, {}).get(request.user or "")
        answer = post(servers[kind].base, request, token)
        try:
            shapes[kind] = read.shapes[spec](answer)
        except (KeyError, TypeError, IndexError) as error:
            checked[kind] = f"unexpected answer ({error!r}): {json.dumps(answer)[:600]}"
        else:
            reference = shapes.get("floor")
            if reference is None:
                checked[kind] = "no reference: the floor gave no answer"
            elif shapes[kind] == reference:
                checked[kind] = "same"
            else:
                checked[kind] = differs(reference, shapes[kind])
        if not quiet:
            shown = checked[kind]
            if kind == "floor" and shown == "same":
                shown = describe(shapes[kind])
            print(f"  {kind:7s} {shown}")
    return checked


def describe(shape: Any) -> str:
    """The reference answer, in brief: the sizes of the lists in it."""
    parts = shape if isinstance(shape, tuple) else (shape,)
    sizes = [f"{len(part)} items" for part in parts if isinstance(part, list)]
    return "answers " + (", ".join(sizes) if sizes else repr(shape)[:80])


def differs(reference: Any, theirs: Any) -> str:
    if isinstance(reference, (list, tuple)) and isinstance(theirs, (list, tuple)):
        for index, (a, b) in enumerate(zip(reference, theirs, strict=False)):
            if a != b:
                return f"differs at [{index}]: floor {str(a)[:300]} / this {str(b)[:300]}"
        return f"differs in length: floor {len(reference)} / this {len(theirs)}"
    return f"differs: floor {str(reference)[:300]} / this {str(theirs)[:300]}"


def round_trips(
    server: Running, read: Read, tokens: dict[str, str], passes: int = 5
) -> dict[str, float]:
    """Cypher queries and SQL statements per request, from the API's /metrics."""
    request = read.requests["ours"]
    token = tokens.get(request.user or "")
    post(server.base, request, token)
    before = counters(server.base)
    for _ in range(passes):
        post(server.base, request, token)
    after = counters(server.base)
    return {key: round((after[key] - before[key]) / passes, 2) for key in before}


def run(
    load: Load,
    server: Running,
    read: Read,
    tokens: dict[str, dict[str, str]],
    kind: str,
    seconds: float,
) -> dict[str, Any]:
    request = read.requests[_spec(kind)]
    token = tokens.get(kind, {}).get(request.user or "")
    cpu = cpu_seconds(server.pid)
    figures = load.run(server.base, request, token, seconds)
    used = cpu_seconds(server.pid) - cpu
    figures["server_cpu_ms_per_request"] = round(1000 * used / max(figures["requests"], 1), 2)
    return figures


def ratios(figures: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    pairs = {"ours/anchor": ("ours", "anchor"), "ours/floor": ("ours", "floor")}
    pairs["after/before"] = ("ours", "before")
    found = {}
    for label, (a, b) in pairs.items():
        if a in figures and b in figures and figures[a]["requests"] and figures[b]["requests"]:
            found[label] = {
                "rps": round(figures[a]["rps"] / figures[b]["rps"], 3),
                "p99": round(figures[a]["p99_ms"] / figures[b]["p99_ms"], 3),
            }
    return found


def print_round(number: int, row: dict[str, Any]) -> None:
    cells = [
        f"{kind} {f['rps']:.0f} req/s p50 {f['p50_ms']:.1f} p99 {f['p99_ms']:.1f} "
        f"cpu {f['server_cpu_ms_per_request']:.1f}"
        + (f" ({f['errors']} errors)" if f["errors"] else "")
        + ("" if f["requests"] else " (no request finished)")
        for kind, f in row["figures"].items()
    ]
    shares = [f"{k} {v['rps']:.2f}x req/s, {v['p99']:.2f}x p99" for k, v in row["ratios"].items()]
    print(f"round {number}: " + " | ".join(cells))
    if shares:
        print(
            "         " + "; ".join(shares) + f" (load {row['load_average']['mean']})", flush=True
        )


assert set(KINDS) <= set(ORDER)

if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("\ninterrupted: every server this run started is stopped", file=sys.stderr)
        sys.exit(130)
