"""Read views of challenges: a team's challenges and what a challenge points at."""

from collections.abc import Sequence

from odznaka_graph.clock import now
from odznaka_graph.graph_model import paths
from odznaka_graph.graph_model.paths import PathRecord
from odznaka_graph.graph_model.teams import TeamRecord
from odznaka_graph.ledger import challenges
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.paging import Page, Window
from odznaka_graph.services import quests, team_reads
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.teams import MANAGERS
from odznaka_graph.services.visibility import can_see_path

__all__ = ["ChallengeRow"]  # the record type the API names, re-exported


async def of_team(loaders: Loaders, team: TeamRecord, window: Window) -> Page[ChallengeRow]:
    """A page of the team's challenges, newest first (the caller may see the team)."""
    async with loaders.ledger.reading() as conn:
        return await challenges.of_team(conn, team.id, window)


async def goal_path(loaders: Loaders, path_id: str) -> PathRecord | None:
    """A challenge's path, when the viewer may see it (read with the request's other
    paths)."""
    viewer_id = loaders.viewer.id

    async def load(ids: Sequence[str]) -> list[PathRecord | None]:
        found = await paths.paths_by_ids(loaders.graph, list(ids), viewer_id)
        return [found.get(i) for i in ids]

    record = await loaders.extra("path_by_id", load).load(path_id)
    return record if record is not None and can_see_path(loaders.viewer, record) else None


async def viewer_locked(loaders: Loaders, challenge: ChallengeRow) -> bool | None:
    """Whether the challenge is a quest the viewer has not unlocked yet (quests.py); null
    for those who are not learners of its team. Every challenge of the request in one
    batch (three reads at most)."""
    viewer_id = loaders.viewer.id
    team = await team_reads.team(loaders, challenge.team_id)
    if viewer_id is None or team is None or team.viewer_role in (None, *MANAGERS):
        return None
    if not quests.is_quest(challenge):
        return False

    async def load(ids: Sequence[str]) -> list[bool]:
        async with loaders.ledger.reading() as conn:
            rows = await challenges.by_ids(conn, ids)
            opened = await quests.unlocked(conn, list(rows.values()), [viewer_id], now())
        return [(i, viewer_id) not in opened for i in ids]

    return await loaders.extra("challenge_locked", load).load(challenge.id)  # type: ignore[no-any-return]


async def challenge_row(loaders: Loaders, challenge_id: str) -> ChallengeRow | None:
    """A challenge named by another of the same team (what unlocks a quest), batched."""

    async def load(ids: Sequence[str]) -> list[ChallengeRow | None]:
        async with loaders.ledger.reading() as conn:
            found = await challenges.by_ids(conn, ids)
        return [found.get(i) for i in ids]

    return await loaders.extra("challenge_by_id", load).load(challenge_id)  # type: ignore[no-any-return]
