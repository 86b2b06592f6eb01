"""Keyset pagination for Relay connections: stable cursors, both directions."""

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, LiteralString, TypeVar

import orjson

T = TypeVar("T")


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Window:
    """A validated request for one page: `size` rows after or before a cursor."""

    size: int
    forward: bool = True
    cursor: str | None = None


@dataclass(frozen=True)
class Sort:
    """A whitelisted sort: a Cypher expression over `var`, ascending or not. A `unique`
    expression orders rows on its own (no id tie-break), which lets Neo4j read the rows in
    index order and stop after one page."""

    expression: LiteralString
    ascending: bool
    unique: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]  # (cursor, item)
    has_next: bool
    has_previous: bool
    total: int


def encode_cursor(key: Any, item_id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([key, item_id])).decode()


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        key, item_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, orjson.JSONDecodeError, ValueError, TypeError) as error:
        raise BadCursor("That cursor is not one this list gave out.") from error
    if not isinstance(item_id, str):
        raise BadCursor("That cursor is not one this list gave out.")
    return key, item_id


def keyset(
    sort: Sort, window: Window, var: LiteralString
) -> tuple[LiteralString, LiteralString, dict[str, Any]]:
    """WHERE condition, ORDER BY clause and parameters for one page."""
    ascending = sort.ascending == window.forward
    direction = "ASC" if ascending else "DESC"
    op = ">" if ascending else "<"
    if sort.unique:
        order = f"{sort.expression} {direction}"
        if window.cursor is None:
            return f"{sort.expression} IS NOT NULL", order, {}
        key, _ = decode_cursor(window.cursor)
        return f"{sort.expression} {op} $cursorKey", order, {"cursorKey": key}
    order = f"{sort.expression} {direction}, {var}.id {direction}"
    if window.cursor is None:
        return "true", order, {}
    key, item_id = decode_cursor(window.cursor)
    condition = (
        f"({sort.expression} {op} $cursorKey OR "
        f"({sort.expression} = $cursorKey AND {var}.id {op} $cursorId))"
    )
    return condition, order, {"cursorKey": key, "cursorId": item_id}


def make_page(rows: list[tuple[Any, str, T]], window: Window, total: int) -> Page[T]:
    """Rows are (sort key, id, item) in query order, one more than the window asked for."""
    more = len(rows) > window.size
    rows = rows[: window.size]
    if not window.forward:
        rows.reverse()
    items = [(encode_cursor(key, item_id), item) for key, item_id, item in rows]
    has_cursor = window.cursor is not None
    if window.forward:
        return Page(items, has_next=more, has_previous=has_cursor, total=total)
    return Page(items, has_next=has_cursor, has_previous=more, total=total)


def list_page(items: list[T], window: Window, id_of: Any) -> Page[T]:
    """A page of a list already in memory and in order (a leaderboard), by position."""
    position = -1 if window.forward else len(items)
    if window.cursor is not None:
        key, _ = decode_cursor(window.cursor)
        if not isinstance(key, int):
            raise BadCursor("That cursor is not one this list gave out.")
        position = key
    if window.forward:
        start = position + 1
        chosen = range(start, min(start + window.size, len(items)))
        more, earlier = start + window.size < len(items), window.cursor is not None
    else:
        end = max(min(position, len(items)), 0)
        chosen = range(max(end - window.size, 0), end)
        more, earlier = window.cursor is not None, end - window.size > 0
    page = [(encode_cursor(i, id_of(items[i])), items[i]) for i in chosen]
    return Page(page, has_next=more, has_previous=earlier, total=len(items))
