"""Read views of a user's points: XP and level (anyone's, with their profile), and their
own streak, achievements, points history and settings (the viewer's own only)."""

from collections.abc import Sequence

from odznaka_graph.clock import now
from odznaka_graph.graph_model import gamification
from odznaka_graph.ledger import points as ledger_points
from odznaka_graph.ledger.points import PointEvent
from odznaka_graph.paging import Page, Window
from odznaka_graph.services import points
from odznaka_graph.services.achievements import Achievement, achievements
from odznaka_graph.services.loaders import Loaders

__all__ = ["PointEvent"]  # the ledger row the API renders, re-exported


async def xp(loaders: Loaders, user_id: str) -> int:
    """Net points of many users in one read per request (a list of profiles is one query)."""

    async def load(ids: Sequence[str]) -> list[int]:
        async with loaders.ledger.reading() as conn:
            found = await points.totals_between(conn, list(ids), None, None)
        return [max(found.get(i, 0), 0) for i in ids]

    return int(await loaders.extra("xp", load).load(user_id))


async def level(loaders: Loaders, user_id: str) -> points.Level:
    return points.level_of(await xp(loaders, user_id))


def _own(loaders: Loaders, user_id: str) -> bool:
    return loaders.viewer.id == user_id


async def _events(loaders: Loaders, user_id: str) -> list[PointEvent]:
    """The user's whole ledger, read once per request for the streak and the achievements."""

    async def load(ids: Sequence[str]) -> list[list[PointEvent]]:
        async with loaders.ledger.reading() as conn:
            return [await ledger_points.events_of(conn, user) for user in ids]

    found: list[PointEvent] = await loaders.extra("point_events", load).load(user_id)
    return found


async def streak(loaders: Loaders, user_id: str) -> points.Streak | None:
    if not _own(loaders, user_id):
        return None
    events = await _events(loaders, user_id)
    activity = [e.at for e in events if e.reason in points.ACTIVITY and e.amount > 0]
    return points.streak_of(activity, now())


async def milestones(loaders: Loaders, user_id: str) -> list[Achievement]:
    if not _own(loaders, user_id):
        return []
    return achievements(await _events(loaders, user_id))


async def history(loaders: Loaders, user_id: str, window: Window) -> Page[PointEvent] | None:
    """A page of points, newest first, with the count: every point with its reason and
    source, so totals can be explained. The viewer's own only (else None)."""
    if not _own(loaders, user_id):
        return None
    async with loaders.ledger.reading() as conn:
        return await ledger_points.page_of(conn, user_id, window)


async def rank_hidden(loaders: Loaders, user_id: str) -> bool | None:
    """Whether the user keeps their rank inside their classes; the viewer's own only."""
    if not _own(loaders, user_id):
        return None
    return await gamification.hidden(loaders.graph, user_id)
