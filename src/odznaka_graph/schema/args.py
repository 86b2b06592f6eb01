"""Arguments many fields share, described once: paging, the answer's language (`Lang`,
kept in schema/common next to Language), a mutation's input. Use them as the argument's
type (`first: First = None`)."""

from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.schema.common import Lang

__all__ = [
    "INPUT",
    "After",
    "Before",
    "ChallengeId",
    "First",
    "Id",
    "Lang",
    "Last",
    "TeamId",
    "described",
]


First: TypeAlias = Annotated[
    int | None,
    strawberry.argument(
        description="Page forward: at most this many items (0 to 100, MAX_PAGE_SIZE; "
        "20 when neither `first` nor `last` is given)."
    ),
]
After: TypeAlias = Annotated[
    str | None,
    strawberry.argument(description="Page forward from this cursor (pageInfo.endCursor)."),
]
Last: TypeAlias = Annotated[
    int | None,
    strawberry.argument(description="Page backward: at most this many items (0 to 100)."),
]
Before: TypeAlias = Annotated[
    str | None,
    strawberry.argument(description="Page backward from this cursor (pageInfo.startCursor)."),
]
INPUT = strawberry.argument(
    description="What to do. Every field's problems are answered together in a ValidationError."
)
Id: TypeAlias = Annotated[
    strawberry.ID, strawberry.argument(description="The object's global id (its `id` field).")
]
TeamId: TypeAlias = Annotated[
    strawberry.ID, strawberry.argument(description="The team or class (its global id).")
]
ChallengeId: TypeAlias = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="A challenge of that team: its progress board instead."),
]


def described(text: str) -> object:
    """An argument's description, for `Annotated[type, described("...")]`."""
    return strawberry.argument(description=text)
