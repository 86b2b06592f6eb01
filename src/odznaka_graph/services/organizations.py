"""Issuers: creation, the issuer agreement, staff, and verification by a reviewer."""

from typing import Annotated, Any

from pydantic import Field, HttpUrl
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import accounts, issuers
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AccountReason, OrganizationReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import (
    Action,
    require,
    require_staff,
    signed_in,
)
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model, Texts
from odznaka_graph.vocabulary import OrganizationKind, StaffRole


class OrganizationInput(Model):
    kind: OrganizationKind
    name: Texts
    description: Texts = Field(default_factory=dict)
    website: HttpUrl | None = None


class StaffInput(Model):
    organization_id: str
    user_id: str
    role: StaffRole


class ReviewInput(Model):
    organization_id: str
    approve: bool
    comment: Annotated[str, Field(max_length=2000)] | None = None


class OrganizationService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        org = parse(OrganizationInput, data)
        if not org.name:
            raise ValidationFailed(
                {"name": "Give the organisation a name."},
                reason=OrganizationReason.ORGANIZATION_NAME_MISSING,
            )
        actor = signed_in(viewer)
        org_id = new_id()

        async def work(conn: AsyncConnection) -> str:
            at = now()
            await issuers.insert_organization(conn, org_id, actor, at)
            await issuers.put_staff(conn, org_id, actor, StaffRole.OWNER)
            payload = {
                "id": org_id,
                "kind": org.kind,
                "texts": {"name": org.name, "description": org.description},
                "website": str(org.website) if org.website else None,
                "createdBy": actor,
                "at": at.isoformat(),
            }
            await record(
                conn,
                actor_id=actor,
                action="organization.created",
                subject_type="Organization",
                subject_id=org_id,
                payload=payload,
            )
            return org_id

        return await self.stores.commit(work)

    async def accept_agreement(self, viewer: Viewer, org_id: str) -> str:
        async def work(conn: AsyncConnection) -> str:
            actor = await require_staff(conn, viewer, org_id, Action.MANAGE_ORGANIZATION)
            org = await issuers.organization(conn, org_id)
            if org is not None and org.agreement_accepted_at is not None:
                return org_id
            at = now()
            await issuers.update_organization(conn, org_id, agreement_accepted_at=at)
            await record(
                conn,
                actor_id=actor,
                action="organization.agreement_accepted",
                subject_type="Organization",
                subject_id=org_id,
                payload={"id": org_id, "props": {"agreementAcceptedAt": at.isoformat()}},
            )
            return org_id

        return await self.stores.commit(work)

    async def add_staff(self, viewer: Viewer, data: dict[str, Any]) -> str:
        staff = parse(StaffInput, data)

        async def work(conn: AsyncConnection) -> str:
            actor = await require_staff(
                conn, viewer, staff.organization_id, Action.MANAGE_ORGANIZATION
            )
            if await accounts.account_by_id(conn, staff.user_id) is None:
                raise NotFound("No such user.", reason=AccountReason.USER_NOT_FOUND)
            await issuers.put_staff(conn, staff.organization_id, staff.user_id, staff.role)
            payload = {
                "organizationId": staff.organization_id,
                "userId": staff.user_id,
                "role": staff.role,
            }
            await record(
                conn,
                actor_id=actor,
                action="organization.staff_added",
                subject_type="Organization",
                subject_id=staff.organization_id,
                payload=payload,
            )
            return staff.organization_id

        return await self.stores.commit(work)

    async def review(self, viewer: Viewer, data: dict[str, Any]) -> str:
        review = parse(ReviewInput, data)
        actor = require(Action.REVIEW, viewer)

        async def work(conn: AsyncConnection) -> str:
            org = await issuers.organization(conn, review.organization_id)
            if org is None:
                raise NotFound(
                    "No such organisation.", reason=OrganizationReason.ORGANIZATION_NOT_FOUND
                )
            if review.approve and org.agreement_accepted_at is None:
                raise Conflict(
                    "The organisation has not accepted the issuer agreement yet.",
                    reason=OrganizationReason.ISSUER_AGREEMENT_NOT_ACCEPTED,
                )
            state = "VERIFIED" if review.approve else "REJECTED"
            await issuers.update_organization(conn, org.id, verification=state)
            props = {"verification": state, "reviewComment": review.comment}
            await record(
                conn,
                actor_id=actor,
                action="organization.reviewed",
                subject_type="Organization",
                subject_id=org.id,
                payload={"id": org.id, "props": props},
            )
            return str(org.id)

        return await self.stores.commit(work)
