"""The reviewers' queue."""

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.services import badge_reads


@strawberry.type
class ReviewQueries:
    @field(description="Badges waiting for quality review, oldest first (reviewers).")
    async def review_queue(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Badge]:
        asked = window(info, first, after, last, before)
        page = await badge_reads.review_queue(info.context.loaders, asked)
        queue: Connection[Badge] = to_connection(page, lambda record: Badge(record=record))
        return queue
