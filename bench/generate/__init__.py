"""A synthetic, deterministic national-scale world for benchmarks and quality checks.

Regions and real cities of Poland; schools with classes and companies with teams; issuers of
every organisation kind with badge catalogues described to the standard; a two-level skill
hierarchy; public and class paths; clubs with peer badges; events with places; follows,
contacts and blocks; credentials over three years; and planted communities of interest
(world.py) that make the right recommendations knowable. See __main__.py to run it.

Other benchmarks use a generated world like this:

    home, var_dir = store_dirs("graph-100000")
    with neo4j("graph-100000") as server, api_server(server, var_dir) as base:
        ...   # user<N>@bench.odznaka.pl signs in with ledger_load.BENCH_PASSWORD
"""

from pathlib import Path

from odznaka_graph.settings import PROJECT_ROOT


def store_dirs(name: str) -> tuple[Path, Path]:
    """(Neo4j home, API var dir with the SQLite ledger) of a generated world."""
    var = PROJECT_ROOT / "var"
    return var / f"bench-{name}", var / f"bench-{name}-api"


def _bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def store_sizes(name: str) -> dict[str, int]:
    """The store on disk: Neo4j's database files alone, with its transaction logs, SQLite."""
    home, var_dir = store_dirs(name)
    data = home / "data"
    return {
        "neo4j_store": _bytes(data / "databases" / "neo4j"),
        "neo4j_data": _bytes(data),
        "sqlite": _bytes(var_dir / "odznaka.db"),
    }
