"""Awarding a path's completion badge, once, when a follower finishes the path.

The event handler "path-completion" (effects.py) runs on each batch of projected awards,
and the check runs when someone follows a path. The award goes through the awards ledger
keyed by (path, follower), with the path's creator as awarder: retries, a second API
instance handling the same events and concurrent checks all replay that one award instead
of issuing another, and the ledger's one-live-award-per-badge index backs that up.
"""

import logging
import uuid
from collections.abc import Iterable

from odznaka_graph.clock import now
from odznaka_graph.effects import EventHandler, Finish
from odznaka_graph.errors import DomainError
from odznaka_graph.graph_model import paths
from odznaka_graph.graph_model.paths import PathRecord
from odznaka_graph.i18n import pick
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.services.base import Stores
from odznaka_graph.services.bulk_awards import BulkAwardService, Outcome
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import path_readers

log = logging.getLogger(__name__)

COMPLETION_KEYS = uuid.UUID("5f1d2c3b-8a7e-4c61-b0d9-2e4f6a8c1b37")
AWARD_TOPICS = {"award.issued", "award.claimed"}


def completion_key(path_id: str, user_id: str) -> str:
    return str(uuid.uuid5(COMPLETION_KEYS, f"{path_id}:{user_id}"))


def recipients(events: Iterable[OutboxEvent]) -> list[str]:
    """Who received an award in these events: only they can have finished a path now."""
    found = {event.payload.get("recipientId") for event in events if event.topic in AWARD_TOPICS}
    return sorted(user_id for user_id in found if user_id)


class PathCompletion:
    def __init__(self, stores: Stores, bulk: BulkAwardService) -> None:
        self.stores = stores
        self.bulk = bulk

    def handler(self) -> EventHandler:
        return EventHandler("path-completion", tuple(sorted(AWARD_TOPICS)), self.handle)

    async def handle(self, events: list[OutboxEvent], finish: Finish) -> None:
        """The awards go through the ledger under keys of their own (a retry replays them);
        the batch is marked handled after they committed."""
        users = recipients(events)
        if users:
            await self.award_finished(users)
        await finish(None)

    async def award_finished(self, user_ids: list[str]) -> None:
        """Each of these users' followed paths that is finished now gets its badge."""
        candidates = await paths.completion_candidates(
            self.stores.graph, user_ids, path_readers(None), now()
        )
        finished: dict[str, tuple[PathRecord, list[str]]] = {}
        for user_id, path, held in candidates:
            if progress(path, user_id, held).finished:
                finished.setdefault(path.id, (path, []))[1].append(user_id)
        for path, finishers in finished.values():
            await self._grant(path, finishers)

    async def _grant(self, path: PathRecord, user_ids: list[str]) -> None:
        assert path.completion_badge_id is not None
        if path.created_by in user_ids:
            log.info("path creator finished their own path: no self-award", extra=_log(path))
            user_ids = [u for u in user_ids if u != path.created_by]
        if not user_ids:
            return
        title = pick(path.texts.get("title"), [])
        try:
            results = await self.bulk.award_accounts(
                Viewer(path.created_by, "USER"),
                path.completion_badge_id,
                user_ids,
                lambda user_id: completion_key(path.id, user_id),
                [{"url": None, "narrative": f"Finished the development path “{title}”."}],
            )
        except DomainError as error:  # e.g. the creator is no longer staff, or it was archived
            log.warning("completion badge not awarded", extra=_log(path, error.message))
            return
        for result in results:
            if result.outcome not in (Outcome.AWARDED, Outcome.ALREADY_HELD):
                log.warning("completion badge not awarded", extra=_log(path, result.outcome))


def _log(path: PathRecord, reason: str | None = None) -> dict[str, dict[str, str | None]]:
    return {"fields": {"path": path.id, "reason": reason}}
