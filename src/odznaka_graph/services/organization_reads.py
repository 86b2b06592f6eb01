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


async def own_organizations(loaders: Loaders, user_id: str) -> list[tuple[OrganizationRecord, str]]:
    """The organisations `user_id` is staff of, with the role, when the viewer is that user
    (empty for anyone else); one SQL read of the roles and one graph read of the records."""
    if loaders.viewer.id != user_id:
        return []
    roles = await loaders.staff_roles()
    records = await loaders.organization_by_id.load_many(list(roles))
    found = [(record, roles[record.id]) for record in records if record is not None]
    return sorted(found, key=lambda pair: pair[0].id)
