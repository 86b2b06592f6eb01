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
    badge_id: strawberry.ID
    recipients: list[str] = strawberry.field(
        description="Handles (with or without @) or e-mail addresses; at most 1000. Unknown "
        "addresses get a pending award that its owner claims by verifying the address."
    )
    evidence: list[EvidenceInput] | None = None
    idempotency_key: str = strawberry.field(
        description="Required: a retry with the same key awards nobody twice."
    )


@strawberry.type(description="The result for one recipient row, in input order.")
class BulkAwardRow:
    recipient: str
    outcome: BulkAwardOutcome
    award: Award | None


@strawberry.type(description="Per-row results and their totals.")
class BulkAwardReport:
    rows: list[BulkAwardRow]
    awarded: int
    pending_claims: int
    already_held: int
    refused: int


BulkAwardResult: TypeAlias = Annotated[
    BulkAwardReport | Failure,
    strawberry.union("BulkAwardResult", description="Per-row results, or why not."),
]
