"""Read views of reports (issue 15): the moderation queue in the viewer's scope — every
report for a platform moderator, their clubs' club-scope reports for a club's owners and
moderators, an empty queue for anyone else. One graph read (the viewer's clubs), one page
read and one count."""

from odznaka_graph.graph_model import reports as graph
from odznaka_graph.ledger import reports as ledger
from odznaka_graph.ledger.reports import ReportRow
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.reports import club_moderator_roles

__all__ = ["EMPTY", "ReportRow", "queue", "written"]

EMPTY: Page[ReportRow] = Page([], has_next=False, has_previous=False, total=0)


async def queue(loaders: Loaders, status: str, window: Window) -> Page[ReportRow]:
    viewer_id = loaders.viewer.id
    if viewer_id is None:
        return EMPTY
    async with loaders.ledger.reading() as conn:
        if await ledger.is_platform_moderator(conn, viewer_id):
            return await ledger.page(conn, window, status=status, club_ids=None)
    clubs = await graph.moderated_clubs(loaders.graph, viewer_id, club_moderator_roles())
    if not clubs:
        return EMPTY
    async with loaders.ledger.reading() as conn:
        return await ledger.page(conn, window, status=status, club_ids=clubs)


async def written(loaders: Loaders, report_id: str) -> ReportRow | None:
    """A report a command just wrote or decided, for its answer (the command checked who
    asks)."""
    async with loaders.ledger.reading() as conn:
        return await ledger.report(conn, report_id)
