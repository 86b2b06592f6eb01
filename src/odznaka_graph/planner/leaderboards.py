"""A planned leaderboard: `leaderboard(teamId:, challengeId:, window:)` with its window,
times, entries and the viewer's own entry, shaped from plain values without the
field-by-field executor. The board itself is the leaderboard service's
(services/leaderboards.py): one Cypher read of the team and its learners through the one
visibility service, one SQL read of their scores — the same rules, the same ranks. What
the plan does not take on (the team, the challenge, a learner's profile, a backward page,
a refusal such as a stranger's) goes to the executor, which answers it as always."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from graphql import GraphQLObjectType

from odznaka_graph.errors import DomainError
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.paging import decode_cursor
from odznaka_graph.planner.connections import PageArguments, connection
from odznaka_graph.planner.plan import Builder, Entries, Rule, Run, Shaper, Sources
from odznaka_graph.planner.selection import Asked, Unplannable
from odznaka_graph.services.leaderboards import Board, BoardWindow, Entry


def _leaderboard(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    key = b.key()
    team, challenge = asked.argument("teamId"), asked.argument("challengeId")
    window = asked.argument("window")
    board = b.object("Leaderboard", var, asked.selections)

    async def load(run: Run, sources: Sources) -> None:
        variables = run.binding.variables
        team_id = local_id(str(team.of(variables)), "Team")
        given = challenge.of(variables)
        challenge_id = local_id(str(given), "Challenge") if given is not None else None
        if team_id is None or (given is not None and challenge_id is None):
            raise Unplannable("not an id: the executor says which")
        chosen = window.of(variables) or "ALL_TIME"
        name = str(getattr(chosen, "name", chosen))
        service = sources.services.leaderboards
        visibility = sources.loaders().visibility
        try:
            run.found[key] = await service.board(
                run.viewer, team_id, challenge_id, BoardWindow(name), visibility
            )
        except DomainError as refused:  # the executor answers with the error
            raise Unplannable(refused.message) from None

    b.load(load)
    return [], lambda found, run: board.shape({"board": run.found[key]}, run)


def _of_board(read: Any) -> Rule:
    return lambda b, var, asked: ([], lambda found, run: read(found["board"]))


def _of_entry(read: Any) -> Rule:
    return lambda b, var, asked: ([], lambda found, run: read(found["entry"]))


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _entries(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    """The ranking's page, as `paging.list_page` gives it: cursors by position."""
    pages = PageArguments(b, asked)
    connection_type = b.field_type("Leaderboard", "entries")
    assert isinstance(connection_type, GraphQLObjectType)
    _, shape = connection(
        b, connection_type, asked, pages, lambda chosen: b.object("LeaderboardEntry", var, chosen)
    )

    def shaped(found: Mapping[str, Any], run: Run) -> dict[str, Any]:
        entries: list[Entry] = found["board"].entries
        page = pages.window(run.binding)
        start = 0
        if page.cursor is not None:
            position, _ = decode_cursor(page.cursor)
            if not isinstance(position, int):
                raise Unplannable("a cursor the executor refuses")
            start = position + 1
        chosen = range(max(start, 0), min(start + page.size + 1, len(entries)))
        rows = [[i, entries[i].learner.id, {"entry": entries[i]}] for i in chosen]
        return shape({"rows": rows, "total": len(entries)}, run)

    return [], shaped


def _viewer_entry(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    entry = b.object("LeaderboardEntry", var, asked.selections)

    def shape(found: Mapping[str, Any], run: Run) -> Any:
        board: Board = found["board"]
        mine = [e for e in board.entries if e.learner.id == board.viewer_id]
        return entry.shape({"entry": mine[0]}, run) if mine else None

    return [], shape


RULES: dict[str, dict[str, Rule]] = {
    "Query": {"leaderboard": _leaderboard},
    "Leaderboard": {
        "window": _of_board(lambda board: board.window.value),
        "since": _of_board(lambda board: _instant(board.since)),
        "until": _of_board(lambda board: _instant(board.until)),
        "entries": _entries,
        "viewerEntry": _viewer_entry,
    },
    "LeaderboardEntry": {
        "rank": _of_entry(lambda entry: entry.rank),
        "score": _of_entry(lambda entry: entry.score),
        "target": _of_entry(lambda entry: entry.target),
        "completedAt": _of_entry(lambda entry: _instant(entry.completed_at)),
        "userId": _of_entry(lambda entry: to_global("User", entry.learner.id)),
        "handle": _of_entry(lambda entry: entry.learner.handle),
        "displayName": _of_entry(lambda entry: entry.learner.display_name),
    },
}
