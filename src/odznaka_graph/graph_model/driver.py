"""The Neo4j port: one driver per process, reads routed to readers, round trips counted."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString, TypeVar, cast

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    Record,
    RoutingControl,
)
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
from neo4j.time import DateTime as Neo4jDateTime

from odznaka_graph.graph_model.breaker import Breaker
from odznaka_graph.observability import GRAPH_QUERIES, count_neo4j

T = TypeVar("T")
Rows = list[dict[str, Any]]
# Set while answering a request (resolvers/read_after_write.py): its graph reads first pass
# the read fence and give up after `Graph.request_read_timeout`. The projection's own
# reads (its drain and handlers) run with it unset.
IN_REQUEST: ContextVar[bool] = ContextVar("graph_read_in_request", default=False)
# Unset only in the projection's own drain (projection.py): every other read (a request's,
# the demo loader's, a command's) first passes the read fence, so what was committed before
# it is read back; the drain must not wait for itself.
FENCED: ContextVar[bool] = ContextVar("graph_read_fenced", default=True)


def open_driver(uri: str, user: str, password: str) -> AsyncDriver:
    # Short retry and connect times: a request fails fast while Neo4j is away, and the
    # outbox relay (not the request) is what waits for it to come back.
    return AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        max_connection_pool_size=50,
        connection_acquisition_timeout=10,
        connection_timeout=5,
        max_transaction_retry_time=5,
        notifications_min_severity="OFF",
    )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def generated(cypher: str) -> LiteralString:
    """Cypher generated from the program's own constants (labels, language codes), never
    from a request: the one way a built string becomes a query (graph migrations)."""
    # mypy reads LiteralString as str, so to mypy (not to pyright) the cast is redundant.
    return cast(LiteralString, cypher)  # type: ignore[redundant-cast]


def micros(expression: LiteralString) -> LiteralString:
    """Cypher for a datetime as whole microseconds since the epoch (null stays null). Hot
    reads return datetimes so: the driver spends ~40 µs of Python decoding each DateTime,
    an integer costs next to nothing, and `native` turns it back into the same instant."""
    # Not epochSeconds + microsecond: epochSeconds rounds towards zero before 1970.
    since = f"duration.inSeconds(datetime({{epochSeconds: 0}}), {expression})"
    return f"{since}.seconds * 1000000 + {since}.nanosecondsOfSecond / 1000"


def native(value: Any) -> Any:
    """Driver temporal values (or `micros` integers) as Python datetimes."""
    if isinstance(value, Neo4jDateTime):
        return value.to_native()
    if isinstance(value, int):
        return EPOCH + timedelta(microseconds=value)
    return value


class Tx:
    """A write transaction that counts its statements."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, query: LiteralString, **params: Any) -> Rows:
        count_neo4j(query)
        GRAPH_QUERIES.labels("w").inc()
        result = await self._tx.run(query, params)
        return [record.data() async for record in result]


class Graph:
    """Reads and writes take `LiteralString` queries: Cypher is written in the source, and
    values travel as parameters, so text from a request cannot become part of a query."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.breaker = Breaker()
        # The read fence (services/base.py `Stores.caught_up`): before a request's read,
        # wait (bounded) for the projection of what this instance committed before it.
        self.fence: Callable[[], Awaitable[None]] | None = None
        # A request's read gives up after this long (Neo4j paused answers nothing): the
        # caller gets SERVICE_UNAVAILABLE, never a hang. None: no limit.
        self.request_read_timeout: float | None = None

    @asynccontextmanager
    async def _reachable(self) -> AsyncIterator[None]:
        """Fails fast while Neo4j is away (graph_model/breaker.py)."""
        in_request = self.request_read_timeout is not None and IN_REQUEST.get()
        timeout = self.request_read_timeout if in_request else None
        await self.breaker.check(self.driver, self.database, timeout)
        try:
            yield
        except ServiceUnavailable:
            self.breaker.trip()
            raise

    async def _past_fence(self) -> None:
        if self.fence is not None and FENCED.get():
            await self.fence()

    async def _fenced(self, reading: Callable[[], Awaitable[T]]) -> T:
        """A read past the fence (but the projection's own); made while answering a
        request, also bounded in time (not through the breaker: its probe would wait on a
        paused Neo4j too)."""
        await self._past_fence()
        if self.request_read_timeout is None or not IN_REQUEST.get():
            return await reading()
        try:
            return await asyncio.wait_for(reading(), self.request_read_timeout)
        except TimeoutError:
            raise ServiceUnavailable("Neo4j did not answer a read in time.") from None

    async def read(self, query: LiteralString, **params: Any) -> Rows:
        return await self._query(query, params, RoutingControl.READ)

    async def read_plain(self, query: LiteralString, **params: Any) -> Rows:
        """A read whose values are plain (maps, lists, numbers, text: no nodes or paths):
        rows taken as the driver decoded them, without `Record.data`'s walk through every
        nested value (half the CPU of a planned read of 50 awards)."""
        count_neo4j(query)
        GRAPH_QUERIES.labels("r").inc()
        async with self._reachable():
            records = await self._fenced(lambda: self._read_records(query, params))
        return [dict(zip(record.keys(), record.values(), strict=True)) for record in records]

    async def _read_records(self, query: LiteralString, params: dict[str, Any]) -> list[Record]:
        """A read as one auto-commit query: RUN and PULL in one round trip, where a managed
        transaction adds BEGIN and a COMMIT round trip (a third less of the driver's CPU
        per planned read, bench/read_round_trips.py). A failure the driver would retry
        (a lost connection, a cluster's leader moving) is tried again as a managed
        transaction, with the driver's retries."""
        try:
            async with self.driver.session(
                database=self.database,
                default_access_mode=READ_ACCESS,
                # The bookmarks execute_query keeps: a read follows the writes before it
                # on a cluster too.
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session:
                result = await session.run(query, params)
                return [record async for record in result]
        except Neo4jError as error:
            if not error.is_retryable():
                raise
        except DriverError as error:
            if not error.is_retryable():
                raise
        records, _, _ = await self.driver.execute_query(
            query, params, database_=self.database, routing_=RoutingControl.READ
        )
        return records

    async def write(self, query: LiteralString, **params: Any) -> Rows:
        return await self._query(query, params, RoutingControl.WRITE)

    async def _query(
        self, query: LiteralString, params: dict[str, Any], routing: RoutingControl
    ) -> Rows:
        count_neo4j(query)
        GRAPH_QUERIES.labels("r" if routing == RoutingControl.READ else "w").inc()
        async with self._reachable():
            if routing == RoutingControl.READ:
                records = await self._fenced(lambda: self._read_records(query, params))
            else:
                await self._past_fence()
                records, _, _ = await self.driver.execute_query(
                    query, params, database_=self.database, routing_=routing
                )
        return [record.data() for record in records]

    async def in_transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        async def run(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(tx))

        await self._past_fence()  # a direct write builds on what was committed before it
        # The bookmarks execute_query and the reads keep: on a cluster a read that follows
        # (a writer reading its own projection) sees this write.
        async with (
            self._reachable(),
            self.driver.session(
                database=self.database,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session,
        ):
            return await session.execute_write(run)

    async def ping(self) -> None:
        await self.read("RETURN 1 AS ok")

    async def warm_up(self, connections: int = 4) -> None:
        """Open a few pooled connections now: a fresh connection's first query is slow."""
        import asyncio

        await asyncio.gather(*(self.ping() for _ in range(connections)))

    async def close(self) -> None:
        await self.driver.close()


def as_datetime(value: Any) -> datetime | None:
    return native(value) if value is not None else None
