"""Read views of the social graph: the lists on a profile (people whose profile the viewer
may not see, or who block the viewer, left out of pages and counts alike), the owner's
pending requests and blocks, and the viewer's standing towards a user."""

from dataclasses import dataclass
from typing import Any

from odznaka_graph.graph_model import social as social_graph
from odznaka_graph.graph_model.social import NO_RELATION, ListKind, Relation, Tie
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.visibility import can_see_profile

__all__ = ["ListKind", "Relation", "SeenTie", "Tie"]

EMPTY: Page[Any] = Page([], False, False, 0)


@dataclass(frozen=True)
class SeenTie:
    """A row of the owner's own list, and whether the other side's profile is shown."""

    tie: Tie
    shown: bool


async def _page(loaders: Loaders, kind: ListKind, user: UserRecord, window: Window) -> Page[Tie]:
    return await social_graph.people(loaders.graph, kind, user.id, loaders.viewer.id, window)


async def _list_visible(loaders: Loaders, user: UserRecord, kind: ListKind) -> bool:
    """Followers and following go with the profile; contacts with the contacts section."""
    if not await loaders.visibility.profile_visible(user):
        return False
    if kind is ListKind.CONTACTS:
        return await loaders.visibility.sees_section(user, "contacts")
    return True


async def people(loaders: Loaders, user: UserRecord, kind: ListKind, window: Window) -> Page[Tie]:
    """Followers, following or contacts, newest first; an empty page when hidden."""
    if not await _list_visible(loaders, user, kind):
        return EMPTY
    return await _page(loaders, kind, user, window)


def owns(loaders: Loaders, user: UserRecord) -> bool:
    """Whether the viewer is the user (requests and blocks are the owner's only)."""
    return loaders.viewer.id == user.id


async def own_list(
    loaders: Loaders, user: UserRecord, kind: ListKind, window: Window
) -> Page[SeenTie] | None:
    """The owner's pending requests (incoming or outgoing) or blocks, newest first; None
    for anyone else."""
    if not owns(loaders, user):
        return None
    page = await _page(loaders, kind, user, window)
    viewer = loaders.viewer
    seen = [(c, SeenTie(tie, can_see_profile(viewer, tie.user))) for c, tie in page.items]
    return Page(seen, page.has_next, page.has_previous, page.total)


async def relation(loaders: Loaders, user_id: str) -> Relation:
    """The viewer's standing towards a user; one round trip for every user on a page."""
    found = await loaders.viewer_relation_by_user.load(user_id)
    return found or NO_RELATION


async def viewer_relation(loaders: Loaders, user: UserRecord) -> Relation:
    """The same on a profile: none towards oneself, none for anonymous visitors."""
    if loaders.viewer.id in (None, user.id):
        return NO_RELATION
    return await relation(loaders, user.id)
