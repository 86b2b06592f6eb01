"""Recording challenge completions, once, as points arrive.

The event handler "challenges" (effects.py) takes each batch of `points.recorded` events
(every award to an account comes with one, so that topic says whose progress may have
moved) and of `challenge.completed` events (a completion may unlock a quest, quests.py:
the quest completes in the pass that sees it, if its goal is met then).
The completions, their reward points and reward badges are written in the ONE ledger
transaction that marks the batch handled, each guarded by the completion's primary key as
well: two API instances, or a retry after a crash, record it once.

A completion is judged as of the moment of the event that moved the learner (its `at`),
not when the handler runs, which may be seconds later (or, with Neo4j away, minutes): the
challenge must have been running then (started, not ended, not yet cancelled), progress
counts what was earned, held and unrevoked by then, and the completion is stamped just
after that moment (1 µs: a quest counts from after its unlocking, so the move that
completes one challenge does not count towards the next). So a challenge cancelled, or an
award revoked, between the award and the handler's run changes nothing, and a replay
after a crash judges the same. Two things are read as they are when the handler runs: the
learner's teams (the graph keeps no history of memberships; one who has left the class by
then completes nothing in it) and the challenge's goal (an edit is allowed only while it
runs, and applies to what is judged after it).
"""

import logging
from datetime import datetime, timedelta

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
JUST_AFTER = timedelta(microseconds=1)  # a completion, after the move that completed it


def _moves(event: OutboxEvent) -> bool:
    """Points earned, or a challenge completed (which may unlock a quest: quests.py)."""
    if event.topic == "points.recorded":
        return bool(event.payload["amount"] > 0)
    return event.topic == "challenge.completed"


def _moved(events: list[OutboxEvent]) -> dict[str, list[datetime]]:
    """Whose progress may have moved in this batch, and when."""
    moved: dict[str, list[datetime]] = {}
    for event in events:
        if _moves(event):
            at = datetime.fromisoformat(event.payload["at"])
            moved.setdefault(event.payload["accountId"], []).append(at)
    return moved


def _as_of(challenge: ChallengeRow, moved: dict[str, list[datetime]]) -> dict[str, datetime]:
    """Each learner's last move while the challenge ran: what their progress is judged at."""
    found = {}
    for account_id, times in moved.items():
        during = [at for at in times if challenges.open_at(challenge, at)]
        if during:
            found[account_id] = max(during)
    return found


class ChallengeCompletion:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    def handler(self) -> EventHandler:
        return EventHandler("challenges", ("points.recorded", "challenge.completed"), self.handle)

    async def handle(self, events: list[OutboxEvent], finish: Finish) -> None:
        moved = _moved(events)
        due = await self.due(moved) if moved else []

        async def work(conn: AsyncConnection) -> None:
            for challenge, account_id, at in due:
                await _complete(conn, challenge, account_id, at)

        await finish(work)

    async def due(
        self, moved: dict[str, list[datetime]]
    ) -> list[tuple[ChallengeRow, str, datetime]]:
        """Who reached which challenge's goal with these moves while it ran, not yet
        recorded, and when (the move that is judged)."""
        teams = await gamification.teams_of_learners(self.stores.graph, set(moved), MANAGERS)
        team_ids = {team_id for found in teams.values() for team_id in found}
        times = [at for found in moved.values() for at in found]
        due: list[tuple[ChallengeRow, str, datetime]] = []
        async with self.stores.ledger.reading() as conn:
            running = await challenges.running(conn, team_ids, min(times), max(times))
            # Recorded completions of every running challenge, in one read for all of them.
            done = await challenges.completions(conn, [c.id for c in running], set(moved))
            for challenge in running:
                takers = {
                    a: found
                    for a, found in moved.items()
                    if challenge.team_id in teams.get(a, ()) and (challenge.id, a) not in done
                }
                as_of = _as_of(challenge, takers)
                due += [
                    (challenge, a, as_of[a] + JUST_AFTER)
                    for a in await _due(conn, self.stores, challenge, as_of)
                ]
        return due


async def _due(
    conn: AsyncConnection, stores: Stores, challenge: ChallengeRow, as_of: dict[str, datetime]
) -> list[str]:
    """The takers (none with a completion recorded) who had reached the goal by their
    moment."""
    if not as_of:
        return []
    measured = await measure(conn, stores, challenge, sorted(as_of), now(), as_of)
    return [a for a, (current, target) in measured.items() if current >= target]


async def _complete(
    conn: AsyncConnection, challenge: ChallengeRow, account_id: str, at: datetime
) -> None:
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
