"""What every service gets: the stores, the projector and a way to commit a change."""

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model.driver import FENCED, IN_REQUEST, Graph
from odznaka_graph.i18n import CALLER_LANGUAGES
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.observability import round_trips_var
from odznaka_graph.outcomes import InputReason
from odznaka_graph.projection import Projector
from odznaka_graph.services import input_messages
from odznaka_graph.settings import Settings

T = TypeVar("T")
# Set inside `Stores.in_bulk()`: writes go on without waiting for their projection.
_in_bulk = contextvars.ContextVar("in_bulk", default=False)
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)
_background: set[asyncio.Task[None]] = set()


@dataclass
class Stores:
    settings: Settings
    ledger: Ledger
    graph: Graph
    projector: Projector
    # The drain started by the last write that answered before its projection: a query
    # on this instance waits a little for it (`caught_up`), the writer never does.
    _behind: "asyncio.Task[None] | None" = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # Every graph read made while answering a request (mutations' answer fields too)
        # passes the read fence first, and gives up in bounded time (graph_model/driver.py).
        self.graph.fence = self.caught_up
        self.graph.request_read_timeout = self.settings.graph_read_timeout_seconds or None

    async def commit(
        self, work: Callable[[AsyncConnection], Awaitable[T]], *, answer_first: bool = True
    ) -> T:
        """Run a change in one SQL transaction, then project its outbox events. By default
        (issue 17: the ledger commit is the promise) the projection starts at once in the
        background and the caller answers without waiting for it; what the answer reads
        from the graph waits for it at the read fence (`caught_up`). `answer_first=False`
        waits up to PROJECTION_WAIT_SECONDS, as `project_soon` does."""
        async with self.ledger.transaction() as conn:
            result = await work(conn)
        if answer_first:
            self._behind = self._drain_in_background()
        else:
            await self.project_soon()
        return result

    async def caught_up(self) -> None:
        """The read fence, before a request's graph read: wait up to
        READ_AFTER_WRITE_WAIT_SECONDS for the projection of writes this instance
        acknowledged before their projection (so whoever reads next, the writer's own
        answer included, sees them), never while Neo4j is known to be away."""
        task, wait = self._behind, self.settings.read_after_write_wait_seconds
        if task is None or task.done() or self.projector.graph_down or wait <= 0:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            log.info("a read goes on before the projection of earlier writes")
        except Exception:  # the drain logs its own failures; the read goes on
            return

    async def finish_background(self, wait: float = 5.0) -> None:
        """Before the stores close: let the drains started by acknowledged writes finish
        (bounded), then stop what is left (the relay of the next start picks it up)."""
        tasks = list(_background)
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=wait)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    @asynccontextmanager
    async def in_bulk(self) -> AsyncIterator[None]:
        """Many writes in a row (the demo loader): none waits for its own projection and
        handlers; the graph and every handler catch up once, at the end."""
        token = _in_bulk.set(True)
        try:
            yield
        finally:
            _in_bulk.reset(token)
        await self.projector.settle()

    async def project_soon(self, wait: float | None = None) -> None:
        """Project and run the event handlers now so the caller reads its own write, but
        never wait long for Neo4j, and not at all while it is known to be away: the ledger
        commit is the promise; past `wait` the drain goes on in the background, and the
        relay retries whatever is left."""
        task = self._drain_in_background()
        wait = self.settings.projection_wait_seconds if wait is None else wait
        if _in_bulk.get() or self.projector.graph_down or wait <= 0:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            log.warning("projection is slow; continuing in the background")
        except Exception:  # the change itself is already safe in the ledger
            log.exception("projection after commit failed")

    def _drain_in_background(self) -> "asyncio.Task[None]":
        # The projection is not the request's own work: its queries (and the handlers it
        # runs, possibly after the request ended) are not counted as its round trips.
        quiet = contextvars.copy_context()
        quiet.run(round_trips_var.set, None)
        quiet.run(IN_REQUEST.set, False)
        quiet.run(FENCED.set, False)  # its reads must not wait at the fence for itself
        task = asyncio.get_running_loop().create_task(self.projector.drain(), context=quiet)
        _background.add(task)  # kept until done, as the loop holds tasks weakly
        task.add_done_callback(_background.discard)
        return task


@contextmanager
def answering_request() -> Iterator[None]:
    """Graph reads made inside answer a request: bounded by GRAPH_READ_TIMEOUT_SECONDS."""
    token = IN_REQUEST.set(True)
    try:
        yield
    finally:
        IN_REQUEST.reset(token)


def parse(model: type[M], data: object, prefix: str = "") -> M:
    """Validate input into a model, or fail with one message per field path."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as error:
        languages = CALLER_LANGUAGES.get()
        fields: dict[str, str] = {}
        for item in error.errors():
            path = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
            fields[path or "input"] = input_messages.message(item, languages)
        raise ValidationFailed(fields, reason=InputReason.INVALID_INPUT) from None
