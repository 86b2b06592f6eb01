"""Issuers."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.organizations import OrganizationRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import (
    NODE_ID,
    Connection,
    Failure,
    Node,
    TextInput,
    Translation,
    localized,
    localized_name,
    to_connection,
    translations_of,
)
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.reviews import ReviewEvent, review_events
from odznaka_graph.services import badge_reads, review_reads
from odznaka_graph.vocabulary import OrganizationKind, StaffRole

if TYPE_CHECKING:
    from odznaka_graph.schema.badges import Badge

BadgeRef = Annotated["Badge", strawberry.lazy("odznaka_graph.schema.badges")]


strawberry.enum(
    OrganizationKind, name="OrganizationKind", description="What kind of body issues credentials."
)
describe_values(
    SCHOOL="A school.",
    UNIVERSITY="A university or college.",
    COMPANY="A company.",
    NGO="A non-governmental organisation.",
    TRAINING_PROVIDER="A training provider.",
    CERTIFYING_BODY="A body that certifies qualifications.",
    PUBLIC_BODY="A public administration body.",
    SPORTS_CLUB="A sports club.",
)(OrganizationKind)
OrganizationKindEnum: TypeAlias = OrganizationKind


@describe_values(
    PENDING="Not reviewed yet (or the agreement is not accepted).",
    VERIFIED="Approved by a platform reviewer; its staff may submit badges.",
    REJECTED="Refused by a platform reviewer.",
)
@strawberry.enum(description="Where the issuer stands in quality review.")
class Verification(Enum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


strawberry.enum(
    StaffRole, name="StaffRole", description="What a staff member may do for the organisation."
)
describe_values(
    OWNER="Everything, including staff.",
    ADMIN="Manages the organisation and its staff.",
    ISSUER="Describes, submits, awards and revokes badges.",
)(StaffRole)
StaffRoleEnum: TypeAlias = StaffRole


@strawberry.type(description="An issuer of microcredentials.")
class Organization(Node):
    record: strawberry.Private[OrganizationRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Organization", self.record.id))

    name = localized_name("name", "The name in the best matching language.")
    description = localized("description", "The description in the best matching language.")

    @field(description="What kind of body it is.")
    def kind(self) -> OrganizationKindEnum:
        return OrganizationKind(self.record.kind)

    @field(description="Its website address.")
    def website(self) -> str | None:
        return self.record.website

    @field(description="Where it stands in quality review.")
    def verification(self) -> Verification:
        return Verification(self.record.verification)

    @field(description="When the issuer agreement was accepted; null before.")
    def agreement_accepted_at(self) -> datetime | None:
        return self.record.agreement_accepted_at

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)

    @field(description="Agreement and verification steps (its staff, reviewers).")
    async def review_history(self, info: Info) -> list[ReviewEvent]:
        entries = await review_reads.review_history(
            info.context.loaders, "Organization", self.record.id, self.record.id
        )
        return review_events(entries)

    @field(description="The organisation's published badges.")
    async def badges(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BadgeRef]:
        from odznaka_graph.schema.badges import Badge  # badges name their issuer: a cycle

        asked = window(info, first, after, last, before)
        page = await badge_reads.organization_badges(info.context.loaders, self.record.id, asked)
        connection: Connection[BadgeRef] = to_connection(page, lambda r: Badge(record=r))
        return connection


@strawberry.input(description="A new issuer; you become its owner.")
class CreateOrganizationInput:
    kind: OrganizationKindEnum = strawberry.field(description="What kind of body it is.")
    name: list[TextInput] = strawberry.field(description="Its name, per language.")
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What the organisation does, per language."
    )
    website: str | None = strawberry.field(default=None, description="Its website address.")


@strawberry.input(description="Accepting the issuer agreement for an organisation.")
class AcceptIssuerAgreementInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The organisation (you must be its owner or admin)."
    )


@strawberry.input(description="Giving someone a staff role in an organisation.")
class AddOrganizationStaffInput:
    organization_id: strawberry.ID = strawberry.field(description="The organisation.")
    user_id: strawberry.ID = strawberry.field(description="The person's User id.")
    role: StaffRoleEnum = strawberry.field(description="What they may do.")


@strawberry.input(description="A reviewer's decision on an issuer.")
class ReviewOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(description="The organisation.")
    approve: bool = strawberry.field(description="True verifies it; false rejects it.")
    comment: str | None = strawberry.field(default=None, description="Why, for the issuer.")


OrganizationResult: TypeAlias = Annotated[
    Organization | Failure,
    strawberry.union("OrganizationResult", description="The organisation, or why not."),
]
