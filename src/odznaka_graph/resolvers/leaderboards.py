"""leaderboard(teamId:, challengeId:, window:) and the boards of challenges."""

from collections.abc import Sequence

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.paging import BadCursor, list_page
from odznaka_graph.schema.arguments import ClientError, UserInputError, local, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.leaderboards import Leaderboard, LeaderboardEntry, LeaderboardWindow
from odznaka_graph.services.leaderboards import Board, BoardWindow, Entry


async def board(
    info: Info, team_id: str, challenge_id: str | None, board_window: BoardWindow
) -> Leaderboard:
    services = info.context.services
    try:
        found = await services.leaderboards.board(
            info.context.viewer,
            team_id,
            challenge_id,
            board_window,
            info.context.loaders.visibility,
        )
    except DomainError as error:
        raise ClientError(error.message, error.code) from None
    return Leaderboard(record=found)


async def challenge_board(info: Info, challenge: ChallengeRow) -> Leaderboard:
    """One board per challenge per request, however many fields ask for it."""

    async def load(ids: Sequence[str]) -> list[Leaderboard]:
        return [await board(info, challenge.team_id, i, BoardWindow.ALL_TIME) for i in ids]

    loader = info.context.loaders.extra("challenge_board", load)
    return await loader.load(challenge.id)


def entries_of(
    info: Info, record: Board, first: int | None, after: str | None
) -> Connection[LeaderboardEntry]:
    try:
        page = list_page(record.entries, window(info, first, after, None, None), _entry_id)
    except BadCursor as error:
        raise UserInputError(str(error)) from None
    return to_connection(page, lambda entry: LeaderboardEntry(record=entry))


def _entry_id(entry: Entry) -> str:
    return entry.learner.id


@strawberry.type
class LeaderboardQueries:
    @field(
        description="A team's learners ranked by points in a window (this week, this term, "
        "all time), or by progress on one of its challenges (then the window is the "
        "challenge's own). For the team's members (a learner sees the classmates whose "
        "profile shows them their awards); its organisation's owners and admins see it "
        "without the learners who keep their rank inside the class."
    )
    async def leaderboard(
        self,
        info: Info,
        team_id: strawberry.ID,
        challenge_id: strawberry.ID | None = None,
        window: LeaderboardWindow = LeaderboardWindow.ALL_TIME,
    ) -> Leaderboard:
        try:
            team = local(team_id, "Team", "teamId")
            challenge = local(challenge_id, "Challenge", "challengeId") if challenge_id else None
        except DomainError as error:
            raise UserInputError(error.message) from None
        return await board(info, team, challenge, BoardWindow(window.name))
