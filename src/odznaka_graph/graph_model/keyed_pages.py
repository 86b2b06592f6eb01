"""One page of a list for each of several owners (a page of members for each club on a
page of clubs), in one query: what a loader needs so that nested lists cost one round trip.

The query takes `$keys`, each `{id, size, after, limit, cursorKey, cursorId}`, and returns
per key `id, size, after, rows, total`, with `rows` as `[sort key, item id, item]` lists,
at most `limit` of them (one more than the page, to tell whether another page follows).
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.paging import Page, Window, decode_cursor, make_page

T = TypeVar("T")
PageKey = tuple[str, int, str | None]  # (owner id, page size, after cursor)


def _param(key: PageKey) -> dict[str, Any]:
    owner_id, size, after = key
    cursor_key, cursor_id = decode_cursor(after) if after else (None, None)
    return {
        "id": owner_id,
        "size": size,
        "after": after,
        "limit": size + 1,
        "cursorKey": cursor_key,
        "cursorId": cursor_id,
    }


async def keyed_pages(
    graph: Graph,
    query: str,
    keys: Sequence[PageKey],
    convert: Callable[[dict[str, Any]], T],
    **params: Any,
) -> dict[PageKey, Page[T]]:
    rows = await graph.read(query, keys=[_param(key) for key in keys], **params)
    found: dict[PageKey, Page[T]] = {}
    for row in rows:
        key = (row["id"], row["size"], row["after"])
        items = [(k, i, convert(p)) for k, i, p in row["rows"]]
        found[key] = make_page(items, Window(size=row["size"], cursor=row["after"]), row["total"])
    return found
