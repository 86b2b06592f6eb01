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
import itertools
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
from tests.redis_server import RedisServer

from bench.common import api_server, percentiles, save
from bench.exactly_once import REVIEWER, Api, Clients, _scene, effects, notified
from bench.live_watch import Subscriber, Watch, account
from odznaka_graph.neo4j_server import Neo4jServer, Neo4jServerConfig, free_port
from odznaka_graph.settings import PROJECT_ROOT

FAULTS = ("api", "neo4j", "postgres", "redis", "redis-restart", "none")
DOWN_SECONDS = 2.0  # how long a killed process stays down before it is started again
REDIS_DOWN_SECONDS = 10.0  # the `redis` fault: Redis stopped this long (`redis-restart`: 0)
SUBSCRIBERS = 4  # learners subscribed to their notifications, spread over the instances


class Pool:
    """The instances' addresses; `base` gives the next one, so attempts spread over all."""

    def __init__(self, count: int) -> None:
        self.apis = [Api("") for _ in range(count)]
        self._turn = itertools.count()

    @property
    def base(self) -> str:
        return self.apis[next(self._turn) % len(self.apis)].base

    def bases(self) -> list[str]:
        return [api.base for api in self.apis]


CATCH_UP_LIMIT = 120.0  # effects not there by then are reported missing


class Stack:
    """Neo4j, the SQL store (SQLite, or a PostgreSQL of its own), Redis (when several
    instances or a Redis fault) and the API processes, each of which can be killed -9 (or
    Redis stopped) and started again; the kills of "api" take the instances in turn. Start
    and kill from one thread: Neo4j's engine ends with the thread that started it
    (PR_SET_PDEATHSIG)."""

    def __init__(
        self, var: Path, store: str, code: str | None, instances: int = 1, redis: bool = False
    ) -> None:
        self.var = var
        home = Path(f"/tmp/odznaka-bench-pg-{os.getpid()}")
        # durable: an acknowledged commit survives the kill -9 this bench deals out (the
        # tests' cluster acknowledges before its WAL is written, and lost 2 of 1,000 here)
        self.pg = PostgresCluster(home, durable=True) if store == "postgres" else None
        wants_redis = redis or instances > 1
        self.redis = RedisServer(var / "redis") if wants_redis else None
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
            "CATCH_UP_MAX_PER_MINUTE": "100000",
        } | ({"PYTHONPATH": code} if code else {})
        self.pool = Pool(instances)
        self.api = self.pool.apis[0]
        self.restarted_at = 0.0
        self._apis: list[AbstractContextManager[Any] | None] = [None] * instances
        self._pids = [0] * instances
        self._kills = 0

    @property
    def sql_url(self) -> str:
        return self.pg.url if self.pg else f"sqlite+aiosqlite:///{self.var / 'odznaka.db'}"

    def start(self) -> None:
        if self.pg:
            self.pg.start()
            self.env["DATABASE_URL"] = self.pg.url
        if self.redis:
            self.redis.start()
            self.env["REDIS_URL"] = self.redis.url
        self.neo4j.start()
        for n in range(len(self._apis)):
            self._start_api(n)

    def stop(self) -> None:
        for server in self._apis:
            if server:
                server.__exit__(None, None, None)
        self.neo4j.stop()
        if self.pg:
            self.pg.stop()
        if self.redis:
            self.redis.stop()

    def _start_api(self, n: int) -> None:
        server = api_server(self.neo4j, self.var, with_pid=True, log_name=f"api{n}.log", **self.env)
        base, self._pids[n] = server.__enter__()
        self._apis[n] = server
        self.pool.apis[n].base = f"http://{base}"

    def kill(self, fault: str) -> None:
        if fault == "api":
            n = self._kills % len(self._apis)
            os.kill(self._pids[n], signal.SIGKILL)
            server = self._apis[n]
            assert server is not None
            server.__exit__(None, None, None)
            time.sleep(DOWN_SECONDS)
            self._start_api(n)
        elif fault in ("redis", "redis-restart"):
            assert self.redis is not None
            self.redis.stop()
            time.sleep(REDIS_DOWN_SECONDS if fault == "redis" else 0.0)
            self.redis.start()
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
        self._kills += 1
        self.restarted_at = time.monotonic()


def run(
    fault: str,
    store: str,
    awards: int,
    kills: int,
    clients: int,
    code: str | None,
    instances: int = 1,
    var: Path | None = None,
) -> dict[str, Any]:
    var = var or PROJECT_ROOT / "var" / "bench-exactly-run"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    stack = Stack(var, store, code, instances, redis=fault.startswith("redis"))
    load_before = os.getloadavg()
    stack.start()
    try:
        return _measure(stack, fault, store, awards, kills, clients) | {
            "instances": instances,
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
    crowd = Clients(stack.pool, scene["owner"])  # type: ignore[arg-type]  # a Pool has a base
    watch = _watch(stack, scene) if stack.redis else None
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
    live = {}
    if watch is not None:
        watch.stop_and_catch_up()
        expected = notified(stack.sql_url, [s.account for s in watch.subscribers])
        live = {"live": account(watch.subscribers, expected)}
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
    } | live


def _watch(stack: Stack, scene: dict[str, Any]) -> Watch:
    """The first SUBSCRIBERS learners subscribed to their notifications, spread over the
    instances, before the awards start."""
    pairs = list(zip(scene["tokens"], scene["learners"], strict=True))[:SUBSCRIBERS]
    watch = Watch([Subscriber(token, user) for token, user in pairs], stack.pool.bases)
    watch.start()
    return watch


def _incomplete(found: dict[str, Any]) -> bool:
    return any(found["missing"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fault", choices=FAULTS, default="api")
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--awards", type=int, default=300)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--instances", type=int, default=1, help="API processes (one Redis)")
    parser.add_argument("--code", help="run the API from this source tree (PYTHONPATH)")
    parser.add_argument("--name", help="save under bench/results/<name>.json")
    args = parser.parse_args()
    result = run(
        args.fault, args.store, args.awards, args.kills, args.clients, args.code, args.instances
    )
    print(json.dumps(result, indent=2))
    if args.name:
        save(args.name, result)


if __name__ == "__main__":
    main()
