"""Read-your-writes without writes waiting (issue 17): writes answer at their ledger
commit, and every graph read made while answering a request (a query's, or a mutation's
answer fields after its resolver committed) first waits a little for the projection of
what this instance committed before it (`Stores.caught_up`, the fence in
graph_model/driver.py), and gives up on a Neo4j that answers nothing with
SERVICE_UNAVAILABLE."""

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from odznaka_graph.context import Context
from odznaka_graph.services.base import answering_request


class ReadAfterWrite(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        if not isinstance(self.execution_context.context, Context):
            yield
            return
        with answering_request():
            yield
