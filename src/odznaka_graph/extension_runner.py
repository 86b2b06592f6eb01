"""strawberry's schema extensions runner, asking only the extensions that define a hook.

For every result of a stream (each event of each subscription, so each subscriber of a
channel) strawberry's runner walks every extension twice: once for `get_results`, once to
find the `on_stream_result` hooks. Only MaskUnexpectedErrors has a stream hook and none of
ours reports results, so that is work for nothing per socket; this runner finds the
extensions with each hook once per operation, and calls the same hooks as before.
"""

from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import StreamResultContextManager
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext, StreamExecutionResult
from strawberry.utils.await_maybe import await_maybe


def _defining(extensions: list[SchemaExtension], hook: str) -> list[SchemaExtension]:
    default = getattr(SchemaExtension, hook)
    return [e for e in extensions if getattr(type(e), hook) is not default]


class LeanExtensionsRunner(SchemaExtensionsRunner):
    def __init__(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension] | None = None
    ) -> None:
        super().__init__(execution_context, extensions)
        self._reporting = _defining(self.extensions, "get_results")
        self._on_stream_result = _defining(self.extensions, "on_stream_result")

    def on_stream_result(self, result: StreamExecutionResult) -> StreamResultContextManager:
        return StreamResultContextManager(self._on_stream_result, result)

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for extension in self._reporting:
            data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data
