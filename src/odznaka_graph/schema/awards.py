"""Awards: issued credentials."""

from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import NODE_ID, Connection, Failure, Node, to_connection
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services import award_reads, badge_reads

if TYPE_CHECKING:
    from odznaka_graph.schema.profiles import Endorsement

EndorsementRef = Annotated["Endorsement", strawberry.lazy("odznaka_graph.schema.profiles")]


@describe_values(
    VALID="Counts now: not expired, not revoked.",
    EXPIRED="Its validity period has ended.",
    REVOKED="Withdrawn by the issuer (see revokeReason).",
    PENDING_CLAIM=(
        "Awarded to an e-mail address nobody has verified yet; it lands in the profile of "
        "whoever verifies it."
    ),
)
@strawberry.enum(description="Whether a credential counts now.")
class AwardStatus(Enum):
    VALID = "VALID"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    PENDING_CLAIM = "PENDING_CLAIM"


@strawberry.type(description="Evidence that the criteria were met.")
class Evidence:
    url: str | None = strawberry.field(description="Where the work can be seen.")
    narrative: str | None = strawberry.field(description="What the learner did, in words.")


@strawberry.type(description="One issued credential (an Open Badges assertion).")
class Award(Node):
    record: strawberry.Private[AwardRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Award", self.record.id))

    @field(description="When it was awarded.")
    def issued_at(self) -> datetime:
        return self.record.issued_at

    @field(description="When it stops counting; null: never.")
    def expires_at(self) -> datetime | None:
        return self.record.expires_at

    @field(description="When it was revoked; null unless revoked.")
    def revoked_at(self) -> datetime | None:
        return self.record.revoked_at

    @field(description="Why the issuer revoked it; null unless revoked.")
    def revoke_reason(self) -> str | None:
        return self.record.revoke_reason

    @field(description="Derived from revocation, expiry and whether it was claimed.")
    def status(self) -> AwardStatus:
        r = self.record
        if r.revoked_at is not None:
            return AwardStatus.REVOKED
        if r.expires_at is not None and r.expires_at <= datetime.now(UTC):
            return AwardStatus.EXPIRED
        if r.recipient_id is None:
            return AwardStatus.PENDING_CLAIM
        return AwardStatus.VALID

    @field(description="What the learner showed to earn it.")
    def evidence(self) -> list[Evidence]:
        return [
            Evidence(url=item["url"] or None, narrative=item["narrative"] or None)
            for item in self.record.evidence
        ]

    @field(description="The badge; null if you may not see it (a members-only club's).")
    async def badge(self, info: Info) -> Badge | None:
        record = await badge_reads.badge(info.context.loaders, self.record.badge_id)
        return Badge(record=record) if record else None

    @field(description="The holder; null when unclaimed or not there for you.")
    async def recipient(self, info: Info) -> User | None:
        if self.record.recipient_id is None:
            return None
        record = await info.context.loaders.visibility.person(self.record.recipient_id)
        return User(record=record) if record else None

    @field(description="Who awarded it; null when not there for you.")
    async def awarded_by(self, info: Info) -> User | None:
        record = await info.context.loaders.visibility.person(self.record.awarded_by_id)
        return User(record=record) if record else None

    @field(description="How many people endorse this credential.")
    async def endorsement_count(self, info: Info) -> int:
        return await award_reads.endorsement_count(info.context.loaders, self.record.id)

    @field(description="Endorsements by other users, newest first.")
    async def endorsements(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[EndorsementRef]:
        from odznaka_graph.schema.profiles import Endorsement  # profiles show awards: a cycle

        asked = window(info, first, after, last, before)
        page = await award_reads.endorsements(info.context.loaders, self.record.id, asked)
        connection: Connection[EndorsementRef] = to_connection(
            page, lambda record: Endorsement(record=record)
        )
        return connection


@strawberry.input(description="A link or a narrative (or both) showing the criteria were met.")
class EvidenceInput:
    url: str | None = strawberry.field(default=None, description="Where the work can be seen.")
    narrative: str | None = strawberry.field(
        default=None, description="What the learner did, in words."
    )


@strawberry.input(description="Awarding a published badge to one person.")
class AwardBadgeInput:
    badge_id: strawberry.ID = strawberry.field(description="The badge to award.")
    recipient_id: strawberry.ID | None = strawberry.field(
        default=None, description="The recipient's user id; or give recipientEmail."
    )
    recipient_email: str | None = strawberry.field(
        default=None, description="Any address of the recipient; unknown ones wait for a claim."
    )
    evidence: list[EvidenceInput] | None = strawberry.field(
        default=None, description="What the learner showed, kept with the award."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Retrying with the same key returns the same award."
    )


@strawberry.input(description="Withdrawing an award.")
class RevokeAwardInput:
    award_id: strawberry.ID = strawberry.field(description="The award to revoke.")
    reason: str = strawberry.field(description="Why, shown to the holder and verifiers.")


AwardResult: TypeAlias = Annotated[
    Award | Failure, strawberry.union("AwardResult", description="The award, or why not.")
]
