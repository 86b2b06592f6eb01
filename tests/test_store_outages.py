"""A store outage is not a bug: with the SQL store or Neo4j unreachable (the stores'
clients pointed at a port nobody listens on), a request gets SERVICE_UNAVAILABLE with a
retry hint, a 503 for clients of application/graphql-response+json, and the log names the
store; never "Internal server error."."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from asyncpg.exceptions import CannotConnectNowError, InvalidCatalogNameError
from sqlalchemy import exc as sql_errors
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi

from odznaka_graph.graph_model.driver import open_driver
from odznaka_graph.ledger.db import create_engine
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.store_outages import unavailable_store
from tests.helpers import Api, register

GRAPHQL_RESPONSE = {"Accept": "application/graphql-response+json"}


@asynccontextmanager
async def sql_unreachable(api: Api) -> AsyncIterator[None]:
    ledger = api.runtime.services.stores.ledger
    engine = ledger.engine
    ledger.engine = create_engine(f"postgresql+asyncpg://odznaka:x@127.0.0.1:{free_port()}/x")
    try:
        yield
    finally:
        await ledger.engine.dispose()
        ledger.engine = engine


@asynccontextmanager
async def neo4j_unreachable(api: Api) -> AsyncIterator[None]:
    graph = api.runtime.services.stores.graph
    driver = graph.driver
    graph.driver = open_driver(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x")
    try:
        yield
    finally:
        await graph.driver.close()
        graph.driver = driver


@pytest.mark.parametrize(
    ("outage", "store", "query"),
    [
        (sql_unreachable, "sql", "{ me { xp } }"),
        (neo4j_unreachable, "neo4j", "{ me { handle } }"),
    ],
)
async def test_an_unreachable_store_is_a_typed_retryable_error(
    api: Api, caplog: pytest.LogCaptureFixture, outage: object, store: str, query: str
) -> None:
    person = await register(api)
    async with outage(api):  # type: ignore[operator]
        caplog.set_level(logging.WARNING)
        legacy = await api.raw(query, token=person.token)
        typed = await api.raw(query, token=person.token, headers=GRAPHQL_RESPONSE)

    body = legacy.json()
    # a query stopped in the session check, or in its field: no data either way
    assert legacy.status_code == 200 and body["data"] in (None, {"me": None}), body
    [error] = body["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfterSeconds": 2}
    assert "Internal server error" not in error["message"]

    assert typed.status_code == 503, typed.text
    assert typed.headers["retry-after"] == "2"
    assert typed.headers["content-type"].startswith("application/graphql-response+json")
    assert "data" not in typed.json()
    assert [e["extensions"]["code"] for e in typed.json()["errors"]] == ["SERVICE_UNAVAILABLE"]

    if store == "neo4j":
        await _the_breaker_opened_and_closes(api, person.token)
    named = [r for r in caplog.records if r.getMessage() == f"store unavailable: {store}"]
    assert named, [r.getMessage() for r in caplog.records]
    assert not [r for r in caplog.records if r.getMessage().startswith("unexpected error")]


async def _the_breaker_opened_and_closes(api: Api, token: str) -> None:
    """After the first call spent the driver's retries, later calls failed fast (one quick
    probe each, graph_model/breaker.py); Neo4j back, the next request closes the breaker."""
    breaker = api.runtime.services.stores.graph.breaker
    assert breaker.open
    assert (await api.query("{ me { handle } }", token=token))["me"]["handle"]
    assert not breaker.open


def test_a_postgresql_server_starting_up_is_an_outage() -> None:
    """Connecting while PostgreSQL recovers from a crash fails with SQLSTATE 57P03, which
    SQLAlchemy raises as a plain DBAPIError (seen in bench/exactly_once_faults as a bare
    500): an outage of the SQL store, not a bug."""
    starting = CannotConnectNowError("the database system is starting up")
    translated = AsyncAdapt_asyncpg_dbapi.Error(str(starting), starting)
    error = sql_errors.DBAPIError(None, None, translated)
    assert unavailable_store(error) == "sql"
    refused = AsyncAdapt_asyncpg_dbapi.Error("no such database", InvalidCatalogNameError("x"))
    assert unavailable_store(sql_errors.DBAPIError(None, None, refused)) is None  # a mistake
