"""Read views of badge requests (issue 15): an organisation's, for its staff; a learner's
own. Each list is one page read and one count; the badges, learners and awards on a page
come through the request's batched loaders."""

from odznaka_graph.ledger import badge_requests as requests
from odznaka_graph.ledger import issuers
from odznaka_graph.ledger.badge_requests import BadgeRequestRow
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.loaders import Loaders

__all__ = ["EMPTY", "BadgeRequestRow", "decided", "mine", "of_organization"]

EMPTY: Page[BadgeRequestRow] = Page([], has_next=False, has_previous=False, total=0)


async def of_organization(
    loaders: Loaders, org_id: str, status: str | None, window: Window
) -> Page[BadgeRequestRow]:
    """The organisation's requests, newest first; empty for all but its staff."""
    viewer_id = loaders.viewer.id
    if viewer_id is None:
        return EMPTY
    async with loaders.ledger.reading() as conn:
        if await issuers.staff_role(conn, org_id, viewer_id) is None:
            return EMPTY
        return await requests.page(conn, window, status=status, organization_id=org_id)


async def mine(loaders: Loaders, status: str | None, window: Window) -> Page[BadgeRequestRow]:
    """The viewer's own requests, newest first."""
    if loaders.viewer.id is None:
        return EMPTY
    async with loaders.ledger.reading() as conn:
        return await requests.page(conn, window, status=status, learner_id=loaders.viewer.id)


async def decided(loaders: Loaders, request_id: str) -> BadgeRequestRow | None:
    """A request a command just wrote, for its answer (the command checked who asks)."""
    async with loaders.ledger.reading() as conn:
        return await requests.request(conn, request_id)
