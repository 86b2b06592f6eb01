"""Per-request DataLoaders: one batched round trip per kind of record, whatever the list."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from odznaka_graph.graph_model import (
    awards,
    badges,
    events,
    organizations,
    profiles,
    skills,
    social,
    users,
)
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.ledger import issuers
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.services.tokens import Viewer

K = TypeVar("K")
V = TypeVar("V")


def _by_key(
    fetch: Callable[[Graph, list[K]], Awaitable[dict[K, V]]], graph: Graph, default: Any = None
) -> DataLoader[K, V]:
    async def load(keys: Sequence[K]) -> list[V]:
        found = await fetch(graph, list(keys))
        return [found.get(key, default) for key in keys]

    return DataLoader(load_fn=load)


def forget(loader: DataLoader[str, Any], key: str) -> None:
    """Drop a cached record after a write, so the next load reads it again."""
    with contextlib.suppress(KeyError):
        loader.clear(key)


class Loaders:
    """Named `<Thing>By<Key>`; created for each request, never shared across requests."""

    def __init__(self, graph: Graph, ledger: Ledger, viewer: Viewer) -> None:
        self.user_by_id = _by_key(users.users_by_ids, graph)
        self.organization_by_id = _by_key(organizations.organizations_by_ids, graph)
        self.badge_by_id = _by_key(badges.badges_by_ids, graph)
        self.award_by_id = _by_key(awards.awards_by_ids, graph)
        self.skill_by_id = _by_key(skills.skills_by_ids, graph)
        self.outcomes_by_badge = _by_key(badges.outcomes_by_badges, graph, [])
        self.activities_by_badge = _by_key(badges.activities_by_badges, graph, [])
        self.event_by_id = _by_key(lambda g, ids: events.events_by_ids(g, ids, viewer.id), graph)
        self.viewer_contact_by_user = _by_key(
            lambda g, ids: profiles.viewer_contacts(g, ids, viewer.id), graph, False
        )
        self.contact_count_by_user = _by_key(profiles.contact_counts, graph, 0)
        # Social graph: the viewer's standing towards each user, and who blocks the viewer
        # (loaded once per request, with the viewer's id as the only key).
        self.viewer_relation_by_user = _by_key(
            lambda g, ids: social.viewer_relations(g, ids, viewer.id), graph
        )
        self.blocked_by = _by_key(social.blockers, graph, frozenset())
        self.skill_map_by_user = _by_key(profiles.skill_maps, graph, [])
        self.endorsement_count_by_award = _by_key(profiles.endorsement_counts, graph, 0)
        self.endorsements_by_award = _by_key(profiles.endorsement_pages, graph)
        self._ledger = ledger
        self._viewer = viewer
        self._staff_roles: asyncio.Future[dict[str, str]] | None = None
        self._extra: dict[str, DataLoader[Any, Any]] = {}

    def extra(
        self, name: str, load: Callable[[list[Any]], Awaitable[list[Any]]]
    ) -> DataLoader[Any, Any]:
        """A loader a domain module defines itself, created once per request by name."""
        if name not in self._extra:
            self._extra[name] = DataLoader(load_fn=load)
        return self._extra[name]

    async def staff_roles(self) -> dict[str, str]:
        """The viewer's roles in organisations, read once per request. Concurrent callers
        share one read: an empty placeholder would tell them "no roles" while it runs."""
        if self._staff_roles is None:
            self._staff_roles = asyncio.ensure_future(self._read_staff_roles())
        return await self._staff_roles

    async def _read_staff_roles(self) -> dict[str, str]:
        if self._viewer.id is None:
            return {}
        async with self._ledger.reading() as conn:
            return await issuers.roles_of(conn, self._viewer.id)
