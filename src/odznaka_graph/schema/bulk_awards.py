"""Awarding one badge to many recipients at once."""

from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.schema.awards import Award, EvidenceInput
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values


@describe_values(
    AWARDED="Awarded to the account.",
    PENDING_CLAIM="Awarded to an address nobody has verified yet.",
    ALREADY_HELD="They hold it already; nothing changed.",
    INVALID_ADDRESS="Not an e-mail address.",
    UNKNOWN_HANDLE="No one has this handle.",
    SELF_AWARD="You cannot award yourself.",
    DUPLICATE_ROW="Repeats an earlier row.",
)
@strawberry.enum(description="What happened to one row of a bulk award.")
class BulkAwardOutcome(Enum):
    AWARDED = "AWARDED"
    PENDING_CLAIM = "PENDING_CLAIM"
    ALREADY_HELD = "ALREADY_HELD"
    INVALID_ADDRESS = "INVALID_ADDRESS"
    UNKNOWN_HANDLE = "UNKNOWN_HANDLE"
    SELF_AWARD = "SELF_AWARD"
    DUPLICATE_ROW = "DUPLICATE_ROW"


@strawberry.input(description="One badge to many people, by handle or e-mail address.")
class BulkAwardBadgeInput:
    badge_id: strawberry.ID = strawberry.field(description="The badge to award.")
    recipients: list[str] = strawberry.field(
        description="Handles (with or without @) or e-mail addresses; at most 1000. Unknown "
        "addresses get a pending award that its owner claims by verifying the address."
    )
    evidence: list[EvidenceInput] | None = strawberry.field(
        default=None, description="What the learners showed, kept with each award."
    )
    idempotency_key: str = strawberry.field(
        description="Required: a retry with the same key awards nobody twice."
    )


@strawberry.type(description="The result for one recipient row, in input order.")
class BulkAwardRow:
    recipient: str = strawberry.field(description="The handle or address as given.")
    outcome: BulkAwardOutcome = strawberry.field(description="What happened to this row.")
    award: Award | None = strawberry.field(description="The award made or held; null when refused.")


@strawberry.type(description="Per-row results and their totals.")
class BulkAwardReport:
    rows: list[BulkAwardRow] = strawberry.field(
        description="One outcome per row, in the order given."
    )
    awarded: int = strawberry.field(description="Rows awarded to an account.")
    pending_claims: int = strawberry.field(description="Rows awarded to an unverified address.")
    already_held: int = strawberry.field(description="Rows whose person holds the badge already.")
    refused: int = strawberry.field(
        description="Rows not awarded (bad address, unknown handle, self, duplicate)."
    )


BulkAwardResult: TypeAlias = Annotated[
    BulkAwardReport | Failure,
    strawberry.union("BulkAwardResult", description="Per-row results, or why not."),
]
