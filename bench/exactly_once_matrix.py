"""Fault bench (issue 17), before and after: the same fault runs (bench/exactly_once_faults)
against two source trees, interleaved in one session (old, new, old, new, ...) so both meet
the same machine load; each run is saved under bench/results/ and a table printed.

    git worktree add /tmp/old9ad 9ad1b00
    uv run python -m bench.exactly_once_matrix --before /tmp/old9ad/src --awards 1000

The kill -9 of PostgreSQL runs on PostgreSQL, the others on SQLite (`--stores` adds the
other store to every fault); `--faults none` measures write latency without faults;
`--faults redis redis-restart` stops Redis (10 s, or a restart) with live subscribers, and
`--instances 2` runs two API processes on one Redis (the issue's original trial).
"""

import argparse
import json
from typing import Any

from bench.common import RESULTS, save
from bench.exactly_once_faults import run

KILLS = {"api": 3, "neo4j": 1, "postgres": 2, "redis": 1, "redis-restart": 2, "none": 0}
STORE = {
    "api": "sqlite",
    "neo4j": "sqlite",
    "postgres": "postgres",
    "redis": "sqlite",
    "redis-restart": "sqlite",
    "none": "sqlite",
}
LIVE = ("expected", "delivered_live", "recovered_by_catch_up", "missing_after_catch_up")
LIVE += ("duplicates_from_server",)
COLUMNS = (
    ("fault", "kill -9"),
    ("store", "store"),
    ("label", "code"),
    ("acknowledged", "acked"),
    ("lost", "lost"),
    ("duplicated", "dup"),
    ("points", "points miss"),
    ("challenge_completions", "compl. miss"),
    ("completion_badges", "badges miss"),
    ("notifications", "notif. miss"),
    ("catch_up_seconds", "catch-up s"),
    ("write_p50_ms", "p50 ms"),
    ("write_p95_ms", "p95 ms"),
    ("write_p99_ms", "p99 ms"),
    ("awards_per_second", "awards/s"),
    ("clients", "clients"),
    ("instances", "inst."),
    ("expected", "live exp."),
    ("delivered_live", "live"),
    ("recovered_by_catch_up", "caught up"),
    ("missing_after_catch_up", "live miss"),
    ("duplicates_from_server", "live dup"),
    ("load", "load 1m"),
)


def table(results: list[dict[str, Any]]) -> str:
    rows = [[label for _, label in COLUMNS]]
    for result in results:
        flat = {"write_p99_ms": "-", "awards_per_second": "-", "instances": 1, "label": "-"}
        flat |= result
        flat |= {key: "-" for key in LIVE} | result.get("live", {})
        flat |= result["missing"] | {"load": result["load_after"][0]}
        flat["catch_up_seconds"] = flat["catch_up_seconds"] or "never"
        rows.append([str(flat[key]) for key, _ in COLUMNS])
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [" | ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="the old source tree (its src)")
    parser.add_argument("--after", help="the new source tree (default: this one)")
    parser.add_argument("--faults", nargs="+", default=["neo4j", "api", "postgres"])
    parser.add_argument("--stores", nargs="*", default=[], help="run every fault on these too")
    parser.add_argument("--awards", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--instances", type=int, default=1, help="API processes (one Redis)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--name", default="exactly-once-faults")
    args = parser.parse_args()
    codes = [("before", args.before), ("after", args.after)]
    results = []
    for round_ in range(1, args.rounds + 1):
        for fault in args.faults:
            for store in dict.fromkeys([STORE[fault], *args.stores]):
                if fault == "postgres" and store != "postgres":
                    continue
                for label, code in codes:
                    print(f"round {round_}: kill -9 {fault} on {store}, {label} ...", flush=True)
                    result = run(
                        fault,
                        store,
                        args.awards,
                        KILLS[fault],
                        args.clients,
                        code,
                        args.instances,
                    )
                    result["label"] = label
                    save(f"{args.name}-{fault}-{store}-{label}-{round_}", result)
                    results.append(result)
                    print(table(results), flush=True)
    (RESULTS / f"{args.name}-table.txt").write_text(table(results) + "\n")
    print(json.dumps([r["failed_attempts"] for r in results], indent=1))


if __name__ == "__main__":
    main()
