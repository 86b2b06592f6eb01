"""Leaderboards of a team or of one of its challenges."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.common import Connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.services.leaderboards import Board, Entry

if TYPE_CHECKING:
    from odznaka_graph.schema.challenges import Challenge
    from odznaka_graph.schema.teams import Team

ChallengeRef = Annotated["Challenge", strawberry.lazy("odznaka_graph.schema.challenges")]
TeamRef = Annotated["Team", strawberry.lazy("odznaka_graph.schema.teams")]


@strawberry.enum(description="The time a team leaderboard counts points in (Polish time).")
class LeaderboardWindow(Enum):
    WEEK = strawberry.enum_value("WEEK", description="This week, from Monday.")
    TERM = strawberry.enum_value(
        "TERM", description="This school term, from 1 September or 1 February."
    )
    ALL_TIME = strawberry.enum_value("ALL_TIME", description="Everything.")


@strawberry.type(description="One learner's place on a leaderboard.")
class LeaderboardEntry:
    record: strawberry.Private[Entry]

    @field(
        description="1 for the top; equal scores share a rank and the next rank skips "
        "(1, 2, 2, 4). Equal scores are listed by name."
    )
    def rank(self) -> int:
        return self.record.rank

    @field(
        description="Points in the window; on a challenge's board, progress towards its "
        "goal (badges earned, path percent, or points)."
    )
    def score(self) -> int:
        return self.record.score

    @field(description="On a challenge's board, the goal's size; else null.")
    def target(self) -> int | None:
        return self.record.target

    @field(description="On a challenge's board, when the learner completed it.")
    def completed_at(self) -> datetime | None:
        return self.record.completed_at

    @field(description="The learner's user id.")
    def user_id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.record.learner.id))

    @field(description="The learner's handle.")
    def handle(self) -> str:
        return self.record.learner.handle

    @field(description="The learner's display name.")
    def display_name(self) -> str:
        return self.record.learner.display_name

    @field(description="The learner's profile, when the viewer may see it.")
    async def user(self, info: Info) -> User | None:
        from odznaka_graph.resolvers.accounts import user_by_id

        return await user_by_id(info, self.record.learner.id)


@strawberry.type(
    description="A ranking of a team's learners (teachers and leaders are not ranked). "
    "Seen from outside the team (by its organisation's owners and admins), learners who "
    "keep their rank inside the class are left out. A learner sees the classmates whose "
    "profile shows them their awards, ranked among themselves; teachers see everyone; "
    "nobody sees someone who blocks them."
)
class Leaderboard:
    record: strawberry.Private[Board]

    @field(description="The team.")
    async def team(self, info: Info) -> TeamRef | None:
        from odznaka_graph.resolvers.teams import team_by_id

        return await team_by_id(info, self.record.team_id)

    @field(description="The challenge, for a challenge's board.")
    def challenge(self) -> ChallengeRef | None:
        from odznaka_graph.schema.challenges import Challenge

        found = self.record.challenge
        return Challenge(record=found) if found else None

    @field(description="The window asked for (a challenge counts its own dates).")
    def window(self) -> LeaderboardWindow:
        return LeaderboardWindow[self.record.window.value]

    @field(description="Start of the counted time; null for all time.")
    def since(self) -> datetime | None:
        return self.record.since

    @field(description="End of the counted time (a challenge's deadline), or null.")
    def until(self) -> datetime | None:
        return self.record.until

    @field(description="The ranking, best first.")
    def entries(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[LeaderboardEntry]:
        from odznaka_graph.resolvers.leaderboards import entries_of

        return entries_of(info, self.record, first, after)

    @field(description="The viewer's own entry, if they are ranked here.")
    def viewer_entry(self) -> LeaderboardEntry | None:
        mine = [e for e in self.record.entries if e.learner.id == self.record.viewer_id]
        return LeaderboardEntry(record=mine[0]) if mine else None
