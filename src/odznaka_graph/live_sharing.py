"""Live events worked out once per channel and audience, not once per subscriber.

Every local listener of a channel receives the same `Delivery` for a message (fanout.Hub).
What a stream derives from it for one audience is made by the first subscriber that needs
it and reused by the others on that channel: the decoded event, the object the stream
yields (`shared_root`), the GraphQL result of a selection on that object (`SharingExecutor`)
and the text of the `next` message (`shared_text`). An audience is everything a resolver can
tell about the subscriber (`audience`): the account, its role and the languages asked for;
what a viewer may see is still decided by the services (activity_reads, the visibility
service), once for each audience instead of once for each socket.
"""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import orjson
from graphql import ExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

T = TypeVar("T")
_RESULTS = "_shared_results"  # the attribute a shared root keeps its results in
_TEXTS_KEPT = 256
_UNKNOWN = object()


class Delivery(str):
    """One message of a channel as all of its local listeners receive it (one object)."""

    made: dict[Hashable, Any]

    @classmethod
    def of(cls, message: str) -> "Delivery":
        delivery = cls(message)
        delivery.made = {}
        return delivery

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]  # type: ignore[no-any-return]


def decoded(message: str) -> dict[str, Any]:
    """The message's JSON, parsed once per delivery (callers must not change it)."""
    if isinstance(message, Delivery):
        return message.once("decoded", lambda: orjson.loads(str.__str__(message)))
    return orjson.loads(message)  # type: ignore[no-any-return]


def audience(context: Any) -> Hashable:
    """Who a subscriber is, as far as any resolver can tell."""
    viewer = context.viewer
    return (viewer.id, viewer.role, context.accept_language)


async def shared_root(
    message: str, key: Hashable, make: Callable[[], Awaitable[T | None]]
) -> T | None:
    """The object a stream yields for a message, made once per `key` (which must name the
    audience when what is made depends on it); GraphQL results on it are then shared too.
    The first subscriber makes it in its own task; the others take it, or wait for it."""
    if not isinstance(message, Delivery):
        return await make()
    made: asyncio.Future[T | None] | None = message.made.get(key)
    if made is None:
        message.made[key] = made = asyncio.get_running_loop().create_future()
        return await _settle(made, _marked(make))
    if made.done():
        return made.result()
    return await asyncio.shield(made)


async def _marked(make: Callable[[], Awaitable[T | None]]) -> T | None:
    root = await make()
    if root is not None:
        object.__setattr__(root, _RESULTS, {})
    return root


async def _settle(future: "asyncio.Future[T]", work: Awaitable[T]) -> T:
    """Await `work` here and hand its outcome to whoever waits on `future` too."""
    try:
        done = await work
    except BaseException as error:
        if isinstance(error, asyncio.CancelledError):
            future.cancel()
        else:
            future.set_exception(error)
        raise
    future.set_result(done)
    return done


def sharing(
    executor: type[StrawberryGraphQLCoreExecutionContext],
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """`executor`, sharing subscription events' results as SharingExecutor does."""
    return type(f"Sharing{executor.__name__}", (SharingExecutor, executor), {})


class SharingExecutor(StrawberryGraphQLCoreExecutionContext):
    """Executes a subscription event on a shared root once per document, variables and
    audience; every subscriber with the same ones gets the same result object."""

    _variables_text: bytes | None | object = _UNKNOWN

    def build_per_event_executor(self, payload: Any) -> Any:
        """An executor for one event; for a shared root whose result is made already, the
        result itself, without copying this executor."""
        results = getattr(payload, _RESULTS, None)
        key = self._sharing_key() if results else None
        found = results.get(key) if results and key is not None else None
        if found is not None:
            return _Made(found)
        return super().build_per_event_executor(payload)

    def execute_operation(self, serially: bool | None = None) -> Any:
        results = getattr(self.root_value, _RESULTS, None)
        if serially is not False or results is None:  # not a shared subscription event
            return super().execute_operation(serially)
        key = self._sharing_key()
        if key is None:
            return super().execute_operation(serially)
        found = results.get(key)
        if found is None:
            found = results[key] = _kept(super().execute_operation(serially), self.is_awaitable)
        return found

    def _sharing_key(self) -> Hashable | None:
        variables = self._variables_text
        if variables is _UNKNOWN:  # encoded once per subscription, not once per event
            try:
                variables = orjson.dumps(self.variable_values.coerced, option=orjson.OPT_SORT_KEYS)
            except TypeError:
                variables = None
            self._variables_text = variables
        if variables is None:
            return None
        return (id(self.operation), variables, audience(self.context_value))


class _Made:
    """Stands for a per-event executor whose result is already made."""

    __slots__ = ("result",)

    def __init__(self, result: Any) -> None:
        self.result = result

    def execute_operation(self, serially: bool | None = None) -> Any:
        return self.result


def _kept(result: Any, is_awaitable: Callable[[Any], bool]) -> Any:
    if not is_awaitable(result):
        _remember(result)
        return result
    return _Pending(result)


class _Pending:
    """A result still being made: the first to await it makes it in its own task, the
    others wait for that."""

    __slots__ = ("future", "work")

    def __init__(self, work: Awaitable[ExecutionResult]) -> None:
        self.work: Awaitable[ExecutionResult] | None = work
        self.future: asyncio.Future[ExecutionResult] = asyncio.get_running_loop().create_future()

    def __await__(self) -> Any:
        return self._result().__await__()

    async def _result(self) -> ExecutionResult:
        if self.work is not None:
            work, self.work = self.work, None
            done = await _settle(self.future, work)
            _remember(done)
            return done
        if self.future.done():
            return self.future.result()
        return await asyncio.shield(self.future)


# The `next` payload text of shared results, by the identity of their data (kept alive here,
# so an id is not reused while it is a key).
_texts: "OrderedDict[int, tuple[object, str | None]]" = OrderedDict()


def _remember(result: ExecutionResult) -> None:
    if result.data is None or result.errors:
        return
    _texts[id(result.data)] = (result.data, None)
    while len(_texts) > _TEXTS_KEPT:
        _texts.popitem(last=False)


def shared_text(payload: dict[str, Any]) -> str | None:
    """The JSON of a `next` payload made from a shared result, encoded once; None for any
    other payload."""
    data = payload.get("data")
    kept = _texts.get(id(data))
    if kept is None or kept[0] is not data or len(payload) != 1:
        return None
    if kept[1] is None:
        kept = (data, orjson.dumps(payload).decode())
        _texts[id(data)] = kept
    return kept[1]
