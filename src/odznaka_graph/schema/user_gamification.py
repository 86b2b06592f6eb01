"""Points, levels, streaks and achievements on a user."""

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.gamification import (
    Achievement,
    GamificationSettings,
    Level,
    PointEvent,
    Streak,
)
from odznaka_graph.services import gamification_reads


@strawberry.type
class UserGamificationFields:
    record: strawberry.Private[UserRecord]

    @field(description="All XP so far: the net of the user's points ledger.")
    async def xp(self, info: Info) -> int:
        return await gamification_reads.xp(info.context.loaders, self.record.id)

    @field(description="The level the XP gives.")
    async def level(self, info: Info) -> Level:
        return Level(record=await gamification_reads.level(info.context.loaders, self.record.id))

    @field(description="Weeks in a row with activity; the viewer's own only.")
    async def streak(self, info: Info) -> Streak | None:
        found = await gamification_reads.streak(info.context.loaders, self.record.id)
        if found is None:
            return None
        return Streak(
            current_weeks=found.current,
            best_weeks=found.best,
            active_this_week=found.active_this_week,
        )

    @field(description="Milestones, reached or not; the viewer's own only.")
    async def achievements(self, info: Info) -> list[Achievement]:
        found = await gamification_reads.milestones(info.context.loaders, self.record.id)
        return [Achievement(record=record) for record in found]

    @field(
        description="Every point given or taken, newest first, with its reason and source: "
        "the explanation of the XP and of every leaderboard; the viewer's own only."
    )
    async def point_history(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PointEvent] | None:
        page_window = window(info, first, after, last, before)
        page = await gamification_reads.history(info.context.loaders, self.record.id, page_window)
        return None if page is None else to_connection(page, lambda row: PointEvent(record=row))

    @field(description="Settings for points and leaderboards; the viewer's own only.")
    async def gamification_settings(self, info: Info) -> GamificationSettings | None:
        hidden = await gamification_reads.rank_hidden(info.context.loaders, self.record.id)
        return None if hidden is None else GamificationSettings(hide_rank_outside_class=hidden)
