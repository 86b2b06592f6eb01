"""Generate a national-scale world into a Neo4j of its own and the API's SQLite ledger.

    uv run python -m bench.generate --users 10000 --seed 7 [--awards-per-user 10]
        [--holdout 0.2] [--name graph-10k] [--batch 10000] [--force]

Neo4j data goes to var/bench-<name>, the ledger (and the held-out awards) to
var/bench-<name>-api; a second run with the same options finds them there and does nothing
(--force rebuilds). Prints the load time and store sizes and writes them to
bench/results/generate-<name>.json.
"""

import argparse
import json
import shutil
from dataclasses import asdict
from datetime import UTC, date, datetime

from bench.common import neo4j, save
from bench.generate import store_dirs, store_sizes
from bench.generate.build import Builder, migrate_graph
from bench.generate.world import Options


def parse() -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--awards-per-user", type=float, default=10.0)
    parser.add_argument(
        "--holdout",
        type=float,
        default=0.0,
        help="share of each user's later awards left out (quality checks)",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the generated world's today (default: today, UTC)",
    )
    parser.add_argument("--name", default=None, help="default: graph-<users>")
    parser.add_argument("--batch", type=int, default=10_000, help="rows per UNWIND write")
    parser.add_argument("--force", action="store_true", help="rebuild even if present")
    args = parser.parse_args()
    today = args.today or datetime.now(UTC).date()
    options = Options(args.users, args.seed, args.awards_per_user, args.holdout, today)
    return options, args


def main() -> None:
    options, args = parse()
    generate(options, args.name or f"graph-{options.users}", args.batch, args.force)


def generate(options: Options, name: str, batch: int = 10_000, force: bool = False) -> dict:
    """Build the world unless it is there already with the same options; its report."""
    home, var_dir = store_dirs(name)
    stamp = var_dir / "generated.json"
    wanted = {k: str(v) for k, v in asdict(options).items()}
    if not force and stamp.exists():
        report = json.loads(stamp.read_text())
        if report["options"] == wanted:
            print(f"{name} is already generated with these options (--force rebuilds)")
            return report  # type: ignore[no-any-return]
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    with neo4j(name) as server:
        migrate_graph(server)
        report = Builder(options, server, var_dir, batch).build()
    report |= {
        "name": name,
        "options": wanted,
        "sizes_bytes": store_sizes(name),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    stamp.write_text(json.dumps(report, indent=2, default=str))
    save(f"generate-{name}", report)
    _print(report)
    return report


def _print(report: dict) -> None:
    sizes, seconds = report["sizes_bytes"], report["seconds"]
    rows, graph = report["rows"], report["graph"]
    print(
        f"{report['name']}: {rows['users']:,} users, {rows['awards']:,} awards, "
        f"{graph['nodes']:,} nodes, {graph['relationships']:,} relationships"
    )
    phases = ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items() if k != "total")
    print(f"load time {seconds['total']:.0f} s ({phases})")
    print(
        f"Neo4j store {sizes['neo4j_store'] / 2**20:,.0f} MiB "
        f"(with transaction logs {sizes['neo4j_data'] / 2**20:,.0f} MiB), "
        f"SQLite {sizes['sqlite'] / 2**20:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
