"""Leaderboards of a team or of one of its challenges."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError
from odznaka_graph.paging import list_page
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import ClientError, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.person import PersonFacts, PersonRow
from odznaka_graph.services import team_reads
from odznaka_graph.services.challenge_reads import ChallengeRow
from odznaka_graph.services.leaderboards import Board, BoardWindow, Entry

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
class LeaderboardEntry(
    PersonRow,
    who="learner",
    profile="The learner's profile, when the viewer may see it.",
    last=True,
):
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

    def person(self) -> PersonFacts:
        learner = self.record.learner
        return Named(learner.id, learner.handle, learner.display_name)


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
        from odznaka_graph.schema.teams import Team  # teams list challenges, with boards

        record = await team_reads.team(info.context.loaders, self.record.team_id)
        return Team(record=record) if record is not None else None

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
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LeaderboardEntry]:
        page = list_page(self.record.entries, window(info, first, after, last, before), _entry_id)
        return to_connection(page, lambda entry: LeaderboardEntry(record=entry))

    @field(description="The viewer's own entry, if they are ranked here.")
    def viewer_entry(self) -> LeaderboardEntry | None:
        mine = [e for e in self.record.entries if e.learner.id == self.record.viewer_id]
        return LeaderboardEntry(record=mine[0]) if mine else None


def _entry_id(entry: Entry) -> str:
    return entry.learner.id


@dataclass(frozen=True)
class Named:
    """A learner as a person row names them."""

    user_id: str
    handle: str
    display_name: str


async def board(
    info: Info, team_id: str, challenge_id: str | None, board_window: BoardWindow
) -> Leaderboard:
    """A team's board (or a challenge's); refusals are GraphQL errors with their code."""
    context = info.context
    try:
        found = await context.services.leaderboards.board(
            context.viewer, team_id, challenge_id, board_window, context.loaders.visibility
        )
    except DomainError as error:
        raise ClientError.of(error) from None
    return Leaderboard(record=found)


async def challenge_board(info: Info, challenge: ChallengeRow) -> Leaderboard:
    """One board per challenge per request, however many fields ask for it."""

    async def load(ids: Sequence[str]) -> list[Leaderboard]:
        return [await board(info, challenge.team_id, i, BoardWindow.ALL_TIME) for i in ids]

    loader = info.context.loaders.extra("challenge_board", load)
    return cast(Leaderboard, await loader.load(challenge.id))
