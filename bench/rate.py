"""The public profile at a fixed rate: the latency a user sees when requests arrive at R per
second whatever the server does (an open loop, unlike wrk's closed loop).

    uv run python -m bench.rate --users 100000 [--rate 100] [--seconds 60] [--warmup 10]
        [--connections 64] [--heap 2g] [--page-cache 2g] [--label L]

Generates the world with bench/generate (or reuses var/bench-graph-<users>), starts its
Neo4j and the API (one uvicorn worker) as bench/versus.py does for "ours", picks the
profile's subject as bench/versus_reads.py does and checks the API's answer against the
floor's (bench/versus/floor.py, stopped again before the load): same awards, 50 of them.
Then a client process of its own (bench/rate_client.py: asyncio on uvloop,
keep-alive HTTP/1.1 connections read with httptools, far cheaper than httpx) sends the
profile request on a fixed schedule, one every 1/R s, each on its own
task with up to N connections, for a warm-up and then S seconds. Latency runs from the
scheduled send time to the end of the response, so a late client or a full pool counts
against the server rather than hiding (no coordinated omission); the send lag itself is
reported too. Prints and writes bench/results/rate-<users>[-<label>].json: p50/p90/p99/max,
achieved rate, errors, CPU per request of the API and of Neo4j, the machine's CPU use and
load averages around the run, the machine and the Neo4j settings; then, as a control, the
same schedule with `{ __typename }` (--control seconds): what the machine alone adds.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from neo4j import GraphDatabase

from bench.baseline import world
from bench.baseline_measure import LoadAverage, cpu_seconds, machine
from bench.common import neo4j, save
from bench.generate import store_dirs
from bench.versus import check, pick, round_trips
from bench.versus_reads import HELLO, Read, profile_ours, reads
from bench.versus_servers import Running, api, floor, stack

AWARDS = 50  # the profile asks awards(first: 50); its subject has at least that many


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=100, help="requests per second")
    parser.add_argument("--seconds", type=float, default=60, help="timed load")
    parser.add_argument(
        "--warmup",
        type=float,
        default=60,
        help="seconds at the rate first (a fresh Neo4j JIT-compiles for a minute or more)",
    )
    parser.add_argument(
        "--control",
        type=float,
        default=20,
        help="then seconds of { __typename } at the same rate: the machine's own latency",
    )
    parser.add_argument("--connections", type=int, default=64, help="most in flight at once")
    parser.add_argument("--heap", default="2g", help="Neo4j heap")
    parser.add_argument("--page-cache", default="2g", help="Neo4j page cache")
    parser.add_argument("--label", default="", help="suffix of the results file")
    return parser.parse_args()


def main() -> None:
    args = parse()
    name = world(args.users, args.seed)
    started, info = datetime.now(UTC), machine()
    home, var_dir = store_dirs(name)
    logs = Path(tempfile.mkdtemp(prefix="rate-logs-"))
    with stack() as running:
        server = running.enter_context(neo4j(name, heap=args.heap, page_cache=args.page_cache))
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password)) as driver:
            read = pick_profile(driver)
        ours = running.enter_context(api("ours", server, var_dir, logs))
        engine = int(server.pid_path.read_text())
        print(f"API pid {ours.pid} at {ours.base}, Neo4j pid {engine} (logs in {logs})")
        checked = verify(read, ours, server, var_dir, logs)
        trips = round_trips(ours, read, {})
        print(f"per request: {trips['cypher']} Cypher queries, {trips['sql']} SQL statements")
        spec = client_spec(ours, read, args)
        print(f"warm-up: {args.warmup:g} s at {args.rate:g} req/s ...", flush=True)
        warm = drive(spec | {"seconds": args.warmup})
        print(f"  warm-up p50 {warm['p50_ms']} ms, p99 {warm['p99_ms']} ms")
        figures = timed(spec, ours.pid, engine)
        print_figures(f"{args.users:,} users, profile", args, figures)
        control = None
        if args.control:
            hello = spec | {"body": HELLO, "seconds": args.control}
            control = timed(hello, ours.pid, engine)
            print_figures("control, { __typename }", args, control)
    save(
        f"rate-{args.users}{'-' + args.label if args.label else ''}",
        {
            "when": started.isoformat(timespec="seconds"),
            "machine": info | {"nproc": nproc()},
            "setup": f"one Neo4j ({home.name}, heap {args.heap}, page cache {args.page_cache}); "
            f"the API in one uvicorn worker; an open-loop client process (asyncio + httptools, "
            f"up to {args.connections} connections) sending at {args.rate:g} req/s for "
            f"{args.seconds:g} s after {args.warmup:g} s of warm-up; latency from each "
            "request's scheduled send time; everything on this machine",
            "neo4j": {"heap": args.heap, "page_cache": args.page_cache},
            "users": args.users,
            "read": {"name": read.name, "note": read.note, "checked": checked},
            "round_trips": trips,
            "rate": args.rate,
            "seconds": args.seconds,
            "warmup": warm,
            "figures": figures,
            "control_typename": control,
        },
    )


def pick_profile(driver: Any) -> Read:
    print("finding the profile's subject ...", flush=True)
    return pick(reads(driver), "profile")[0]


def verify(read: Read, ours: Running, server: Any, var_dir: Path, logs: Path) -> dict[str, str]:
    """The API's answer against the floor's (bench/versus.py's check) and its length; the
    floor is stopped again before the load."""
    print(f"checking the answer: {read.note}", flush=True)
    with floor(server, var_dir / "odznaka.db", logs) as reference:
        checked = check(read, {"ours": ours, "floor": reference}, {})
    if checked["ours"] != "same":
        raise SystemExit(f"the API's answer differs from the floor's: {checked['ours']}")
    answer = httpx.post(ours.base + read.requests["ours"].path, json=read.requests["ours"].body)
    awards = profile_ours(answer.json())[4]
    if len(awards) != AWARDS:
        raise SystemExit(f"the profile answered {len(awards)} awards, not {AWARDS}")
    return checked


def client_spec(ours: Running, read: Read, args: argparse.Namespace) -> dict[str, Any]:
    request = read.requests["ours"]
    return {
        "url": ours.base + request.path,
        "body": request.body,
        "rate": args.rate,
        "connections": args.connections,
        "seconds": args.seconds,
    }


def timed(spec: dict[str, Any], api_pid: int, engine_pid: int) -> dict[str, Any]:
    """One timed run, with the CPU the API and Neo4j used, the machine's CPU use and the load
    averages around it."""
    uptime_before, load_before, stat_before = uptime(), os.getloadavg(), cpu_stat()
    cpu = (cpu_seconds(api_pid), cpu_seconds(engine_pid))
    average = LoadAverage()
    print(f"load: {spec['seconds']:g} s at {spec['rate']:g} req/s ...", flush=True)
    with average.sampling():
        figures = drive(spec)
    used = (cpu_seconds(api_pid) - cpu[0], cpu_seconds(engine_pid) - cpu[1])
    uptime_after, load_after, stat_after = uptime(), os.getloadavg(), cpu_stat()
    done = max(figures["requests"], 1)
    return figures | {
        "api_cpu_ms_per_request": round(1000 * used[0] / done, 2),
        "neo4j_cpu_ms_per_request": round(1000 * used[1] / done, 2),
        "api_cpu_share": round(used[0] / figures["seconds"], 3),
        "neo4j_cpu_share": round(used[1] / figures["seconds"], 3),
        "machine_cpu": cpu_use(stat_before, stat_after),
        "other_processes_cores": others(cpu_use(stat_before, stat_after), figures, used),
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "during_1min": average.summary(),
            "after": [round(x, 2) for x in load_after],
            "uptime_before": uptime_before,
            "uptime_after": uptime_after,
        },
    }


def others(cpu: dict[str, float], figures: dict[str, Any], used: tuple[float, ...]) -> float:
    """Cores the rest of the machine kept busy meanwhile: all busy time less the API's,
    Neo4j's and the client's."""
    seconds = float(figures["seconds"])
    busy = cpu["busy"] * (os.cpu_count() or 1) * seconds
    client = float(figures["client_cpu_ms_per_request"]) * int(figures["scheduled"]) / 1000
    return round(max(busy - sum(used) - client, 0.0) / seconds, 2)


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """Runs the client process on `spec`; its figures."""
    command = [sys.executable, "-m", "bench.rate_client"]
    done = subprocess.run(
        command,
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=float(spec["seconds"]) + 120,
    )
    if done.returncode != 0:
        raise SystemExit(f"the load client failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def nproc() -> int:
    return int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or 0)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def cpu_stat() -> list[int]:
    """The machine's CPU time so far (/proc/stat): user nice system idle iowait irq softirq
    steal."""
    with open("/proc/stat") as stat:
        return [int(x) for x in stat.readline().split()[1:9]]


def cpu_use(before: list[int], after: list[int]) -> dict[str, float]:
    """Shares of all CPUs' time over the run: busy (user + system + irq), iowait, steal."""
    delta = [b - a for a, b in zip(before, after, strict=True)]
    total = max(sum(delta), 1)
    user, nice, system, _idle, iowait, irq, softirq, steal = delta
    return {
        "busy": round((user + nice + system + irq + softirq) / total, 3),
        "iowait": round(iowait / total, 3),
        "steal": round(steal / total, 3),
    }


def print_figures(title: str, args: argparse.Namespace, f: dict[str, Any]) -> None:
    load = f["load_average"]
    print(
        f"{title}, {args.rate:g} req/s for {f['seconds']:g} s: "
        f"{f['achieved_rps']} req/s achieved, {f['requests']} answered, {f['errors']} errors; "
        f"p50 {f['p50_ms']} ms, p90 {f['p90_ms']} ms, p99 {f['p99_ms']} ms, max {f['max_ms']} ms"
    )
    print(
        f"  from the actual send p99 {f['from_send'].get('p99_ms')} ms; "
        f"send lag p99 {f['send_lag']['p99_ms']} ms, most in flight {f['most_in_flight']}; "
        f"CPU per request: API {f['api_cpu_ms_per_request']} ms, Neo4j "
        f"{f['neo4j_cpu_ms_per_request']} ms, client {f['client_cpu_ms_per_request']} ms"
    )
    print(
        f"  machine: {f['machine_cpu']}, other processes {f['other_processes_cores']} cores; "
        f"load average before {load['before']}, during "
        f"{load['during_1min']}, after {load['after']}"
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("\ninterrupted: every server this run started is stopped", file=sys.stderr)
        sys.exit(130)
