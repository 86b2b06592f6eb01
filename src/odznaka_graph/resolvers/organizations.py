"""Issuers: create, agreement, staff, review, read."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, Id
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.common import texts_input
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.organizations import (
    AcceptIssuerAgreementInput,
    AddOrganizationStaffInput,
    CreateOrganizationInput,
    Organization,
    OrganizationResult,
    ReviewOrganizationInput,
)
from odznaka_graph.services import organization_reads


async def organization_by_id(info: Info, org_id: str) -> Organization | None:
    """Kept for node(id:); new code calls `organization_reads.organization`."""
    record = await organization_reads.organization(info.context.loaders, org_id)
    return Organization(record=record) if record else None


async def _loaded(info: Info, org_id: str) -> Organization:
    """The organisation a command just wrote (projected before the command returns)."""
    record = await organization_reads.fresh_organization(info.context.loaders, org_id)
    assert record is not None
    return Organization(record=record)


@strawberry.type
class OrganizationQueries:
    @field(description="An issuer by id.")
    async def organization(self, info: Info, id: Id) -> Organization | None:
        org_id = local_id(id, "Organization")
        return await organization_by_id(info, org_id) if org_id else None


@strawberry.type
class OrganizationMutations:
    @mutation(description="Create an issuer; the creator becomes its OWNER.")
    async def create_organization(
        self, info: Info, input: Annotated[CreateOrganizationInput, INPUT]
    ) -> OrganizationResult:
        data = {
            "kind": input.kind.value,
            "name": texts_input(input.name),
            "description": texts_input(input.description),
            "website": input.website,
        }
        work = info.context.services.organizations.create(info.context.viewer, data)
        return await as_result(work, lambda org_id: _loaded(info, org_id))

    @mutation(description="Accept the issuer agreement (owners and admins).")
    async def accept_issuer_agreement(
        self, info: Info, input: Annotated[AcceptIssuerAgreementInput, INPUT]
    ) -> OrganizationResult:
        async def work() -> str:
            org_id = local(input.organization_id, "Organization", "organizationId")
            return await info.context.services.organizations.accept_agreement(
                info.context.viewer, org_id
            )

        return await as_result(work(), lambda org_id: _loaded(info, org_id))

    @mutation(description="Give a user a staff role in an organisation.")
    async def add_organization_staff(
        self, info: Info, input: Annotated[AddOrganizationStaffInput, INPUT]
    ) -> OrganizationResult:
        async def work() -> str:
            data = {
                "organization_id": local(input.organization_id, "Organization", "organizationId"),
                "user_id": local(input.user_id, "User", "userId"),
                "role": input.role.value,
            }
            return await info.context.services.organizations.add_staff(info.context.viewer, data)

        return await as_result(work(), lambda org_id: _loaded(info, org_id))

    @mutation(description="Verify or reject an issuer (platform reviewers).")
    async def review_organization(
        self, info: Info, input: Annotated[ReviewOrganizationInput, INPUT]
    ) -> OrganizationResult:
        async def work() -> str:
            data = {
                "organization_id": local(input.organization_id, "Organization", "organizationId"),
                "approve": input.approve,
                "comment": input.comment,
            }
            return await info.context.services.organizations.review(info.context.viewer, data)

        return await as_result(work(), lambda org_id: _loaded(info, org_id))
