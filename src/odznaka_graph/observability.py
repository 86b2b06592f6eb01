"""Structured JSON logs, request ids, Prometheus metrics and round-trip counting."""

import contextvars
import logging
import sys
from dataclasses import dataclass, field

import orjson
from prometheus_client import Counter, Gauge, Histogram

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

HTTP_REQUESTS = Counter("odznaka_http_requests_total", "HTTP requests", ["path", "status"])
HTTP_LATENCY = Histogram("odznaka_http_request_seconds", "HTTP request latency", ["path"])
GRAPH_QUERIES = Counter("odznaka_neo4j_queries_total", "Cypher queries sent", ["routing"])
PLANNED_READS = Counter(
    "odznaka_graphql_planned_total",
    "GraphQL POSTs answered by a read plan (planned), stopped at the operation timeout while "
    "planned (timeout) or given to the executor (executor)",
    ["answer"],
)
SQL_STATEMENTS = Counter("odznaka_sql_statements_total", "SQL statements sent")
OUTBOX_PROJECTED = Counter("odznaka_outbox_projected_total", "Outbox events projected", ["topic"])
OUTBOX_FAILURES = Counter("odznaka_outbox_failures_total", "Outbox projection failures")
# Event handlers (effects.py); the gauges are read from the SQL store when /metrics is asked.
EFFECTS_DONE = Counter("odznaka_event_handled_total", "Events handled", ["handler"])
EFFECT_FAILURES = Counter("odznaka_event_handler_failures_total", "Handler failures", ["handler"])
EVENTS_BACKLOG = Gauge("odznaka_events_backlog", "(event, handler) pairs and graph projections due")
EVENTS_OLDEST_PENDING = Gauge(
    "odznaka_events_oldest_pending_seconds", "Age of the oldest event still due somewhere"
)
EVENTS_PARKED = Gauge("odznaka_events_parked", "(event, handler) pairs parked after failing")


@dataclass
class RoundTrips:
    """Database round trips made while serving one request (tests read these)."""

    neo4j: int = 0
    sql: int = 0
    queries: list[str] = field(default_factory=list)


round_trips_var: contextvars.ContextVar[RoundTrips | None] = contextvars.ContextVar(
    "round_trips", default=None
)


def count_neo4j(query: str) -> None:
    trips = round_trips_var.get()
    if trips is not None:
        trips.neo4j += 1
        trips.queries.append(query)


def count_sql(statement: str) -> None:
    SQL_STATEMENTS.inc()
    trips = round_trips_var.get()
    if trips is not None:
        trips.sql += 1


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("neo4j").setLevel(logging.WARNING)
