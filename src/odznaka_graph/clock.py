"""The one clock the platform reads: timezone-aware UTC. `shifted` moves it for the code
running inside it (a context variable): to load the demo as of another day, or to see
what a later day shows; Neo4j's own clock is not moved."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

_shift: ContextVar[timedelta] = ContextVar("clock_shift", default=timedelta(0))


def now() -> datetime:
    return datetime.now(UTC) + _shift.get()


@contextmanager
def shifted(by: timedelta) -> Iterator[None]:
    token = _shift.set(by)
    try:
        yield
    finally:
        _shift.reset(token)
