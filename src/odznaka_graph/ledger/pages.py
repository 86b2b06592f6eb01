"""Newest-first pages of SQL rows by a (time, id) key, for lists read from the ledger."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa


def newest_first(
    query: sa.Select[Any],
    at: sa.ColumnElement[Any],
    row_id: sa.ColumnElement[Any],
    before: tuple[datetime, str] | None,
    size: int,
) -> sa.Select[Any]:
    """`query` cut to `size` rows older than the `before` key, newest first."""
    if before is not None:
        when, key = before
        query = query.where(sa.or_(at < when, sa.and_(at == when, row_id < key)))
    return query.order_by(at.desc(), row_id.desc()).limit(size)
