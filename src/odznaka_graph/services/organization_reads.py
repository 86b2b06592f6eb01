"""Read views of issuers (organisations are public)."""

from odznaka_graph.graph_model.organizations import OrganizationRecord
from odznaka_graph.services.loaders import Loaders, forget

__all__ = ["OrganizationRecord"]


async def organization(loaders: Loaders, organization_id: str) -> OrganizationRecord | None:
    record: OrganizationRecord | None = await loaders.organization_by_id.load(organization_id)
    return record


async def fresh_organization(loaders: Loaders, organization_id: str) -> OrganizationRecord | None:
    """An organisation that just changed, read again."""
    forget(loaders.organization_by_id, organization_id)
    return await organization(loaders, organization_id)
