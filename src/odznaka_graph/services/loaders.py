"""Per-operation reading: DataLoaders (one batched round trip per kind of record, whatever
the list) and the visibility service, bound to one viewer."""

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.dataloader import DataLoader

from odznaka_graph.graph_model import badges, events, organizations, profiles, skills, social
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.services.base import Stores
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility_service import Visibility, by_key

_by_key = by_key


def forget(loader: DataLoader[str, Any], key: str) -> None:
    """Drop a cached record after a write, so the next load reads it again."""
    with contextlib.suppress(KeyError):
        loader.clear(key)


class Loaders:
    """What one request (one operation) reads with: the viewer, the stores, the one
    visibility service and batched loaders named `<thing>_by_<key>`. Read views take it as
    their first argument; created for each operation, never shared across them."""

    def __init__(self, graph: Graph, ledger: Ledger, viewer: Viewer) -> None:
        self.viewer = viewer
        self.graph = graph
        self.ledger = ledger
        # Who may see what is decided by one service; its loaders serve the rest too.
        self.visibility = visibility = Visibility(graph, ledger, viewer)
        self.user_by_id = visibility.user_by_id
        self.organization_by_id = _by_key(organizations.organizations_by_ids, graph)
        self.badge_by_id = visibility.badge_by_id
        self.award_by_id = visibility.award_by_id
        self.skill_by_id = _by_key(skills.skills_by_ids, graph)
        self.outcomes_by_badge = _by_key(badges.outcomes_by_badges, graph, [])
        self.activities_by_badge = _by_key(badges.activities_by_badges, graph, [])
        self.event_by_id = _by_key(lambda g, ids: events.events_by_ids(g, ids, viewer.id), graph)
        self.viewer_contact_by_user = visibility.viewer_contact_by_user
        # What the viewer may see of each contacts list: the count agrees with the list.
        self.contact_count_by_user = _by_key(
            lambda g, ids: social.contact_counts(g, ids, viewer.id), graph, 0
        )
        # Social graph: the viewer's standing towards each user, and who blocks the viewer
        # (loaded once per request, with the viewer's id as the only key).
        self.viewer_relation_by_user = _by_key(
            lambda g, ids: social.viewer_relations(g, ids, viewer.id), graph
        )
        self.blocked_by = visibility.blocked_by
        self.skill_map_by_user = _by_key(profiles.skill_maps, graph, [])
        self.endorsement_count_by_award = _by_key(profiles.endorsement_counts, graph, 0)
        self.endorsements_by_award = _by_key(profiles.endorsement_pages, graph)
        self._extra: dict[str, DataLoader[Any, Any]] = {}

    @classmethod
    def of(cls, stores: Stores, viewer: Viewer) -> "Loaders":
        """Fresh loaders over the platform's stores, for one operation of this viewer."""
        return cls(stores.graph, stores.ledger, viewer)

    def extra(
        self, name: str, load: Callable[[list[Any]], Awaitable[list[Any]]]
    ) -> DataLoader[Any, Any]:
        """A loader a domain module defines itself, created once per request by name."""
        if name not in self._extra:
            self._extra[name] = DataLoader(load_fn=load)
        return self._extra[name]

    async def staff_roles(self) -> dict[str, str]:
        """The viewer's roles in organisations, read once per request."""
        return await self.visibility.staff_roles()
