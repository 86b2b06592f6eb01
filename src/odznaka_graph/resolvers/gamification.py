"""A user's XP and level (with their profile), and their own streak, achievements, points
history and settings (theirs only)."""

from collections.abc import Sequence

import strawberry

from odznaka_graph.clock import now
from odznaka_graph.context import Info
from odznaka_graph.graph_model import gamification
from odznaka_graph.ledger import points as ledger_points
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import dated_cursor, dated_page, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.gamification import (
    Achievement,
    GamificationSettings,
    GamificationSettingsResult,
    Level,
    PointEvent,
    Streak,
    UpdateGamificationSettingsInput,
)
from odznaka_graph.services import points
from odznaka_graph.services.achievements import achievements
from odznaka_graph.services.permissions import signed_in


async def xp_of(info: Info, user_id: str) -> int:
    """Net points of many users in one read per request (a list of profiles is one query)."""
    ledger = info.context.services.stores.ledger

    async def load(ids: Sequence[str]) -> list[int]:
        async with ledger.reading() as conn:
            found = await points.totals_between(conn, list(ids), None, None)
        return [max(found.get(i, 0), 0) for i in ids]

    return await info.context.loaders.extra("xp", load).load(user_id)


async def level_of(info: Info, user_id: str) -> Level:
    return Level(record=points.level_of(await xp_of(info, user_id)))


def _own(info: Info, user_id: str) -> bool:
    return info.context.viewer.id == user_id


async def _events(info: Info, user_id: str) -> list[ledger_points.PointEvent]:
    """The user's whole ledger, read once per request for the streak and the achievements."""
    ledger = info.context.services.stores.ledger

    async def load(ids: Sequence[str]) -> list[list[ledger_points.PointEvent]]:
        async with ledger.reading() as conn:
            return [await ledger_points.events_of(conn, user) for user in ids]

    return await info.context.loaders.extra("point_events", load).load(user_id)


async def streak_of(info: Info, user_id: str) -> Streak | None:
    if not _own(info, user_id):
        return None
    activity = [
        e.at for e in await _events(info, user_id) if e.reason in points.ACTIVITY and e.amount > 0
    ]
    found = points.streak_of(activity, now())
    return Streak(
        current_weeks=found.current,
        best_weeks=found.best,
        active_this_week=found.active_this_week,
    )


async def achievements_of(info: Info, user_id: str) -> list[Achievement]:
    if not _own(info, user_id):
        return []
    return [Achievement(record=found) for found in achievements(await _events(info, user_id))]


async def history_of(
    info: Info, user_id: str, first: int | None, after: str | None
) -> Connection[PointEvent] | None:
    """Newest first: every point with its reason and source, so totals can be explained."""
    if not _own(info, user_id):
        return None
    size = window(info, first, after, None, None).size
    before = dated_cursor(after)
    async with info.context.services.stores.ledger.reading() as conn:
        rows = await ledger_points.page_of(conn, user_id, size + 1, before)
        total = await ledger_points.count_of(conn, user_id)
    page = dated_page(rows, size, after, total, lambda row: row.at)
    return to_connection(page, lambda row: PointEvent(record=row))


async def settings_of(info: Info, user_id: str) -> GamificationSettings | None:
    if not _own(info, user_id):
        return None
    hidden = await gamification.hidden(info.context.services.stores.graph, user_id)
    return GamificationSettings(hide_rank_outside_class=hidden)


@strawberry.type
class GamificationMutations:
    @mutation(description="Your settings for points and leaderboards.")
    async def update_gamification_settings(
        self, info: Info, input: UpdateGamificationSettingsInput
    ) -> GamificationSettingsResult:
        async def command() -> bool:
            user_id = signed_in(info.context.viewer)
            graph = info.context.services.stores.graph
            await gamification.set_hidden(graph, user_id, input.hide_rank_outside_class)
            return input.hide_rank_outside_class

        async def saved(hidden: bool) -> GamificationSettings:
            return GamificationSettings(hide_rank_outside_class=hidden)

        return await as_result(command(), saved)
