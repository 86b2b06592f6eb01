"""The public badge catalogue: filters, sorts, facet counts."""

from enum import Enum

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.catalogue import CatalogueFilter
from odznaka_graph.schema.badges import Badge, BadgeForm, BadgeKind
from odznaka_graph.schema.common import Connection, Language
from odznaka_graph.schema.decorators import field


@strawberry.enum(description="Orders for the badge catalogue.")
class BadgeSort(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    NAME = "NAME"
    POPULARITY = "POPULARITY"
    WORKLOAD = "WORKLOAD"


@strawberry.enum(description="FREE, or PAID (a price, or 'contact the issuer').")
class CostFilter(Enum):
    FREE = "FREE"
    PAID = "PAID"


@strawberry.input(description="Workload bounds in hours, both inclusive.")
class HoursRange:
    min: float | None = None
    max: float | None = None


@strawberry.input(description="Catalogue filters; all given ones must hold.")
class BadgeFilter:
    text: str | None = strawberry.field(
        default=None, description="Full-text search in Polish and English (relevance-ranked)."
    )
    kind: BadgeKind | None = strawberry.field(default=None, description="Formal or peer.")
    issuer_id: strawberry.ID | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Any of these tags.")
    skill_id: strawberry.ID | None = None
    cost: CostFilter | None = None
    workload: HoursRange | None = None
    form: BadgeForm | None = None
    eqf_level: int | None = None
    pqf_level: int | None = None
    language: Language | None = strawberry.field(
        default=None, description="Only badges described in this language."
    )


@strawberry.type(description="How many results carry one value.")
class FacetCount:
    value: str
    count: int


@strawberry.type(description="Counts per value within the current results, for filter chips.")
class BadgeFacets:
    tags: list[FacetCount]
    forms: list[FacetCount]
    eqf_levels: list[FacetCount]
    pqf_levels: list[FacetCount]
    costs: list[FacetCount]


@strawberry.type(description="A page of the catalogue, its total, and facet counts.")
class BadgeCatalogueConnection(Connection[Badge]):
    spec: strawberry.Private[CatalogueFilter]

    @field(description="Counts per tag, form, level and cost for these results.")
    async def facets(self, info: Info) -> BadgeFacets:
        from odznaka_graph.resolvers.catalogue import catalogue_facets

        return await catalogue_facets(info, self.spec)
