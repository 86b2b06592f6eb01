"""Fault bench (issue 17), one run: awards from concurrent retrying clients while one
process is killed with SIGKILL and started again (the API process, Neo4j or PostgreSQL),
then a check of every consequence in the SQL store.

The kills come when a share of the awards is acknowledged (1/(kills+1), 2/(kills+1), ...),
so every run is hit at the same points whatever its speed. Reported: awards acknowledged,
lost (acknowledged, not in the ledger), duplicated (awards, notifications, points,
completions more than once), effects missing by kind (points, challenge completions,
completion badges, notifications), catch-up time (from the last acknowledgement until
every effect is there), write latency p50/p95 of the acknowledged requests, the failed
attempts by what they met, and the machine's load.

    uv run python -m bench.exactly_once_faults --fault neo4j --store sqlite --awards 100
"""

import argparse
import json
import os
import random
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from tests.postgres import PostgresCluster

from bench.common import api_server, percentiles, save
from bench.exactly_once import REVIEWER, Api, Clients, _scene, effects
from odznaka_graph.neo4j_server import Neo4jServer, Neo4jServerConfig, free_port
from odznaka_graph.settings import PROJECT_ROOT

FAULTS = ("api", "neo4j", "postgres", "none")
DOWN_SECONDS = 2.0  # how long a killed process stays down before it is started again
CATCH_UP_LIMIT = 120.0  # effects not there by then are reported missing


class Stack:
    """Neo4j, the SQL store (SQLite, or a PostgreSQL of its own) and the API process, each of
    which can be killed -9 and started again. Start and kill from one thread: Neo4j's
    engine ends with the thread that started it (PR_SET_PDEATHSIG)."""

    def __init__(self, var: Path, store: str, code: str | None) -> None:
        self.var = var
        home = Path(f"/tmp/odznaka-bench-pg-{os.getpid()}")
        self.pg = PostgresCluster(home) if store == "postgres" else None
        self.neo4j = Neo4jServer(
            Neo4jServerConfig(
                home=var / "neo4j", bolt_port=free_port(), heap="1g", page_cache="256m"
            ),
            PROJECT_ROOT,
        )
        self.env = {
            "REVIEWER_EMAILS": json.dumps([REVIEWER]),
            "REGISTER_MAX_PER_CLIENT": "100000",
            "LOGIN_MAX_ATTEMPTS_PER_CLIENT": "100000",
            "JOIN_MAX_ATTEMPTS_PER_CLIENT": "100000",
            "DEV_SMTP_PORT": str(free_port()),  # its own SMTP server, mail in var/mailbox.db
        } | ({"PYTHONPATH": code} if code else {})
        self.api = Api("")
        self.restarted_at = 0.0
        self._api: AbstractContextManager[Any] | None = None
        self._pid = 0

    @property
    def sql_url(self) -> str:
        return self.pg.url if self.pg else f"sqlite+aiosqlite:///{self.var / 'odznaka.db'}"

    def start(self) -> None:
        if self.pg:
            self.pg.start()
            self.env["DATABASE_URL"] = self.pg.url
        self.neo4j.start()
        self._start_api()

    def stop(self) -> None:
        if self._api:
            self._api.__exit__(None, None, None)
        self.neo4j.stop()
        if self.pg:
            self.pg.stop()

    def _start_api(self) -> None:
        self._api = api_server(self.neo4j, self.var, with_pid=True, **self.env)
        base, self._pid = self._api.__enter__()
        self.api.base = f"http://{base}"

    def kill(self, fault: str) -> None:
        if fault == "api":
            os.kill(self._pid, signal.SIGKILL)
            assert self._api is not None
            self._api.__exit__(None, None, None)
            time.sleep(DOWN_SECONDS)
            self._start_api()
        elif fault == "neo4j":
            process = self.neo4j._process
            assert process is not None
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            time.sleep(DOWN_SECONDS)
            self.neo4j.start()
        elif fault == "postgres":
            assert self.pg is not None
            self.pg.kill()
            time.sleep(DOWN_SECONDS)
            self.pg.restart()
        self.restarted_at = time.monotonic()


def run(
    fault: str, store: str, awards: int, kills: int, clients: int, code: str | None
) -> dict[str, Any]:
    var = PROJECT_ROOT / "var" / "bench-exactly-run"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    stack = Stack(var, store, code)
    load_before = os.getloadavg()
    stack.start()
    try:
        return _measure(stack, fault, store, awards, kills, clients) | {
            "code": code or "this tree",
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        stack.stop()


def _measure(
    stack: Stack, fault: str, store: str, awards: int, kills: int, clients: int
) -> dict[str, Any]:
    badges = 10
    scene = _scene(stack.api, stack.var / "odznaka.db", max(1, -(-awards // badges)), badges)
    jobs = [
        (badge, learner, f"bench-award-{n}")
        for n, (badge, learner) in enumerate(
            (b, lr) for lr in scene["learners"] for b in scene["badges"]
        )
    ][:awards]
    random.Random(17).shuffle(jobs)
    crowd = Clients(stack.api, scene["owner"])
    finished = threading.Event()

    def award_all() -> None:
        with ThreadPoolExecutor(clients) as workers:
            list(workers.map(crowd.award, jobs))
        finished.set()

    started = time.monotonic()
    runner = threading.Thread(target=award_all)
    runner.start()
    done_kills = 0
    for k in range(kills if fault != "none" else 0):
        while len(crowd.acknowledged) < (k + 1) * len(jobs) // (kills + 1):
            if finished.wait(0.05):
                break
        if finished.is_set():
            break
        stack.kill(fault)
        done_kills += 1
        print(f"{fault} killed and started again ({len(crowd.acknowledged)} acknowledged)")
    runner.join()
    awards_seconds = time.monotonic() - started
    found = effects(stack.sql_url, scene, crowd.acknowledged)
    while _incomplete(found) and time.monotonic() - crowd.last_ack < CATCH_UP_LIMIT:
        time.sleep(0.5)
        found = effects(stack.sql_url, scene, crowd.acknowledged)
    catch_up = time.monotonic() - crowd.last_ack
    time.sleep(3)  # a few more relay passes: nothing may come twice
    found = effects(stack.sql_url, scene, crowd.acknowledged)
    timing = percentiles(crowd.latencies) if len(crowd.latencies) > 1 else {}
    ordered = sorted(crowd.latencies) or [0.0]
    return {
        "fault": fault,
        "store": store,
        "awards": len(jobs),
        "clients": clients,
        "kills": done_kills,
        "acknowledged": len(crowd.acknowledged),
        "lost": found["lost"],
        "duplicated": found["duplicated"],
        "missing": found["missing"],
        "catch_up_seconds": round(catch_up, 1) if not _incomplete(found) else None,
        "awards_seconds": round(awards_seconds, 1),
        "write_p50_ms": timing.get("p50_ms"),
        "write_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        "write_p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 2),
        "awards_per_second": round(len(crowd.acknowledged) / max(awards_seconds, 1e-9), 1),
        "failed_attempts": dict(crowd.failures.most_common(8)),
    }


def _incomplete(found: dict[str, Any]) -> bool:
    return any(found["missing"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fault", choices=FAULTS, default="api")
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--awards", type=int, default=300)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--code", help="run the API from this source tree (PYTHONPATH)")
    parser.add_argument("--name", help="save under bench/results/<name>.json")
    args = parser.parse_args()
    result = run(args.fault, args.store, args.awards, args.kills, args.clients, args.code)
    print(json.dumps(result, indent=2))
    if args.name:
        save(args.name, result)


if __name__ == "__main__":
    main()
