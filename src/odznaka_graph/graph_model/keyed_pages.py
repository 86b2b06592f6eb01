"""The graph's keyset page reader: every paged list read from Neo4j goes through here.

`read_page` reads one page of one list, and its total, in one round trip. Its query
template has `{after}` (the keyset condition), `{order}` (the ORDER BY clause) and `{key}`
(the sort expression) placeholders, plus any fixed `parts`, takes `$limit` (one more than
the page, to tell whether another page follows) and returns one row with `total` and
`rows` as `[sort key, item id, item]` lists. A part may also be a function of the keyset
condition, for a query that puts the condition into a WHERE clause of its own making.

`keyed_pages` reads one page of a list for each of several owners (a page of members for
each club on a page of clubs), in one query: what a loader needs so that nested lists cost
one round trip. The query takes `$keys`, each `{id, size, after, forward, limit, cursorKey,
cursorId}`, and returns per key `id, size, after, forward, rows, total`, with `rows` as
above: forward, the first `limit` rows past the cursor in the list's order; backward, the
`limit` rows before it, nearest first.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, LiteralString, TypeVar

from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.paging import Page, Sort, Window, decode_cursor, keyset, make_page

T = TypeVar("T")
PageKey = tuple[str, int, str | None, bool]  # (owner id, page size, cursor, forward)
Convert = Callable[[dict[str, Any]], T]
Part = LiteralString | Callable[[LiteralString], LiteralString]


async def read_page(
    graph: Graph,
    template: LiteralString,
    sort: Sort,
    var: LiteralString,
    window: Window,
    convert: Convert[T],
    parts: Mapping[str, Part] | None = None,
    **params: Any,
) -> Page[T]:
    """One page of `template`'s rows ordered by `sort` over the variable `var`."""
    after, order, cursor_params = keyset(sort, window, var)
    fixed: dict[str, LiteralString] = {
        name: part(after) if callable(part) else part for name, part in (parts or {}).items()
    }
    query = template.format(after=after, order=order, key=sort.expression, **fixed)
    rows = await graph.read(query, limit=window.size + 1, **params, **cursor_params)
    if not rows:  # the list's owner is not there
        return make_page([], window, 0)
    return make_page(_items(rows[0]["rows"], convert), window, rows[0]["total"])


async def keyed_pages(
    graph: Graph,
    query: LiteralString,
    keys: Sequence[PageKey],
    convert: Convert[T],
    **params: Any,
) -> dict[PageKey, Page[T]]:
    rows = await graph.read(query, keys=[_param(key) for key in keys], **params)
    found: dict[PageKey, Page[T]] = {}
    for row in rows:
        key = (row["id"], row["size"], row["after"], row["forward"])
        window = Window(size=row["size"], forward=row["forward"], cursor=row["after"])
        found[key] = make_page(_items(row["rows"], convert), window, row["total"])
    return found


def _items(rows: list[list[Any]], convert: Convert[T]) -> list[tuple[Any, str, T]]:
    return [(key, item_id, convert(props)) for key, item_id, props in rows]


def _param(key: PageKey) -> dict[str, Any]:
    owner_id, size, after, forward = key
    cursor_key, cursor_id = decode_cursor(after) if after else (None, None)
    return {
        "id": owner_id,
        "size": size,
        "after": after,
        "forward": forward,
        "limit": size + 1,
        "cursorKey": cursor_key,
        "cursorId": cursor_id,
    }
