"""The public catalogue of badges."""

from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model import catalogue as search
from odznaka_graph.ids import local_id
from odznaka_graph.schema.arguments import UserInputError, window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.catalogue import (
    BadgeCatalogueConnection,
    BadgeFacets,
    BadgeFilter,
    BadgeSort,
    FacetCount,
)
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field


def _id(value: str | None, type_name: str, field: str) -> str | None:
    if value is None:
        return None
    found = local_id(value, type_name)
    if found is None:
        raise UserInputError(f"`filter.{field}` is not an id of type {type_name}.")
    return found


def _level(value: int | None, field: str) -> int | None:
    if value is not None and not 1 <= value <= 8:
        raise UserInputError(f"`filter.{field}` must be a level from 1 to 8.")
    return value


def catalogue_filter(f: BadgeFilter) -> search.CatalogueFilter:
    hours = f.workload
    if hours and hours.min is not None and hours.max is not None and hours.min > hours.max:
        raise UserInputError("`filter.workload.min` is larger than `max`.")
    return search.CatalogueFilter(
        text=(f.text or "").strip()[:200] or None,
        kind=f.kind.value if f.kind else None,
        organization_id=_id(f.issuer_id, "Organization", "issuerId"),
        tags=tuple(tag.strip().lower() for tag in f.tags or [] if tag.strip()),
        skill_id=_id(f.skill_id, "Skill", "skillId"),
        cost=f.cost.value if f.cost else None,
        min_hours=hours.min if hours else None,
        max_hours=hours.max if hours else None,
        form=f.form.value if f.form else None,
        eqf_level=_level(f.eqf_level, "eqfLevel"),
        pqf_level=_level(f.pqf_level, "pqfLevel"),
        language=f.language.value if f.language else None,
    )


async def catalogue_page(
    info: Info, spec: search.CatalogueFilter, sort: str, *page_args: Any, kind: type = Connection
) -> Any:
    page = await search.catalogue(
        info.context.services.stores.graph, spec, sort, window(info, *page_args)
    )
    extra = {"spec": spec} if kind is BadgeCatalogueConnection else {}
    return to_connection(page, lambda record: Badge(record=record), kind, **extra)


async def catalogue_facets(info: Info, spec: search.CatalogueFilter) -> BadgeFacets:
    found = await search.facets(info.context.services.stores.graph, spec)
    counts = {
        name: [FacetCount(value=value, count=n) for value, n in values]
        for name, values in found.items()
    }
    return BadgeFacets(
        tags=counts["tags"],
        forms=counts["forms"],
        eqf_levels=counts["eqfLevels"],
        pqf_levels=counts["pqfLevels"],
        costs=counts["costs"],
    )


@strawberry.type
class CatalogueQueries:
    @field(description="The public catalogue: published, public badges; searchable and filterable.")
    async def badges(
        self,
        info: Info,
        filter: BadgeFilter | None = None,
        sort: BadgeSort | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> BadgeCatalogueConnection:
        spec = catalogue_filter(filter or BadgeFilter())
        order = sort or (BadgeSort.RELEVANCE if spec.text else BadgeSort.NEWEST)
        return await catalogue_page(
            info, spec, order.value, first, after, last, before, kind=BadgeCatalogueConnection
        )
