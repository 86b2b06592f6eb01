"""Per-request loaders for clubs, nominations and their pages (created on first use through
`Loaders.extra`, so each request has its own and a list costs one round trip)."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from odznaka_graph.context import Info
from odznaka_graph.graph_model import clubs, peer_awards
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.keyed_pages import PageKey
from odznaka_graph.graph_model.peer_awards import NominationRecord
from odznaka_graph.paging import Page


def club_by_id(info: Info) -> DataLoader[str, ClubRecord]:
    """Clubs with the viewer's role in each (the visibility service's loader)."""
    return info.context.loaders.visibility.club_by_id


def nomination_by_id(info: Info) -> DataLoader[str, NominationRecord | None]:
    graph, viewer_id = info.context.services.stores.graph, info.context.viewer.id

    async def load(ids: list[str]) -> list[NominationRecord | None]:
        found = await peer_awards.nominations_by_ids(graph, ids, viewer_id)
        return [found.get(nomination_id) for nomination_id in ids]

    return info.context.loaders.extra("nomination_by_id", load)


def _pages(
    info: Info,
    name: str,
    fetch: Callable[[Graph, Sequence[PageKey]], Awaitable[dict[PageKey, Page[Any]]]],
) -> DataLoader[PageKey, Page[Any] | None]:
    graph = info.context.services.stores.graph

    async def load(keys: list[PageKey]) -> list[Page[Any] | None]:
        found = await fetch(graph, keys)
        return [found.get(key) for key in keys]

    return info.context.loaders.extra(name, load)


def members_by_club(info: Info) -> DataLoader[PageKey, Page[Any] | None]:
    return _pages(info, "members_by_club", clubs.member_pages)


def badges_by_club(info: Info) -> DataLoader[PageKey, Page[Any] | None]:
    return _pages(info, "badges_by_club", peer_awards.badge_pages)


def nominations_by_club(info: Info, status: str | None) -> DataLoader[PageKey, Page[Any] | None]:
    """One loader per status asked for, as the status is part of the query."""
    viewer_id = info.context.viewer.id

    async def fetch(graph: Graph, keys: Sequence[PageKey]) -> dict[PageKey, Page[Any]]:
        return dict(await peer_awards.nomination_pages(graph, keys, status, viewer_id))

    return _pages(info, f"nominations_by_club:{status}", fetch)


def vouches_by_nomination(info: Info) -> DataLoader[PageKey, Page[Any] | None]:
    return _pages(info, "vouches_by_nomination", peer_awards.vouch_pages)


async def viewer_club_role(info: Info, club_id: str) -> str | None:
    """The viewer's role in a club (None if not a member, or signed out)."""
    if info.context.viewer.id is None:
        return None
    club = await club_by_id(info).load(club_id)
    return club.viewer_role if club else None
