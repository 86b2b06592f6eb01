"""The servers bench/versus.py compares, each in a process of its own on one Neo4j: the API
(and optionally the API of another git revision, from a temporary worktree), the anchor
(@neo4j/graphql + Apollo on Node) and the floor (bench/versus/floor.py). Every process is
started in its own session and its whole group is stopped on the way out, error or not."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from odznaka_graph.neo4j_server import Neo4jServer, free_port
from odznaka_graph.settings import PROJECT_ROOT

HERE = PROJECT_ROOT / "bench" / "versus"
ANCHOR = HERE / "anchor"
API_ENV = {
    # No outbox polling between requests (the reads write nothing); tokens outlive the run.
    "OUTBOX_POLL_SECONDS": "3600",
    "ACCESS_TOKEN_MINUTES": "240",
    "LOG_LEVEL": "WARNING",
}


@dataclass(frozen=True)
class Running:
    name: str
    base: str  # http://127.0.0.1:port
    pid: int


@contextmanager
def process(
    name: str, command: list[str], env: dict[str, str], cwd: Path, ready: str, log: Path
) -> Iterator[Running]:
    """A server process, up once POST `ready` {__typename} answers 200; stopped (its whole
    process group: npm and uvicorn may start children) when the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out = open(log, "wb")  # noqa: SIM115 - closed in finally
    child = subprocess.Popen(
        command,
        env=os.environ | env | {"PORT": str(port)},
        cwd=cwd,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(name, child, base + ready, log)
        yield Running(name, base, child.pid)
    finally:
        stop(child)
        out.close()


def wait_ready(name: str, child: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"{name} exited ({child.returncode}); see {log}")
        try:
            if httpx.post(url, json={"query": "{ __typename }"}).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{name} did not answer within 180 s; see {log}")


def stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        try:
            child.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def neo4j_env(server: Neo4jServer) -> dict[str, str]:
    return {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": server.password}


def api(
    name: str, server: Neo4jServer, var_dir: Path, logs: Path, root: Path = PROJECT_ROOT
) -> AbstractContextManager[Running]:
    """The API of the code under `root` (its own virtual environment), as clients meet it."""
    python = root / ".venv" / "bin" / "python"
    env = neo4j_env(server) | API_ENV | {"VAR_DIR": str(var_dir)}
    command = [str(python), "-m", "odznaka_graph.cli", "serve"]
    return process(name, command, env, root, "/graphql", logs / f"{name}.log")


def anchor(server: Neo4jServer, logs: Path) -> AbstractContextManager[Running]:
    if not (ANCHOR / "node_modules" / "@neo4j" / "graphql").exists():
        print("installing the anchor's npm packages (npm ci) ...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=ANCHOR, check=True)
    command = ["node", "server.mjs"]
    return process("anchor", command, neo4j_env(server), ANCHOR, "/", logs / "anchor.log")


def floor(server: Neo4jServer, ledger: Path, logs: Path) -> AbstractContextManager[Running]:
    env = neo4j_env(server) | {"LEDGER_DB": str(ledger)}
    port_arg = "--port=$PORT"  # filled from the environment by the shell below
    command = [
        "sh",
        "-c",
        f'exec "{sys.executable}" -m uvicorn floor:app --app-dir "{HERE}" --host 127.0.0.1 '
        f"{port_arg} --log-level warning --no-access-log",
    ]
    return process("floor", command, env, HERE, "/hello", logs / "floor.log")


@contextmanager
def revision(rev: str) -> Iterator[Path]:
    """A temporary git worktree of `rev` with its own virtual environment (uv sync), removed
    afterwards."""
    uv = shutil.which("uv") or f"{sys.executable} -m uv"
    place = Path(tempfile.mkdtemp(prefix="versus-before-"))
    tree = place / "tree"
    print(f"checking out {rev} into {tree} ...", flush=True)
    git = ["git", "-C", str(PROJECT_ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(tree), rev], check=True)
    try:
        subprocess.run(
            [*uv.split(), "sync", "--frozen", "--quiet"],
            cwd=tree,
            check=True,
            env=os.environ | {"UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": ""},
        )
        yield tree
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(place, ignore_errors=True)


def ledger_copy(var_dir: Path, into: Path) -> Path:
    """A copy of the API's var dir (the SQLite ledger and secrets) for a second API, so the
    two never share a file."""
    copy = into / "var"
    shutil.copytree(var_dir, copy, ignore=shutil.ignore_patterns("*.log"))
    return copy


def stack() -> ExitStack:
    """An exit stack that also unwinds on SIGTERM (as on Ctrl-C)."""

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    return ExitStack()
