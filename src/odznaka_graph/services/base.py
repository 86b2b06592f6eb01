"""What every service gets: the stores, the projector and a way to commit a change."""

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.i18n import CALLER_LANGUAGES
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.observability import round_trips_var
from odznaka_graph.outcomes import InputReason
from odznaka_graph.projection import Projector
from odznaka_graph.services import input_messages
from odznaka_graph.settings import Settings

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)
_background: set[asyncio.Task[None]] = set()


@dataclass
class Stores:
    settings: Settings
    ledger: Ledger
    graph: Graph
    projector: Projector

    async def commit(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run a change in one SQL transaction, then project its outbox events."""
        async with self.ledger.transaction() as conn:
            result = await work(conn)
        await self.project_soon()
        return result

    async def project_soon(self, wait: float | None = None) -> None:
        """Project and run the event handlers now so the caller reads its own write, but
        never wait long for Neo4j, and not at all while it is known to be away: the ledger
        commit is the promise; past `wait` the drain goes on in the background, and the
        relay retries whatever is left."""
        # The projection is not the request's own work: its queries (and the handlers it
        # runs, possibly after the request ended) are not counted as its round trips.
        quiet = contextvars.copy_context()
        quiet.run(round_trips_var.set, None)
        task = asyncio.get_running_loop().create_task(self.projector.drain(), context=quiet)
        wait = self.settings.projection_wait_seconds if wait is None else wait
        if self.projector.graph_down or wait <= 0:
            _background.add(task)  # kept until done, as the loop holds tasks weakly
            task.add_done_callback(_background.discard)
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            log.warning("projection is slow; continuing in the background")
        except Exception:  # the change itself is already safe in the ledger
            log.exception("projection after commit failed")


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
