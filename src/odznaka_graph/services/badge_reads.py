"""Read views of badges: one badge as the viewer may see it, the catalogue and its facet
counts, an organisation's badges, and the reviewers' queue."""

from odznaka_graph.graph_model import catalogue as search
from odznaka_graph.graph_model import reviews as review_graph
from odznaka_graph.graph_model.badges import ActivityRecord, BadgeRecord, OutcomeRecord
from odznaka_graph.graph_model.catalogue import CatalogueFilter
from odznaka_graph.ledger import credentials
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.badges import badge_record
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.visibility import can_see_badge

__all__ = ["BadgeRecord", "CatalogueFilter"]
Facets = dict[str, list[tuple[str, int]]]


async def badge(loaders: Loaders, badge_id: str) -> BadgeRecord | None:
    """The badge if the viewer may see it; drafts only for its issuer and reviewers, a
    restricted peer badge for its club's members."""
    record = await loaders.badge_by_id.load(badge_id)
    if record is None:
        return None
    if can_see_badge(loaders.viewer, record, {}):  # public: no need to read the viewer's roles
        return record
    return await loaders.visibility.badge(badge_id)


async def outcomes(loaders: Loaders, badge: BadgeRecord) -> list[OutcomeRecord]:
    """A visible badge's learning outcomes: one query for every badge on the page."""
    found: list[OutcomeRecord] = await loaders.outcomes_by_badge.load(badge.id)
    return found


async def activities(loaders: Loaders, badge: BadgeRecord) -> list[ActivityRecord]:
    """A visible badge's learning activities: one query for every badge on the page."""
    found: list[ActivityRecord] = await loaders.activities_by_badge.load(badge.id)
    return found


async def fresh_badge(loaders: Loaders, badge_id: str) -> BadgeRecord | None:
    """A badge that just changed: from the graph, or from the ledger while the graph
    catches up."""
    forget(loaders.badge_by_id, badge_id)
    found = await badge(loaders, badge_id)
    if found is not None:
        return found
    async with loaders.ledger.reading() as conn:
        row = await credentials.badge(conn, badge_id)
    return badge_record(row) if row is not None else None


async def catalogue(
    loaders: Loaders, spec: CatalogueFilter, sort: str, window: Window
) -> Page[BadgeRecord]:
    """Published, public badges matching the filter, in the order asked for."""
    return await search.catalogue(loaders.graph, spec, sort, window)


async def facets(loaders: Loaders, spec: CatalogueFilter) -> Facets:
    """Counts per tag, form, level and cost among the badges matching the filter."""
    return await search.facets(loaders.graph, spec)


async def organization_badges(
    loaders: Loaders, organization_id: str, window: Window
) -> Page[BadgeRecord]:
    """An organisation's published badges, newest first."""
    spec = CatalogueFilter(organization_id=organization_id)
    return await catalogue(loaders, spec, "NEWEST", window)


async def review_queue(loaders: Loaders, window: Window) -> Page[BadgeRecord]:
    """Badges waiting for quality review, oldest first; empty for all but reviewers."""
    if not loaders.viewer.is_reviewer:
        return review_graph.EMPTY
    return await review_graph.awaiting_review(loaders.graph, window)
