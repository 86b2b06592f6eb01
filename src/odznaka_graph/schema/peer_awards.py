"""Peer awards: nominations, vouches, and the inputs that create peer badges and awards."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias, cast

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.peer_awards import NominationRecord, VouchRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import NODE_ID, Connection, Failure, Node, TextInput, to_connection
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.person import PersonFacts, PersonRow, visible_user
from odznaka_graph.services import club_reads, peer_award_reads

if TYPE_CHECKING:
    from odznaka_graph.schema.awards import Award
    from odznaka_graph.schema.badges import Badge
    from odznaka_graph.schema.clubs import Club

# Lazy: badges name their club, and clubs list their nominations (module cycles).
AwardRef = Annotated["Award", strawberry.lazy("odznaka_graph.schema.awards")]
BadgeRef = Annotated["Badge", strawberry.lazy("odznaka_graph.schema.badges")]
ClubRef = Annotated["Club", strawberry.lazy("odznaka_graph.schema.clubs")]


@describe_values(
    OPEN="Collecting vouches.",
    AWARDED="Reached the club's threshold; the badge was awarded.",
    REVOKED="The award was revoked.",
)
@strawberry.enum(description="OPEN (collecting vouches), AWARDED, or REVOKED (the award was).")
class NominationStatus(Enum):
    OPEN = "OPEN"
    AWARDED = "AWARDED"
    REVOKED = "REVOKED"


@strawberry.type(description="A member's vouch for a nomination.")
class Vouch(
    PersonRow, names=False, profile="Who vouched; null when their profile is hidden from you."
):
    record: strawberry.Private[VouchRecord]

    def person(self) -> PersonFacts:
        return cast(PersonFacts, self.record)

    @field(description="When they vouched.")
    def at(self) -> datetime:
        return self.record.at


@strawberry.type(
    description="A club member nominated for a peer badge by another; awarded when enough "
    "members vouch (the nomination is the nominator's own vouch). Club members only."
)
class Nomination(Node):
    record: strawberry.Private[NominationRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Nomination", self.record.id))

    @field(description="OPEN, AWARDED, or REVOKED (the award was revoked).")
    def status(self) -> NominationStatus:
        return NominationStatus(self.record.status)

    @field(description="Why the nominee deserves the badge (the award's evidence).")
    def reason(self) -> str:
        return self.record.reason

    @field(description="When the member was nominated.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="When the threshold was reached and the award issued.")
    def awarded_at(self) -> datetime | None:
        return self.record.awarded_at

    @field(description="Vouches so far, the nominator's included.")
    def vouch_count(self) -> int:
        return self.record.vouch_count

    @field(description="Vouches the club needs for the award.")
    def vouch_threshold(self) -> int:
        return self.record.threshold

    @field(description="Whether you vouched (or nominated).")
    def viewer_vouched(self) -> bool:
        return self.record.viewer_vouched

    @field(description="The peer badge the member is nominated for.")
    async def badge(self, info: Info) -> BadgeRef | None:
        from odznaka_graph.schema.badges import Badge  # see BadgeRef

        record = await info.context.loaders.visibility.badge(self.record.badge_id)
        return Badge(record=record) if record is not None else None

    @field(description="The badge's club.")
    async def club(self, info: Info) -> ClubRef | None:
        from odznaka_graph.schema.clubs import Club  # see ClubRef

        record = await club_reads.club(info.context.loaders, self.record.club_id)
        return Club(record=record) if record is not None else None

    @field(description="Who is nominated; null when their profile is hidden.")
    async def nominee(self, info: Info) -> User | None:
        return await visible_user(info, self.record.nominee_id)

    @field(description="Who nominated; null when their profile is hidden.")
    async def nominator(self, info: Info) -> User | None:
        return await visible_user(info, self.record.nominator_id)

    @field(description="The award, once issued (if you may see it).")
    async def award(self, info: Info) -> AwardRef | None:
        from odznaka_graph.schema.awards import Award  # see AwardRef

        if self.record.award_id is None:
            return None
        record = await info.context.loaders.visibility.award(self.record.award_id)
        return Award(record=record) if record is not None else None

    @field(description="Who vouched, first vouch first.")
    async def vouches(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Vouch]:
        page_window = window(info, first, after, last, before)
        page = await peer_award_reads.vouches(info.context.loaders, self.record, page_window)
        return to_connection(page, lambda item: Vouch(record=item))


@strawberry.input(description="A low-formality peer badge: name, description, image, criteria.")
class CreatePeerBadgeInput:
    club_id: strawberry.ID = strawberry.field(description="The club (you must be a member).")
    name: list[TextInput] = strawberry.field(description="The badge's name, per language.")
    description: list[TextInput] = strawberry.field(
        description="What earning it means, per language."
    )
    image_url: str | None = strawberry.field(
        default=None,
        description="Address of the badge picture elsewhere; give this or imageId. New badges "
        "should upload the picture instead (POST /clubs/{clubId}/badge-images).",
    )
    criteria: list[TextInput] = strawberry.field(
        description="What earns it, in plain words (shown as the badge's howToObtain)."
    )
    image_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A picture uploaded for this club (owners and moderators only; the id "
        "POST /clubs/{clubId}/badge-images answers); give this or imageUrl.",
    )


@strawberry.input(description="A nomination of another club member for a peer badge.")
class NominatePeerAwardInput:
    badge_id: strawberry.ID = strawberry.field(description="A peer badge of your club.")
    nominee_id: strawberry.ID = strawberry.field(description="Another member of the club.")
    reason: str = strawberry.field(description="Why; becomes the award's evidence.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Retrying with the same key returns the same nomination."
    )


@strawberry.input(description="The nomination to vouch for.")
class VouchPeerAwardInput:
    nomination_id: strawberry.ID = strawberry.field(description="The nomination to vouch for.")


@strawberry.input(description="A peer award to revoke, and why.")
class RevokePeerAwardInput:
    award_id: strawberry.ID = strawberry.field(description="The peer award to revoke.")
    reason: str = strawberry.field(description="Why (3–500 characters); kept with the award.")


NominationResult: TypeAlias = Annotated[
    Nomination | Failure,
    strawberry.union("NominationResult", description="The nomination, or why not."),
]
