"""Read-your-writes for awards, which answer before their projection: a query waits a
little for the projection of the awards this instance acknowledged before it began
(`Stores.caught_up`). Mutations never wait here, so an acknowledgement never waits on
Neo4j."""

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from odznaka_graph.context import Context


class ReadAfterWrite(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if (
            isinstance(context, Context)
            and self.execution_context.operation_type == OperationType.QUERY
        ):
            await context.services.stores.caught_up()
        yield
