"""Read views of clubs: a club, its members, requests to join and badges, the viewer's
clubs and the club list; records already filtered for the viewer."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import clubs, peer_awards
from odznaka_graph.graph_model.badges import BadgeRecord
from odznaka_graph.graph_model.clubs import ClubRecord, MembershipRecord
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.keyed_pages import PageKey
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.outcomes import ClubReason
from odznaka_graph.paging import Page, Window, decode_cursor
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.permissions import RULES, Action, allowed

EMPTY: Page[Any] = Page([], False, False, 0)
PageFetch = Callable[[Graph, Sequence[PageKey]], Awaitable[dict[PageKey, Page[Any]]]]


def check_cursor(cursor: str | None) -> None:
    """Batched pages decode cursors inside the loader: a bad one is refused here first
    (a BadCursor, shown to the client as BAD_USER_INPUT)."""
    if cursor is not None:
        decode_cursor(cursor)


def batched_pages(loaders: Loaders, name: str, fetch: PageFetch) -> DataLoader[PageKey, Any]:
    """Pages of many parents (one per (id, size, cursor)) read in one round trip."""

    async def load(keys: list[PageKey]) -> list[Page[Any] | None]:
        found = await fetch(loaders.graph, keys)
        return [found.get(key) for key in keys]

    return loaders.extra(name, load)


async def page_of(
    loaders: Loaders, name: str, fetch: PageFetch, parent_id: str, window: Window
) -> Page[Any]:
    check_cursor(window.cursor)
    key = (parent_id, window.size, window.cursor, window.forward)
    page = await batched_pages(loaders, name, fetch).load(key)
    return page or EMPTY


async def club(loaders: Loaders, club_id: str, fresh: bool = False) -> ClubRecord | None:
    """A club the viewer may see (a members-only one for its members only); `fresh` reads
    it again after a change."""
    if fresh:
        forget(loaders.visibility.club_by_id, club_id)
    return await loaders.visibility.club(club_id)


async def viewer_role(loaders: Loaders, club_id: str) -> str | None:
    """The viewer's role in a club (None if not a member, or signed out)."""
    if loaders.viewer.id is None:
        return None
    found = await loaders.visibility.club_by_id.load(club_id)
    return found.viewer_role if found else None


async def members(loaders: Loaders, record: ClubRecord, window: Window) -> Page[MembershipRecord]:
    return await page_of(loaders, "members_by_club", clubs.member_pages, record.id, window)


async def join_requests(
    loaders: Loaders, record: ClubRecord, window: Window
) -> Page[MembershipRecord] | None:
    """Requests to join, for the club's owners and moderators; None for anyone else."""
    if not allowed(Action.APPROVE_CLUB_MEMBERS, loaders.viewer, record.viewer_role):
        return None
    return await clubs.requests(loaders.graph, record.id, window)


async def badges(loaders: Loaders, record: ClubRecord, window: Window) -> Page[BadgeRecord]:
    """Whoever sees the club sees its badges (a members-only club's badges are restricted
    to exactly its members)."""
    return await page_of(loaders, "badges_by_club", peer_awards.badge_pages, record.id, window)


async def clubs_of_user(loaders: Loaders, user: UserRecord, window: Window) -> Page[ClubRecord]:
    """The viewer's own clubs, by name; empty for anyone else's profile."""
    viewer_id = loaders.viewer.id
    if viewer_id is None or viewer_id != user.id:
        return EMPTY
    return await clubs.clubs_of_user(loaders.graph, user.id, viewer_id, window)


async def club_list(loaders: Loaders, text: str | None, window: Window) -> Page[ClubRecord]:
    """Public clubs, and the members-only ones the viewer belongs to."""
    readers = sorted(str(role) for role in RULES[Action.ACT_IN_CLUB].roles)
    return await clubs.club_list(loaders.graph, loaders.viewer.id, readers, text, window)


async def changed_club(loaders: Loaders, club_id: str) -> ClubRecord:
    """The club a command just changed, read again."""
    found = await club(loaders, club_id, fresh=True)
    if found is None:
        raise NotFound("No such club.", reason=ClubReason.CLUB_NOT_FOUND)
    return found
