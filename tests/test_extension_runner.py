"""The project's schema asks only the extensions that define a hook for each streamed
result (extension_runner.LeanExtensionsRunner): every subscription event still gets its
errors masked and every extension's results, and an extension without the hooks is not
consulted per event."""

from collections.abc import AsyncGenerator, Iterator
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension

from odznaka_graph.error_log import MaskUnexpectedErrors, Schema
from odznaka_graph.extension_runner import LeanExtensionsRunner


class Reporting(SchemaExtension):
    calls = 0

    def get_results(self) -> dict[str, Any]:
        Reporting.calls += 1
        return {"reported": Reporting.calls}


class Watching(SchemaExtension):
    seen: list[Any] = []

    def on_stream_result(self, result: Any) -> Iterator[None]:
        Watching.seen.append(result.data)
        yield


class Quiet(SchemaExtension):
    """Defines neither hook."""


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[int, None]:
        yield 1
        yield 2
        raise RuntimeError("a secret of the server")


async def test_each_streamed_result_meets_the_hooks_its_extensions_define() -> None:
    schema = Schema(
        query=Query,
        subscription=Subscription,
        extensions=[Quiet, Reporting, Watching, MaskUnexpectedErrors],
    )
    stream = await schema.subscribe("subscription { ticks }")
    results = [result async for result in stream]  # type: ignore[union-attr]

    assert [r.data for r in results] == [{"ticks": 1}, {"ticks": 2}, None]
    assert [r.extensions for r in results] == [{"reported": n} for n in (1, 2, 3)]
    assert Watching.seen == [{"ticks": 1}, {"ticks": 2}, None]
    assert results[2].errors is not None
    assert [e.message for e in results[2].errors] == ["Unexpected error."]


def test_the_runner_keeps_per_result_lists_of_only_the_extensions_with_hooks() -> None:
    quiet, reporting, watching = Quiet(), Reporting(), Watching()
    runner = Schema(query=Query).create_extensions_runner(
        None,  # type: ignore[arg-type]
        [quiet, reporting, watching],
    )
    assert isinstance(runner, LeanExtensionsRunner)
    hooks = runner.on_stream_result(None).hooks  # type: ignore[arg-type]
    assert [hook.extension for hook in hooks] == [watching]
    assert runner._reporting == [reporting]  # asked for its results; `quiet` never
