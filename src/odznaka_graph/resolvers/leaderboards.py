"""leaderboard(teamId:, challengeId:, window:)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError
from odznaka_graph.schema.args import ChallengeId, TeamId, described
from odznaka_graph.schema.arguments import UserInputError, local
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.leaderboards import Leaderboard, LeaderboardWindow, board
from odznaka_graph.services.leaderboards import BoardWindow


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
        team_id: TeamId,
        challenge_id: ChallengeId = None,
        window: Annotated[
            LeaderboardWindow, described("The time points count in.")
        ] = LeaderboardWindow.ALL_TIME,
    ) -> Leaderboard:
        try:
            team = local(team_id, "Team", "teamId")
            challenge = local(challenge_id, "Challenge", "challengeId") if challenge_id else None
        except DomainError as error:
            raise UserInputError(error.message, error.reason) from None
        return await board(info, team, challenge, BoardWindow(window.name))
