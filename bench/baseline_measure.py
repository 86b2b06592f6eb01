"""Measuring around a bench run: the server's own round-trip counters (/metrics), the CPU
time a process used (/proc), the load average while the load ran, and the machine."""

import os
import platform
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

COUNTERS = {"cypher": "odznaka_neo4j_queries_total", "sql": "odznaka_sql_statements_total"}
TICKS = os.sysconf("SC_CLK_TCK")


def counters(base: str) -> dict[str, float]:
    """Cypher queries and SQL statements the server has sent so far (all label values)."""
    totals = dict.fromkeys(COUNTERS, 0.0)
    for line in httpx.get(f"{base}/metrics").text.splitlines():
        for key, metric in COUNTERS.items():
            if line.startswith((f"{metric}{{", f"{metric} ")):
                totals[key] += float(line.rsplit(" ", 1)[1])
    return totals


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process (and its reaped children), from /proc."""
    if pid is None:
        return 0.0
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command: state is field 3, utime/stime are 14/15, cutime/cstime 16/17.
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


class LoadAverage:
    """Samples the 1-minute load average once a second while a run goes on."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()

    @contextmanager
    def sampling(self) -> Iterator["LoadAverage"]:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict[str, float]:
        found = self.samples or [os.getloadavg()[0]]
        return {"min": min(found), "mean": round(sum(found) / len(found), 2), "max": max(found)}


def machine() -> dict[str, Any]:
    memory = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) // 1024
    except OSError:
        pass
    model = ""
    try:
        names = [line for line in open("/proc/cpuinfo") if line.startswith("model name")]
        model = names[0].split(":", 1)[1].strip() if names else ""
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_mib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
