"""Real services for every test: one Neo4j and one SQLite store per session, emptied
between tests; the app driven in-process over ASGI (and through uvicorn where it matters)."""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from starlette.applications import Starlette

from odznaka_graph.app import create_app
from odznaka_graph.ledger.tables import metadata
from odznaka_graph.neo4j_server import Neo4jServer, Neo4jServerConfig, free_port
from odznaka_graph.observability import RoundTrips, round_trips_var
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import PROJECT_ROOT, Settings
from tests.helpers import Api
from tests.mail_helpers import SmtpServer
from tests.postgres import PostgresCluster
from tests.redis_server import RedisServer

# OWASP's floor instead of the standard argon2 cost for every password the tests hash
# (each of the suite's thousands of sign-ups and sign-ins), here and in the API processes
# they start; test_accounts checks both costs.
os.environ.setdefault("PASSWORD_HASH_COST", "minimum")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer | None]:
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    config = Neo4jServerConfig(
        home=tmp_path_factory.mktemp("neo4j"),
        bolt_port=free_port(),
        heap="1g",
        page_cache="256m",
    )
    server = Neo4jServer(config, PROJECT_ROOT)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def settings(
    neo4j_server: Neo4jServer | None, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    var = tmp_path_factory.mktemp("var")
    overrides: dict[str, Any] = {
        "var_dir": var,
        "login_max_failures": 3,
        # Every test client is 127.0.0.1: per-client limits are tested with their own values.
        "login_max_attempts_per_client": 10_000,
        "register_max_per_client": 10_000,
        "join_max_attempts_per_client": 10_000,
    }
    if neo4j_server is not None:
        overrides |= {
            "neo4j_uri": neo4j_server.uri,
            "neo4j_password": SecretStr(neo4j_server.password),
        }
    return Settings(**overrides)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    cluster = PostgresCluster(Path("/tmp") / f"odznaka-test-postgres-{os.getpid()}")
    cluster.start()
    yield cluster.url
    cluster.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sql(request: pytest.FixtureRequest) -> str:
    """Which SQL store a test runs on: SQLite unless a module asks for both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
async def runtime(
    settings: Settings, sql: str, request: pytest.FixtureRequest
) -> AsyncIterator[Runtime]:
    if sql == "postgresql":
        settings = settings.model_copy(
            update={"database_url": request.getfixturevalue("postgres_url")}
        )
    runtime = await Runtime.open(settings, relay=False)
    yield runtime
    await runtime.close()


@pytest.fixture(autouse=True)
async def clean_stores(request: pytest.FixtureRequest) -> None:
    if "runtime" not in request.fixturenames:
        return
    runtime: Runtime = request.getfixturevalue("runtime")
    stores = runtime.services.stores
    await stores.graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    async with stores.ledger.transaction() as conn:
        for table in reversed(metadata.sorted_tables):
            await conn.execute(table.delete())
        await conn.execute(sa.text("SELECT 1"))


@pytest.fixture(scope="session")
async def served_app(settings: Settings, runtime: Runtime) -> AsyncIterator[Starlette]:
    """One app per runtime for the whole session, as a server keeps its own: building the
    schema and settling the heap per test cost a quarter of a second each."""
    app = create_app(settings, runtime)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def api(served_app: Starlette, runtime: Runtime) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=served_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client, runtime)


@pytest.fixture
async def unplanned(settings: Settings, runtime: Runtime) -> AsyncIterator[Api]:
    """The same stores served with the read planner off: every field resolved one by one
    (the planner's tests compare its answers with these)."""
    off = settings.model_copy(update={"read_planner": False})
    app = create_app(off, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, runtime)


@pytest.fixture
def round_trips() -> Iterator[RoundTrips]:
    trips = RoundTrips()
    token = round_trips_var.set(trips)
    yield trips
    round_trips_var.reset(token)


def pytest_configure(config: pytest.Config) -> None:
    Path(PROJECT_ROOT / "var").mkdir(exist_ok=True)


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """A real SMTP server process (mail, issue 14) keeping what it receives."""
    server = SmtpServer(tmp_path / "mailbox.db")
    server.start()
    yield server
    server.stop()
