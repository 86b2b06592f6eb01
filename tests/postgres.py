"""A throwaway PostgreSQL cluster for the tests (Debian's server binaries, run as the
`postgres` user because the server refuses to run as root)."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from odznaka_graph.neo4j_server import free_port

BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresCluster:
    """`durable`: a commit is acknowledged once its WAL is written (synchronous_commit on),
    so a kill -9 of the server loses nothing acknowledged, as in production; the tests'
    own cluster skips that for speed (fsync stays off: these servers are killed, the
    machine is not)."""

    def __init__(self, home: Path, durable: bool = False) -> None:
        self.home = home
        self.port = free_port()
        self.durable = durable

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://odznaka@127.0.0.1:{self.port}/odznaka"

    def start(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        shutil.chown(self.home, "postgres", "postgres")
        data = self.home / "data"
        self._as_postgres(
            BIN / "initdb", "-D", data, "-U", "odznaka", "-A", "trust", "--no-sync", "-E", "UTF8"
        )
        self._pg_ctl_start()
        self._as_postgres(
            BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "odznaka", "odznaka"
        )

    def stop(self) -> None:
        self._as_postgres(BIN / "pg_ctl", "-D", self.home / "data", "-m", "fast", "-w", "stop")
        shutil.rmtree(self.home, ignore_errors=True)

    def _as_postgres(self, *args: object) -> None:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        deadline = time.monotonic() + 30
        while True:
            result = subprocess.run(command, capture_output=True, text=True, cwd=self.home)
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stderr or result.stdout}")

    def kill(self) -> None:
        """kill -9 of the server and every backend (as a crash would end them)."""
        postmaster = int((self.home / "data" / "postmaster.pid").read_text().split()[0])
        for pid in [postmaster, *_children(postmaster)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def restart(self) -> None:
        """Start the killed server again on the same data and port (it recovers from WAL)."""
        self._pg_ctl_start()

    def _pg_ctl_start(self) -> None:
        self._as_postgres(
            BIN / "pg_ctl",
            "-D",
            self.home / "data",
            "-l",
            self.home / "server.log",
            "-w",
            "-o",
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 "
            f"-c fsync=off -c synchronous_commit={'on' if self.durable else 'off'}",
            "start",
        )


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found
