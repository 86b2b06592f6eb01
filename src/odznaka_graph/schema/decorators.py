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


E = TypeVar("E", bound=type)


def describe_values(**descriptions: str) -> Callable[[E], E]:
    """Describes the values of a strawberry enum (above `@strawberry.enum`, or applied to a
    registered enum); the Python values stay plain, so `.value` keeps its type. A value left
    undescribed, or a description of no value, fails at import."""

    def describe(enum: E) -> E:
        values = enum.__strawberry_definition__.values  # type: ignore[attr-defined]
        bare = {value.name for value in values if not value.description}
        wrong = bare ^ set(descriptions)
        if wrong:
            raise TypeError(f"{enum.__name__}: describe its undescribed values, not {wrong}")
        for value in values:
            value.description = descriptions.get(value.name, value.description)
        return enum

    return describe
