"""Issuers."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.organizations import OrganizationRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import (
    Connection,
    Failure,
    Node,
    TextInput,
    Translation,
    localized,
    translations_of,
)
from odznaka_graph.schema.decorators import field
from odznaka_graph.vocabulary import OrganizationKind, StaffRole

if TYPE_CHECKING:
    from odznaka_graph.schema.badges import Badge
    from odznaka_graph.schema.reviews import ReviewEvent

BadgeRef = Annotated["Badge", strawberry.lazy("odznaka_graph.schema.badges")]
ReviewEventRef = Annotated["ReviewEvent", strawberry.lazy("odznaka_graph.schema.reviews")]


strawberry.enum(
    OrganizationKind, name="OrganizationKind", description="What kind of body issues credentials."
)
OrganizationKindEnum: TypeAlias = OrganizationKind


@strawberry.enum(description="Where the issuer stands in quality review.")
class Verification(Enum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


strawberry.enum(
    StaffRole, name="StaffRole", description="What a staff member may do for the organisation."
)
StaffRoleEnum: TypeAlias = StaffRole


@strawberry.type(description="An issuer of microcredentials.")
class Organization(Node):
    record: strawberry.Private[OrganizationRecord]

    @field()
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Organization", self.record.id))

    name = localized("name", "The name in the best matching language.")
    description = localized("description", "The description in the best matching language.")

    @field()
    def kind(self) -> OrganizationKindEnum:
        return OrganizationKind(self.record.kind)

    @field()
    def website(self) -> str | None:
        return self.record.website

    @field()
    def verification(self) -> Verification:
        return Verification(self.record.verification)

    @field()
    def agreement_accepted_at(self) -> datetime | None:
        return self.record.agreement_accepted_at

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)

    @field(description="Agreement and verification steps (its staff, reviewers).")
    async def review_history(self, info: Info) -> list[ReviewEventRef]:
        from odznaka_graph.resolvers.reviews import review_history

        return await review_history(info, "Organization", self.record.id, self.record.id)

    @field(description="The organisation's published badges.")
    async def badges(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[BadgeRef]:
        from odznaka_graph.resolvers.badges import organization_badges

        return await organization_badges(info, self.record.id, first, after)


@strawberry.input
class CreateOrganizationInput:
    kind: OrganizationKindEnum
    name: list[TextInput]
    description: list[TextInput] | None = None
    website: str | None = None


@strawberry.input
class AcceptIssuerAgreementInput:
    organization_id: strawberry.ID


@strawberry.input
class AddOrganizationStaffInput:
    organization_id: strawberry.ID
    user_id: strawberry.ID
    role: StaffRoleEnum


@strawberry.input
class ReviewOrganizationInput:
    organization_id: strawberry.ID
    approve: bool
    comment: str | None = None


OrganizationResult: TypeAlias = Annotated[
    Organization | Failure,
    strawberry.union("OrganizationResult", description="The organisation, or why not."),
]
