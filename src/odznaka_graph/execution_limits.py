"""Limits every operation meets at execution, whatever the transport (HTTP or WebSocket):
the operation timeout and the length of input lists.

Both paths strawberry offers, `Schema.execute` (HTTP) and `Schema.stream` (graphql-transport-ws
and its queries, mutations and subscriptions), run the `on_execute` hook of a schema extension,
so `ExecutionLimits` is the one place that applies them.

- Timeout: a query or mutation is stopped after OPERATION_TIMEOUT_SECONDS with a TIMEOUT error.
  A subscription gets the same time for its set-up: creating the stream, then the source's
  first step up to the moment it waits for events (`now_waiting`, called by the event
  listener); its long life afterwards is not an operation.
- Input lists: every list given to an argument, literally or in variables, at any depth of
  an input object, holds at most MAX_LIST_INPUT items (a few fields allow more, see
  LONGER_LISTS), checked on the raw values before graphql-core coerces them.
"""

from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_nullable_type,
    type_from_ast,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from odznaka_graph.deadlines import deadline
from odznaka_graph.schema.arguments import ClientError
from odznaka_graph.services.bulk_awards import MAX_ROWS
from odznaka_graph.services.events import MAX_CONFIRMATIONS

Path = list[str | int]

# Lists that may be longer than MAX_LIST_INPUT, by schema coordinate: a class or a whole
# school is awarded or confirmed in one call. Their services refuse more than their own
# bound (1,000 rows, 500 people) with a ValidationError naming the field; this bound, twice
# theirs, only keeps larger input from being coerced at all.
LONGER_LISTS = {
    "BulkAwardBadgeInput.recipients": 2 * MAX_ROWS,
    "ConfirmAttendanceInput.userIds": 2 * MAX_CONFIRMATIONS,
}


class InputListTooLong(ClientError):
    def __init__(self, path: Path, count: int, limit: int) -> None:
        where = ".".join(str(step) for step in path)
        super().__init__(
            f"`{where}` has {count} items; at most {limit} are allowed.", "INPUT_LIST_TOO_LONG"
        )
        assert self.extensions is not None
        self.extensions |= {"path": path, "count": count, "limit": limit}


@asynccontextmanager
async def limited(seconds: float) -> AsyncIterator[None]:
    """Run within the operation deadline; its expiry is a TIMEOUT error for the client (also
    when something inside swallowed the cancellation, as asyncio.wait_for can in 3.11)."""
    timeout = None
    try:
        async with deadline(seconds) as timeout:
            yield
    except Exception:
        if timeout is not None and timeout.expired():
            raise _timed_out(seconds) from None
        raise
    if timeout is not None and timeout.expired():
        raise _timed_out(seconds)


def _timed_out(seconds: float) -> ClientError:
    return ClientError(f"The operation took longer than {seconds:g} s and was stopped.", "TIMEOUT")


class ExecutionLimits(SchemaExtension):
    def __init__(self, *, timeout: float, max_list_input: int) -> None:
        self.timeout = timeout
        self.max_list_input = max_list_input

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            schema = context.schema._schema  # the graphql-core schema strawberry built
            document, variables = context.graphql_document, context.variables or {}
            check_input_lists(schema, context.query or "", document, variables, self.max_list_input)
        async with limited(self.timeout):
            yield


def subscription_executor(seconds: float) -> type[StrawberryGraphQLCoreExecutionContext]:
    """strawberry's executor, giving each subscription's source `seconds` to set itself up."""

    class SubscriptionSetUpExecutor(StrawberryGraphQLCoreExecutionContext):
        def cancellable_iterable(self, iterable: Any) -> Any:
            return super().cancellable_iterable(_SetUpWithin(iterable, seconds))

    return SubscriptionSetUpExecutor


class _SetUpWithin:
    """A subscription's source whose first step (its set-up, until it waits for events)
    runs under the operation deadline; the rest runs as long as the subscription lives."""

    def __init__(self, source: Any, seconds: float) -> None:
        self._source = source.__aiter__()
        self._seconds = seconds
        self._first = True

    def __aiter__(self) -> "_SetUpWithin":
        return self

    def __anext__(self) -> Awaitable[Any]:
        if not self._first:
            return self._source.__anext__()  # type: ignore[no-any-return]  # no coroutine per event
        self._first = False
        return self._set_up()

    async def _set_up(self) -> Any:
        async with limited(self._seconds):
            return await self._source.__anext__()

    async def aclose(self) -> None:
        aclose = getattr(self._source, "aclose", None)
        if aclose is not None:
            await aclose()


