"""The public catalogue of badges."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.schema.args import After, Before, First, Last, described
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.catalogue import (
    BadgeCatalogueConnection,
    BadgeFilter,
    BadgeSort,
    catalogue_filter,
)
from odznaka_graph.schema.common import to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.services import badge_reads


@strawberry.type
class CatalogueQueries:
    @field(description="The public catalogue: published, public badges; searchable and filterable.")
    async def badges(
        self,
        info: Info,
        filter: Annotated[
            BadgeFilter | None,
            described("Which badges: text, tags, issuer, skill, cost, levels..."),
        ] = None,
        sort: Annotated[
            BadgeSort | None, described("Order; by relevance with text, else newest.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> BadgeCatalogueConnection:
        spec = catalogue_filter(filter or BadgeFilter())
        order = sort or (BadgeSort.RELEVANCE if spec.text else BadgeSort.NEWEST)
        asked = window(info, first, after, last, before)
        page = await badge_reads.catalogue(info.context.loaders, spec, order.value, asked)
        catalogue: BadgeCatalogueConnection = to_connection(
            page, lambda r: Badge(record=r), BadgeCatalogueConnection, spec=spec
        )
        return catalogue
