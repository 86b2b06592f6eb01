"""Load for bench/versus.py: `wrk` (Debian's package) POSTing one JSON body with N
connections, and the figures it prints (bench/versus/wrk-post.lua)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.versus_reads import Request
from bench.versus_servers import HERE

SCRIPT = HERE / "wrk-post.lua"
RESULT = re.compile(
    r"RESULT requests=(\d+) rps=([\d.]+) p50=([\d.]+) p99=([\d.]+) errors=(\d+) non2xx=(\d+)"
)


def ensure_wrk() -> str:
    """The wrk binary; installed from Debian when missing (as root), else a clear stop."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    print("installing wrk (apt-get) ...", flush=True)
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or "wrk"


class Load:
    """Runs wrk against one server and request; bodies are written to a temporary folder."""

    def __init__(self, connections: int) -> None:
        self.wrk = ensure_wrk()
        self.connections = connections
        self.folder = Path(tempfile.mkdtemp(prefix="versus-bodies-"))
        self.count = 0

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, base: str, request: Request, token: str | None, seconds: float) -> dict[str, Any]:
        self.count += 1
        body = self.folder / f"body-{self.count}.json"
        body.write_text(json.dumps(request.body))
        env = os.environ | {"BODY": str(body), "AUTH": f"Bearer {token}" if token else ""}
        command = [
            self.wrk,
            "-t1",
            f"-c{self.connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(SCRIPT),
            base + request.path,
        ]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=seconds + 60
        )
        found = RESULT.search(done.stdout)
        if not found:
            raise SystemExit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
        requests, rps, p50, p99, errors, non2xx = found.groups()
        return {
            "requests": int(requests),
            "rps": float(rps),
            "p50_ms": float(p50),
            "p99_ms": float(p99),
            "errors": int(errors) + int(non2xx),
        }


def post(base: str, request: Request, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(base + request.path, json=request.body, headers=headers, timeout=60)
    response.raise_for_status()
    return response.json()
