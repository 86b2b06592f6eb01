"""The public badge catalogue: filters, sorts, facet counts."""

from enum import Enum

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id
from odznaka_graph.schema.arguments import UserInputError
from odznaka_graph.schema.badges import Badge, BadgeForm, BadgeKind
from odznaka_graph.schema.common import Connection, Language
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services import badge_reads
from odznaka_graph.services.badge_reads import CatalogueFilter


@describe_values(
    RELEVANCE="Best match of the search text first (the default with text).",
    NEWEST="Most recently published first.",
    NAME="By name, A to Z.",
    POPULARITY="Most current holders first.",
    WORKLOAD="Least workload first.",
)
@strawberry.enum(description="Orders for the badge catalogue.")
class BadgeSort(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    NAME = "NAME"
    POPULARITY = "POPULARITY"
    WORKLOAD = "WORKLOAD"


@describe_values(
    FREE="Free badges only.",
    PAID="Badges with a fee (a price, or ask the issuer).",
)
@strawberry.enum(description="FREE, or PAID (a price, or 'contact the issuer').")
class CostFilter(Enum):
    FREE = "FREE"
    PAID = "PAID"


@strawberry.input(description="Workload bounds in hours, both inclusive.")
class HoursRange:
    min: float | None = strawberry.field(
        default=None, description="At least this many hours; null: no lower bound."
    )
    max: float | None = strawberry.field(
        default=None, description="At most this many hours; null: no upper bound."
    )


@strawberry.input(description="Catalogue filters; all given ones must hold.")
class BadgeFilter:
    text: str | None = strawberry.field(
        default=None, description="Full-text search in Polish and English (relevance-ranked)."
    )
    kind: BadgeKind | None = strawberry.field(default=None, description="Formal or peer.")
    issuer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only badges of this organisation."
    )
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")
    skill_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only badges that teach this skill."
    )
    cost: CostFilter | None = strawberry.field(
        default=None, description="Free or paid badges only."
    )
    workload: HoursRange | None = strawberry.field(
        default=None, description="Only badges within these hours."
    )
    form: BadgeForm | None = strawberry.field(default=None, description="Only these forms.")
    eqf_level: int | None = strawberry.field(default=None, description="Only these EQF levels.")
    pqf_level: int | None = strawberry.field(default=None, description="Only these PQF levels.")
    language: Language | None = strawberry.field(
        default=None, description="Only badges described in this language."
    )


@strawberry.type(description="How many results carry one value.")
class FacetCount:
    value: str = strawberry.field(description="The facet's value, e.g. a tag or level.")
    count: int = strawberry.field(description="How many of the current results have it.")


@strawberry.type(description="Counts per value within the current results, for filter chips.")
class BadgeFacets:
    tags: list[FacetCount] = strawberry.field(description="Badges per tag, most common first.")
    forms: list[FacetCount] = strawberry.field(description="Badges per form.")
    eqf_levels: list[FacetCount] = strawberry.field(description="Badges per EQF level.")
    pqf_levels: list[FacetCount] = strawberry.field(description="Badges per PQF level.")
    costs: list[FacetCount] = strawberry.field(description="Badges per cost kind.")


@strawberry.type(description="A page of the catalogue, its total, and facet counts.")
class BadgeCatalogueConnection(Connection[Badge]):
    spec: strawberry.Private[CatalogueFilter]

    @field(description="Counts per tag, form, level and cost for these results.")
    async def facets(self, info: Info) -> BadgeFacets:
        found = await badge_reads.facets(info.context.loaders, self.spec)
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


def catalogue_filter(f: BadgeFilter) -> CatalogueFilter:
    """The filter a client sent, checked, as the catalogue reads it."""
    hours = f.workload
    if hours and hours.min is not None and hours.max is not None and hours.min > hours.max:
        raise UserInputError("`filter.workload.min` is larger than `max`.")
    return CatalogueFilter(
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
