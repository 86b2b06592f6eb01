"""Telling a store outage from a bug: which store (the SQL store or Neo4j) an error says is
unreachable, if any. Clients get SERVICE_UNAVAILABLE with a retry hint for it, never
"Internal server error." (error_log.py; a 503 over HTTP where GraphQL-over-HTTP allows)."""

import logging
from collections.abc import Iterator
from traceback import walk_tb

from graphql import GraphQLError
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from sqlalchemy import exc as sql_errors

CODE = "SERVICE_UNAVAILABLE"
RETRY_AFTER_SECONDS = 2
MESSAGE = "The service is briefly unavailable; retry in a moment."
# SQLite reports busy or unreadable files as OperationalError, like a broken schema: only
# these messages are outages.
_SQLITE_OUTAGES = ("locked", "unable to open", "disk i/o", "busy")
# PostgreSQL's SQLSTATE classes of a server away: connection exceptions (08) and operator
# intervention (57: shutting down, crashed, "the database system is starting up").
_PG_OUTAGE_CLASSES = ("08", "57")
_LIBRARIES = {"asyncpg": "sql", "aiosqlite": "sql", "sqlalchemy": "sql", "neo4j": "neo4j"}
log = logging.getLogger("odznaka_graph.stores")


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unavailable_store(error: BaseException | None) -> str | None:
    """ "sql" or "neo4j" when the error is that store being unreachable; None otherwise."""
    for found in _chain(error) if error is not None else ():
        if isinstance(found, (ServiceUnavailable, SessionExpired)):
            return "neo4j"
        if isinstance(found, sql_errors.TimeoutError):  # no connection free in the pool
            return "sql"
        if isinstance(found, sql_errors.DBAPIError) and _sql_outage(found):
            return "sql"
        if isinstance(found, OSError) and (store := _raised_in(found)):
            return store  # e.g. connection refused while a driver connects
    return None


def _sql_outage(error: sql_errors.DBAPIError) -> bool:
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate[:2] in _PG_OUTAGE_CLASSES:
        return True  # e.g. a DBAPIError while connecting to a server in recovery
    if not isinstance(error, (sql_errors.OperationalError, sql_errors.InterfaceError)):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        return any(part in str(error.orig).lower() for part in _SQLITE_OUTAGES)
    return True  # asyncpg: connection lost, refused, "another operation is in progress"


def _raised_in(error: OSError) -> str | None:
    for frame, _ in walk_tb(error.__traceback__):
        library = frame.f_globals.get("__name__", "").split(".")[0]
        if library in _LIBRARIES:
            return _LIBRARIES[library]
    return None


def outage_error(error: GraphQLError, store: str) -> GraphQLError:
    """The client's view of an outage: a stable code and when to retry."""
    log.warning("store unavailable: %s", store, extra={"fields": {"store": store, "code": CODE}})
    return GraphQLError(
        message=MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": CODE, "retryAfterSeconds": RETRY_AFTER_SECONDS},
    )


def outage_body(store: str) -> dict[str, object]:
    """An HTTP answer's body when an outage stopped a request before it ran."""
    log.warning("store unavailable: %s", store, extra={"fields": {"store": store, "code": CODE}})
    extensions = {"code": CODE, "retryAfterSeconds": RETRY_AFTER_SECONDS}
    return {"errors": [{"message": MESSAGE, "extensions": extensions}]}
