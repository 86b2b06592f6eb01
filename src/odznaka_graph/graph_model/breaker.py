"""Failing fast while Neo4j is away: once a call has spent the driver's retries and found
Neo4j unreachable, each later call first makes one quick attempt to reach it (a single
`RETURN 1`, no retries) and fails at once if that fails too, instead of spending the
driver's whole retry time per call; the first call that reaches it closes the breaker.
A request's attempt is bounded in time as its reads are (a paused Neo4j accepts the
connection and answers nothing)."""

import asyncio

from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable


class Breaker:
    def __init__(self) -> None:
        self.open = False

    def trip(self) -> None:
        self.open = True

    async def check(self, driver: AsyncDriver, database: str, within: float | None) -> None:
        """Returns when Neo4j is believed reachable; raises ServiceUnavailable quickly when
        it was away and still is (or gives no answer in `within` seconds)."""
        if not self.open:
            return
        try:
            await asyncio.wait_for(_probe(driver, database), within)
        except (DriverError, Neo4jError, OSError, TimeoutError) as error:
            raise ServiceUnavailable("Neo4j is still unreachable.") from error
        self.open = False


async def _probe(driver: AsyncDriver, database: str) -> None:
    async with driver.session(database=database) as session:
        await (await session.run("RETURN 1")).consume()
