"""Shared pieces of the benchmarks: a Neo4j and an API server of their own, timing, results."""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from odznaka_graph.neo4j_server import Neo4jServer, Neo4jServerConfig, free_port
from odznaka_graph.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results"


@contextmanager
def neo4j(name: str, heap: str = "2g", page_cache: str = "2g") -> Iterator[Neo4jServer]:
    """A persistent Neo4j under var/bench-<name>, so generated data survives between runs."""
    config = Neo4jServerConfig(
        home=PROJECT_ROOT / "var" / f"bench-{name}",
        bolt_port=free_port(),
        heap=heap,
        page_cache=page_cache,
    )
    server = Neo4jServer(config, PROJECT_ROOT)
    print(f"starting Neo4j for {name} ...", flush=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def api_server(
    server: Neo4jServer,
    var_dir: Path,
    with_pid: bool = False,
    log_name: str = "api.log",
    **extra_env: str,
) -> Iterator[Any]:
    """The real API in its own uvicorn process (one worker), as clients would meet it."""
    port = free_port()
    env = os.environ | {
        "NEO4J_URI": server.uri,
        "NEO4J_PASSWORD": server.password,
        "PORT": str(port),
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        **extra_env,
    }
    log = open(var_dir / log_name, "wb")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [sys.executable, "-m", "odznaka_graph.cli", "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield (base.removeprefix("http://"), process.pid) if with_pid else base
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50_ms": round(cut[49] * 1000, 2),
        "p90_ms": round(cut[89] * 1000, 2),
        "p99_ms": round(cut[98] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def time_calls(call: Callable[[int], Any], count: int, warmup: int = 10) -> dict[str, float]:
    for i in range(warmup):
        call(i)
    samples = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def save(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"results written to {path.relative_to(PROJECT_ROOT)}")
    return path


def progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = width * done // max(total, 1)
    print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", flush=True)
    if done >= total:
        print()
