"""The user's settings for points and leaderboards.

A setting on the user's graph node (read by the leaderboard query), written to Neo4j
directly like the other community data, then recorded by an audit row whose outbox event
has no projection handler (it is only published)."""

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.graph_model import gamification
from odznaka_graph.ledger.journal import record
from odznaka_graph.services.base import Stores
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer


class GamificationService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def set_rank_hidden(self, viewer: Viewer, hidden: bool) -> bool:
        """Keep (or stop keeping) the viewer's rank inside their classes and teams."""
        user_id = signed_in(viewer)
        if not await gamification.set_hidden(self.stores.graph, user_id, hidden):
            return hidden  # no profile node yet: nothing changed, nothing to record

        async def work(conn: AsyncConnection) -> None:
            await record(
                conn,
                actor_id=user_id,
                action="gamification.settings_changed",
                subject_type="User",
                subject_id=user_id,
                payload={"id": user_id, "hideRankOutsideClass": hidden},
            )

        await self.stores.commit(work)
        return hidden
