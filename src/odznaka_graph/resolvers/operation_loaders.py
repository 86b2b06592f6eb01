"""Fresh loaders for every operation. Over HTTP each request has its own context; over
a WebSocket one context lives as long as the connection, so without this a query would
see the memberships and roles cached by the connection's first operation (a pupil
removed from a class would keep reading it)."""

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from odznaka_graph.context import Context


def fresh_loaders(context: Context) -> None:
    context.forget_loaders()  # made again on first use, for the viewer of this operation


class OperationLoaders(SchemaExtension):
    """Gives the context new loaders (and so a new visibility service) per operation."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            fresh_loaders(context)
        yield
