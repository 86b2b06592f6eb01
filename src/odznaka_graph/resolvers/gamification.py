"""updateGamificationSettings: the viewer's settings for points and leaderboards."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.gamification import (
    GamificationSettings,
    GamificationSettingsResult,
    UpdateGamificationSettingsInput,
)


async def _saved(hidden: bool) -> GamificationSettings:
    return GamificationSettings(hide_rank_outside_class=hidden)


@strawberry.type
class GamificationMutations:
    @mutation(description="Your settings for points and leaderboards.")
    async def update_gamification_settings(
        self, info: Info, input: Annotated[UpdateGamificationSettingsInput, INPUT]
    ) -> GamificationSettingsResult:
        work = info.context.services.gamification.set_rank_hidden(
            info.context.viewer, input.hide_rank_outside_class
        )
        return await as_result(work, _saved)