def check_input_lists(
    schema: GraphQLSchema,
    query: str,
    document: DocumentNode,
    variables: dict[str, Any],
    limit: int,
) -> None:
    """Refuse (InputListTooLong) any list in the arguments, literal or from a variable,
    longer than `limit` (or its field's LONGER_LISTS bound). Where the arguments are is
    worked out once per document text; the values are walked for each request."""
    bounds = _ListBounds(variables, limit)
    for node, type_, path, key in _sites(schema, query, document):
        bounds._literal(node, type_, path, key)


Site = tuple[ValueNode, GraphQLInputType, Path, str]
_SITES: dict[tuple[int, str], list[Site]] = {}
_SITES_KEPT = 512


def _sites(schema: GraphQLSchema, query: str, document: DocumentNode) -> list[Site]:
    """The argument values (and variable defaults) of a document, with their input types."""
    key = (id(schema), query)
    found = _SITES.get(key) if query else None
    if found is None:
        type_info = TypeInfo(schema)
        collector = _Sites(schema, type_info)
        visit(document, TypeInfoVisitor(type_info, collector))
        found = collector.sites
        if query:
            _SITES[key] = found
            if len(_SITES) > _SITES_KEPT:
                del _SITES[next(iter(_SITES))]  # the oldest
    return found


class _Sites(Visitor):
    def __init__(self, schema: GraphQLSchema, type_info: TypeInfo) -> None:
        super().__init__()
        self.schema = schema
        self.type_info = type_info
        self.fields: list[str] = []
        self.sites: list[Site] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.fields.append(node.name.value)

    def leave_field(self, node: FieldNode, *_: Any) -> None:
        self.fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is None:
            return
        name = node.name.value
        directive = self.type_info.get_directive()
        if directive is not None:
            step = owner = f"@{directive.name}"
        else:
            step = self.fields[-1]
            owner = f"{getattr(self.type_info.get_parent_type(), 'name', '')}.{step}"
        self.sites.append((node.value, argument.type, [step, name], f"{owner}({name}:)"))

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
        type_ = type_from_ast(self.schema, node.type)
        if node.default_value is not None and type_ is not None:
            name = f"${node.variable.name.value}"
            self.sites.append((node.default_value, type_, [name], name))  # type: ignore[arg-type]


class _ListBounds:
    def __init__(self, variables: dict[str, Any], limit: int) -> None:
        self.variables = variables
        self.limit = limit

    def _literal(self, node: ValueNode, type_: GraphQLInputType, path: Path, key: str) -> None:
        type_ = get_nullable_type(type_)  # type: ignore[assignment]
        if isinstance(node, VariableNode):
            self._raw(self.variables.get(node.name.value), type_, path, key)
        elif isinstance(type_, GraphQLList):
            items = node.values if isinstance(node, ListValueNode) else (node,)
            self._bound(len(items), path, key)
            for index, item in enumerate(items):
                self._literal(item, type_.of_type, [*path, index], key)
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(node, ObjectValueNode):
            for field in node.fields:
                for subtype, subkey in _input_field(type_, field.name.value):
                    self._literal(field.value, subtype, [*path, field.name.value], subkey)

    def _raw(self, value: Any, type_: GraphQLInputType, path: Path, key: str) -> None:
        type_ = get_nullable_type(type_)  # type: ignore[assignment]
        if value is None:
            return
        if isinstance(type_, GraphQLList):
            items = value if isinstance(value, list) else (value,)
            self._bound(len(items), path, key)
            for index, item in enumerate(items):
                self._raw(item, type_.of_type, [*path, index], key)
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
            for name, item in value.items():
                for subtype, subkey in _input_field(type_, name):
                    self._raw(item, subtype, [*path, name], subkey)

    def _bound(self, count: int, path: Path, key: str) -> None:
        limit = max(self.limit, LONGER_LISTS.get(key, 0))
        if count > limit:
            raise InputListTooLong(path, count, limit)


def _input_field(
    type_: GraphQLInputObjectType, name: str
) -> Iterator[tuple[GraphQLInputType, str]]:
    field = type_.fields.get(name)
    if field is not None:
        yield field.type, f"{type_.name}.{name}"
