"""Build and run a local Neo4j Community engine as a child process.

The engine is the stock ``org.neo4j:neo4j`` artifact started by the small Java entry point in
``neo4j-launcher/``; Maven fetches it into ~/.m2 on the first build, so no Neo4j install is needed.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

LAUNCHER_DIR = "neo4j-launcher"
MAIN_CLASS = "org.odznaka.launcher.Neo4jLauncher"
READY_MARKER = "NEO4J_READY "
USER = "neo4j"

# The flags Neo4j's own neo4j.conf gives its JVM. Without the --add-opens the page cache and the
# transaction log writer fall back to slower paths and log warnings. No AlwaysPreTouch: it would
# make the whole heap resident at once.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    # A half-dead engine after OutOfMemoryError is worse than a stopped one that callers notice.
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


@dataclass(frozen=True)
class Neo4jServerConfig:
    home: Path
    bolt_port: int = 7687
    heap: str = "1g"
    page_cache: str = "512m"
    startup_timeout: float = 180.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def password_for(home: Path) -> str:
    path = Path(home) / "password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; use theirs
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(24) + "\n")
    return path.read_text().strip()


def build_launcher(project_root: Path) -> None:
    launcher = Path(project_root) / LAUNCHER_DIR
    if not _build_needed(launcher):
        return
    mvn = _require_tool("mvn")
    print("Building the Neo4j launcher (first build downloads ~175 MB into ~/.m2)...", flush=True)
    # clean: a version bump would otherwise leave old jars in target/lib, on the classpath.
    command = [mvn, "-q", "-B", "-f", str(launcher / "pom.xml"), "clean", "package"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = _tail(result.stdout + result.stderr)
        raise RuntimeError(f"Building the Neo4j launcher failed ({' '.join(command)}):\n{output}")
    _stamp_path(launcher).touch()
    print("Neo4j launcher built.", flush=True)


def _build_needed(launcher: Path) -> bool:
    stamp = _stamp_path(launcher)
    if not stamp.exists() or not any((launcher / "target" / "lib").glob("*.jar")):
        return True
    sources = [launcher / "pom.xml", *(launcher / "src").rglob("*.java")]
    return max(path.stat().st_mtime for path in sources) > stamp.stat().st_mtime


def _stamp_path(launcher: Path) -> Path:
    # Written only after a successful build, so a half-finished one is redone.
    return launcher / "target" / "build.stamp"


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(
            f"'{name}' not found on PATH; the Neo4j launcher needs Java 17 and Maven"
        )
    return path


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Same option the engine's listener uses, so leftover TIME_WAIT sockets don't count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


class Neo4jServer:
    user = USER

    def __init__(self, config: Neo4jServerConfig, project_root: Path):
        self.config = config
        self.project_root = Path(project_root)
        self._process: subprocess.Popen[bytes] | None = None
        self._last_error: Exception | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.config.bolt_port}"

    @property
    def password(self) -> str:
        return password_for(self.config.home)

    @property
    def log_path(self) -> Path:
        return Path(self.config.home) / "launcher.log"

    @property
    def pid_path(self) -> Path:
        return Path(self.config.home) / "launcher.pid"

    def start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        build_launcher(self.project_root)
        Path(self.config.home).mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        if _port_in_use(self.config.bolt_port):
            raise RuntimeError(
                f"Cannot start Neo4j: port {self.config.bolt_port} on 127.0.0.1 is already in use"
            )
        password_for(self.config.home)
        with open(self.log_path, "wb") as log:
            # Own session: a Ctrl-C meant for the caller must not kill the engine mid-write.
            self._process = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.config.home,
                start_new_session=True,
                preexec_fn=_end_with_parent,
            )
        self.pid_path.write_text(f"{self._process.pid}\n")
        atexit.register(self.stop)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _command(self) -> list[str]:
        launcher = (self.project_root / LAUNCHER_DIR / "target").resolve()
        classpath = os.pathsep.join([str(launcher / "classes"), str(launcher / "lib" / "*")])
        home = Path(self.config.home).resolve()
        heap = self.config.heap
        return [
            _require_tool("java"),
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *JVM_FLAGS,
            "-cp",
            classpath,
            MAIN_CLASS,
            "--home",
            str(home),
            "--bolt-port",
            str(self.config.bolt_port),
            "--page-cache",
            self.config.page_cache,
            "--password-file",
            str(home / "password"),
        ]

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.config.startup_timeout
        assert self._process is not None
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                raise RuntimeError(
                    f"Neo4j exited with code {code} while starting; {self._log_tail()}"
                )
            if READY_MARKER in self.log_path.read_text(errors="replace") and self._answers_query():
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"Neo4j was not ready within {self.config.startup_timeout:.0f} s "
            f"(last connection error: {self._last_error!r}); {self._log_tail()}"
        )

    def _answers_query(self) -> bool:
        # A plain session, not execute_query: that one retries for up to 30 s on its own.
        try:
            with GraphDatabase.driver(
                self.uri, auth=(USER, self.password), connection_timeout=5
            ) as driver:
                with driver.session() as session:
                    session.run("RETURN 1").consume()
            return True
        except (DriverError, Neo4jError, OSError) as error:
            self._last_error = error
            return False

    def _log_tail(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"tail of {self.log_path}:\n{_tail(text)}"

    def stop(self, timeout: float = 60) -> None:
        process, self._process = self._process, None
        atexit.unregister(self.stop)
        if process is not None and process.poll() is None:
            _signal(process.pid, signal.SIGTERM)  # the launcher's shutdown hook closes the stores
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal(process.pid, signal.SIGKILL)
                process.wait()
        self.pid_path.unlink(missing_ok=True)

    def _stop_leftover(self, timeout: float = 60) -> None:
        """An engine of this home left by a server that was killed before it could stop it."""
        try:
            pid = int(self.pid_path.read_text())
        except (OSError, ValueError):
            return
        if _is_our_engine(pid):
            _signal(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _is_our_engine(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _is_our_engine(pid):
                _signal(pid, signal.SIGKILL)
        self.pid_path.unlink(missing_ok=True)

    def __enter__(self) -> Neo4jServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _signal(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def _is_our_engine(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return MAIN_CLASS.encode() in command


PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """In the engine's child process: Linux sends it SIGTERM when the server that started it
    dies, however it dies (even kill -9), so no engine outlives its server."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the pid file still lets the next start stop a leftover engine
