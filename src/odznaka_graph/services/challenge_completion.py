"""Recording challenge completions, once, as points arrive.

The event handler "challenges" (effects.py) takes each batch of `points.recorded` events
(every award to an account comes with one, so that topic says whose progress may have
moved) and of `challenge.completed` events (a completion may unlock a quest, quests.py:
the quest completes in the pass that sees it, if its goal is met then).
The completions, their reward points and reward badges are written in the ONE ledger
transaction that marks the batch handled, each guarded by the completion's primary key as
well: two API instances, or a retry after a crash, record it once.
"""

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.effects import EventHandler, Finish
from odznaka_graph.graph_model import gamification
from odznaka_graph.ledger import challenges, credentials
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.ledger.journal import OutboxEvent, record
from odznaka_graph.services import points
from odznaka_graph.services.awards import issue
from odznaka_graph.services.base import Stores
from odznaka_graph.services.challenges import measure, reward_key
from odznaka_graph.services.teams import MANAGERS

log = logging.getLogger(__name__)


def _moves(event: OutboxEvent) -> bool:
    """Points earned, or a challenge completed (which may unlock a quest: quests.py)."""
    if event.topic == "points.recorded":
        return bool(event.payload["amount"] > 0)
    return event.topic == "challenge.completed"


def _moved(events: list[OutboxEvent]) -> tuple[set[str], datetime, datetime] | None:
    """Whose progress may have moved in this batch, and the span of time it happened in."""
    moved = [e for e in events if _moves(e)]
    if not moved:
        return None
    times = [datetime.fromisoformat(e.payload["at"]) for e in moved]
    return {e.payload["accountId"] for e in moved}, min(times), max(times)


class ChallengeCompletion:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    def handler(self) -> EventHandler:
        return EventHandler("challenges", ("points.recorded", "challenge.completed"), self.handle)

    async def handle(self, events: list[OutboxEvent], finish: Finish) -> None:
        moved = _moved(events)
        due = await self.due(*moved) if moved is not None else []

        async def work(conn: AsyncConnection) -> None:
            for challenge, account_id in due:
                await _complete(conn, challenge, account_id)

        await finish(work)

    async def due(
        self, account_ids: set[str], since: datetime, until: datetime
    ) -> list[tuple[ChallengeRow, str]]:
        """Who reached which running challenge's goal with these moves, not yet recorded."""
        teams = await gamification.teams_of_learners(self.stores.graph, account_ids, MANAGERS)
        team_ids = {team_id for found in teams.values() for team_id in found}
        due: list[tuple[ChallengeRow, str]] = []
        async with self.stores.ledger.reading() as conn:
            running = await challenges.running(conn, team_ids, since, until)
            # Recorded completions of every running challenge, in one read for all of them.
            done = await challenges.completions(conn, [c.id for c in running], account_ids)
            for challenge in running:
                takers = sorted(
                    a
                    for a, found in teams.items()
                    if challenge.team_id in found and (challenge.id, a) not in done
                )
                due += [(challenge, a) for a in await _due(conn, self.stores, challenge, takers)]
        return due


async def _due(
    conn: AsyncConnection, stores: Stores, challenge: ChallengeRow, takers: list[str]
) -> list[str]:
    """The takers (none with a completion recorded) who reached the goal."""
    measured = await measure(conn, stores, challenge, takers, now())
    return [a for a, (current, target) in measured.items() if current >= target]


async def _complete(conn: AsyncConnection, challenge: ChallengeRow, account_id: str) -> None:
    at = now()
    if not await challenges.complete(conn, challenge.id, account_id, at):
        return  # recorded already, by another flush or instance
    await points.challenge_completed(conn, challenge.id, account_id, challenge.reward_points, at)
    award_id = await _reward_badge(conn, challenge, account_id)
    await record(
        conn,
        actor_id=None,
        action="challenge.completed",
        subject_type="Challenge",
        subject_id=challenge.id,
        payload={
            "challengeId": challenge.id,
            "teamId": challenge.team_id,
            "accountId": account_id,
            "rewardPoints": challenge.reward_points,
            "awardId": award_id,
            "at": at.isoformat(),
        },
    )


async def _reward_badge(
    conn: AsyncConnection, challenge: ChallengeRow, account_id: str
) -> str | None:
    if challenge.reward_badge_id is None:
        return None
    badge = await credentials.badge(conn, challenge.reward_badge_id)
    if badge is None or badge.status != "PUBLISHED":
        log.warning("challenge reward badge not awardable", extra={"fields": {"id": challenge.id}})
        return None
    if await credentials.live_award(conn, badge.id, account_id, None) is not None:
        return None  # held already: the points still count, no second award
    narrative = f"Completed the challenge “{challenge.title}”."
    return await issue(
        conn,
        badge,
        challenge.created_by,
        account_id,
        None,
        reward_key(challenge.id, account_id),
        [{"url": None, "narrative": narrative}],
    )
