"""Read views of houses: a team's houses, their current members as the viewer may see
them, and their scores in a window — one SQL read of the houses and their members, and
one of the points of them all, whatever the number of houses (batched per request)."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from odznaka_graph.clock import now
from odznaka_graph.graph_model.gamification import Learner, TeamBoard
from odznaka_graph.ledger import houses
from odznaka_graph.ledger.houses import HouseRow
from odznaka_graph.services import points
from odznaka_graph.services.leaderboards import BoardWindow, shared_ranks, window_start
from odznaka_graph.services.loaders import Loaders

__all__ = ["HouseRow"]  # the record type the API names, re-exported


@dataclass(frozen=True)
class Standing:
    rank: int
    house: HouseRow
    score: int


async def _houses(loaders: Loaders, team_id: str) -> list[tuple[HouseRow, list[str]]]:
    """The team's houses by name, each with the account ids of its members (rows of
    former learners of the team included: `members` leaves them out)."""

    async def load(team_ids: Sequence[str]) -> list[list[tuple[HouseRow, list[str]]]]:
        async with loaders.ledger.reading() as conn:
            found = await houses.of_teams(conn, team_ids)
        return [found.get(team_id, []) for team_id in team_ids]

    return await loaders.extra("houses_by_team", load).load(team_id)  # type: ignore[no-any-return]


async def _board(loaders: Loaders, team_id: str) -> TeamBoard | None:
    """The team's learners now (the read the team's board makes, shared with it)."""
    return await loaders.visibility.team_board.load(team_id)


async def _current(loaders: Loaders, team_id: str) -> dict[str, list[str]]:
    """Each house's members who are learners of the team now, by house id."""
    found, board = await asyncio.gather(_houses(loaders, team_id), _board(loaders, team_id))
    learners = {x.id for x in board.learners} if board is not None else set()
    return {house.id: [a for a in members if a in learners] for house, members in found}


async def of_team(loaders: Loaders, team_id: str) -> list[HouseRow]:
    """The team's houses by name (the caller may see the team)."""
    return [house for house, _ in await _houses(loaders, team_id)]


async def member_count(loaders: Loaders, house: HouseRow) -> int:
    return len((await _current(loaders, house.team_id)).get(house.id, []))


async def members(loaders: Loaders, house: HouseRow) -> list[Learner]:
    """The house's members by name, those whose progress the viewer may see in the team
    (the rule of the team's board: visibility_service.shares_progress_among)."""
    board = await _board(loaders, house.team_id)
    if board is None:
        return []
    inside = set((await _current(loaders, house.team_id)).get(house.id, []))
    shown = loaders.visibility.shares_progress_among(board.learners, board.access.role)
    chosen = [x for x in shown if x.id in inside]
    return sorted(chosen, key=lambda x: (x.display_name.lower(), x.id))


async def scores(loaders: Loaders, team_id: str, window: BoardWindow) -> dict[str, int]:
    """Each house's score in the window: the sum of its current members' points."""

    async def load(team_ids: Sequence[str]) -> list[dict[str, int]]:
        found = await asyncio.gather(*(_current(loaders, t) for t in team_ids))
        current = dict(zip(team_ids, found, strict=True))
        everyone = sorted({a for found in current.values() for ids in found.values() for a in ids})
        async with loaders.ledger.reading() as conn:
            totals = await points.totals_between(conn, everyone, window_start(window, now()), None)
        return [
            {house: sum(totals.get(a, 0) for a in ids) for house, ids in current[t].items()}
            for t in team_ids
        ]

    loader = loaders.extra(f"house_scores_{window.value}", load)
    return await loader.load(team_id)  # type: ignore[no-any-return]


async def score(loaders: Loaders, house: HouseRow, window: BoardWindow) -> int:
    return (await scores(loaders, house.team_id, window)).get(house.id, 0)


async def ranking(loaders: Loaders, team_id: str, window: BoardWindow) -> list[Standing]:
    """The team's houses best first; equal scores share a rank (1, 2, 2, 4)."""
    found, scored = await of_team(loaders, team_id), await scores(loaders, team_id, window)
    ordered = sorted(
        ((house, scored.get(house.id, 0)) for house in found),
        key=lambda pair: (-pair[1], pair[0].name.lower(), pair[0].id),
    )
    return [Standing(rank, house, value) for rank, (house, value) in shared_ranks(ordered)]


async def house(loaders: Loaders, house_id: str) -> HouseRow | None:
    """A house just changed, read again (the caller may manage its team)."""
    async with loaders.ledger.reading() as conn:
        return await houses.by_id(conn, house_id)
