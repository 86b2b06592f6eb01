"""Connections in a plan: `first`/`after` bound per request, and the page shaped from
the query's `{total, rows: [[sort key, id, node map], ...]}` (one more row than the page,
to tell whether another follows) exactly as `paging.make_page` and `to_connection` do."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLObjectType

from odznaka_graph.paging import Window, decode_cursor, encode_cursor
from odznaka_graph.planner.plan import Binding, Builder, Object, Run
from odznaka_graph.planner.selection import Asked, Unplannable, fields_of


class PageArguments:
    """`first`/`after` of one connection field; `last`, `before` and the names in
    `unplanned` are left to the general executor (Unplannable when given)."""

    def __init__(self, b: Builder, asked: Asked, unplanned: tuple[str, ...] = ()) -> None:
        self.first = asked.argument("first")
        self.after = asked.argument("after")
        self.refused = [asked.argument(name) for name in ("last", "before", *unplanned)]
        self.limit = b.param("limit")
        self.cursor_key = b.param("cursorKey")
        self.cursor_id = b.param("cursorId")
        b.bind(self.bind)

    def window(self, binding: Binding) -> Window:
        variables = binding.variables
        if any(value.of(variables) is not None for value in self.refused):
            raise Unplannable("a backward page or a filter")
        size = self.first.of(variables)
        if size is None:
            size = min(20, binding.max_page_size)
        if not 0 <= size <= binding.max_page_size:
            raise Unplannable("a page size out of range: the executor says why")
        return Window(size=size, forward=True, cursor=self.after.of(variables))

    def bind(self, binding: Binding) -> dict[str, Any]:
        window = self.window(binding)
        key, item_id = decode_cursor(window.cursor) if window.cursor else (None, None)
        return {self.limit: window.size + 1, self.cursor_key: key, self.cursor_id: item_id}

    def after_condition(self, sort_key: str, id_expression: str) -> str:
        """Rows after the cursor, largest key first (ties: larger id first)."""
        ck, cid = f"${self.cursor_key}", f"${self.cursor_id}"
        return (
            f"({ck} IS NULL OR {sort_key} < {ck} OR "
            f"({sort_key} = {ck} AND {id_expression} < {cid}))"
        )


def asks_total(b: Builder, connection_type: GraphQLObjectType, asked: Asked) -> bool:
    """Whether the selection asks for `totalCount` (a query may then skip counting)."""
    parts = fields_of(connection_type, asked.selections, b.fragments)
    return any(part.name == "totalCount" for part in parts)


@dataclass(frozen=True)
class _Page:
    rows: list[list[Any]]  # [sort key, id, node map], the page only
    total: int
    more: bool
    earlier: bool

    def cursors(self) -> list[str]:
        return [encode_cursor(key, item_id) for key, item_id, _ in self.rows]


PartShaper = Callable[[_Page, Run], Any]
ConnectionShaper = Callable[[Mapping[str, Any] | None, Run], dict[str, Any]]


def connection(
    b: Builder,
    connection_type: GraphQLObjectType,
    asked: Asked,
    pages: PageArguments,
    node: Callable[[tuple[Any, ...]], Object],
) -> tuple[Object, ConnectionShaper]:
    """The node object (`node` makes it from the edges' node selections) and the shaper
    of the whole connection (given None: the empty page of a hidden list)."""
    edge_type = b.field_type(connection_type.name, "edges")
    parts = fields_of(connection_type, asked.selections, b.fragments)
    edges = {
        part.key: fields_of(edge_type, part.selections, b.fragments)
        for part in parts
        if part.name == "edges"
    }
    node_selections = tuple(
        selection
        for edge_fields in edges.values()
        for edge_field in edge_fields
        if edge_field.name == "node"
        for selection in edge_field.selections
    )
    node_object = node(node_selections)
    shapers = [
        (part.key, _part(b, part, connection_type, edge_type, edges, node_object)) for part in parts
    ]

    def shape(found: Mapping[str, Any] | None, run: Run) -> dict[str, Any]:
        window = pages.window(run.binding)
        if found is None:
            page = _Page([], 0, False, False)
        else:
            rows = list(found["rows"])
            page = _Page(
                rows[: window.size],
                int(found["total"]),
                len(rows) > window.size,
                window.cursor is not None,
            )
        return {key: part(page, run) for key, part in shapers}

    return node_object, shape


def _part(
    b: Builder,
    part: Asked,
    connection_type: GraphQLObjectType,
    edge_type: GraphQLObjectType,
    edges: dict[str, list[Asked]],
    node_object: Object,
) -> PartShaper:
    if part.name == "__typename":
        name = connection_type.name
        return lambda page, run: name
    if part.name == "totalCount":
        return lambda page, run: page.total
    if part.name == "pageInfo":
        return _page_info(b, part)
    if part.name == "edges":
        return _edges(edge_type, edges[part.key], node_object)
    raise Unplannable(f"{connection_type.name}.{part.name}")


def _page_info(b: Builder, part: Asked) -> PartShaper:
    info_type = b.schema.get_type("PageInfo")
    assert isinstance(info_type, GraphQLObjectType)
    values: dict[str, Callable[[_Page], Any]] = {
        "hasNextPage": lambda page: page.more,
        "hasPreviousPage": lambda page: page.earlier,
        "startCursor": lambda page: page.cursors()[0] if page.rows else None,
        "endCursor": lambda page: page.cursors()[-1] if page.rows else None,
        "__typename": lambda page: "PageInfo",
    }
    chosen = [(f.key, values[f.name]) for f in fields_of(info_type, part.selections, b.fragments)]
    return lambda page, run: {key: value(page) for key, value in chosen}


def _edges(edge_type: GraphQLObjectType, fields: list[Asked], node_object: Object) -> PartShaper:
    for edge_field in fields:
        if edge_field.name not in ("cursor", "node", "__typename"):
            raise Unplannable(f"{edge_type.name}.{edge_field.name}")
    name = edge_type.name
    node_shape = node_object.shape

    def shape(page: _Page, run: Run) -> list[dict[str, Any]]:
        out = []
        for key, item_id, found in page.rows:
            edge: dict[str, Any] = {}
            for edge_field in fields:
                if edge_field.name == "node":
                    edge[edge_field.key] = node_shape(found, run)
                elif edge_field.name == "cursor":
                    edge[edge_field.key] = encode_cursor(key, item_id)
                else:
                    edge[edge_field.key] = name
            out.append(edge)
        return out

    return shape
