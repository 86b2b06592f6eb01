"""Typed forms of strawberry's resolver decorators.

`@strawberry.field(description=...)` is typed as returning `Any`, which would leave every
resolver it wraps unchecked. These return the function's own type, so mypy checks each
resolver's signature, body and callers; at run time they are strawberry's decorators.
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def field(*, description: str | None = None, name: str | None = None) -> Callable[[F], F]:
    """A field resolved by the decorated method."""
    return cast(Callable[[F], F], strawberry.field(description=description, name=name))


def mutation(*, description: str | None = None) -> Callable[[F], F]:
    """A root mutation field resolved by the decorated method."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))


def subscription(*, description: str | None = None) -> Callable[[F], F]:
    """A root subscription field resolved by the decorated async generator."""
    return cast(Callable[[F], F], strawberry.subscription(description=description))
