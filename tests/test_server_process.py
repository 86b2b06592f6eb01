"""`odznaka-graph serve` with its own local Neo4j: however the server ends, the engine ends
with it, and the next start finds the port free."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from odznaka_graph.neo4j_server import _port_in_use, free_port


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture
def server(var: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, int]]:
    """A server that starts its own Neo4j: (process, engine pid, bolt port)."""
    port, bolt = free_port(), free_port()
    environment = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"} | {
        "VAR_DIR": str(var),
        "PORT": str(port),
        "NEO4J_BOLT_PORT": str(bolt),
        "NEO4J_HEAP": "512m",
        "NEO4J_PAGE_CACHE": "64m",
    }
    log = open(var / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "odznaka_graph.cli", "serve"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _wait_for(lambda: _answers(port) or process.poll() is not None, 180)
        assert process.poll() is None, (var / f"server-{port}.log").read_text()[-3000:]
        engine = _engine_of(var / "neo4j")
        assert _alive(engine)
        yield process, engine, bolt
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(60)
        log.close()


def _engine_of(home: Path) -> int:
    """The pid of the Neo4j engine whose data lives in `home`."""
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--home" in command and command[command.index(b"--home") + 1] == bytes(home):
            return int(entry.name)
    raise AssertionError(f"no Neo4j engine runs with its data in {home}")


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_the_local_engine_ends_with_the_server(
    server: tuple[subprocess.Popen[bytes], int, int], signum: int
) -> None:
    process, engine, bolt = server
    process.send_signal(signum)
    process.wait(90)
    assert _wait_for(lambda: not _alive(engine), 90), "Neo4j outlived its server"
    assert not _port_in_use(bolt)
