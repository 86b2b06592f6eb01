"""The public badge catalogue: full-text search in Polish and English, filters that
combine, facet counts and stable keyset pages, all for published public badges."""

from dataclasses import dataclass
from typing import Any, LiteralString

from odznaka_graph.graph_model.badges import BADGE_PROJECTION, BadgeRecord, to_badge
from odznaka_graph.graph_model.driver import Graph, generated
from odznaka_graph.graph_model.keyed_pages import Part, read_page
from odznaka_graph.graph_model.search_text import english_query, folded_query
from odznaka_graph.paging import Page, Sort, Window

ALL_PUBLIC: LiteralString = "MATCH (b:PublicBadge)"


# Two indexes because Neo4j has an English analyzer (with stemming) but no Polish one:
# Polish and the other languages are folded to ASCII and matched by stem prefixes.
def text_match(badge: str, folded: str, english: str) -> LiteralString:
    """Badges (as `badge`) with their best `score` for the two Lucene query parameters."""
    return generated(
        "CALL () {\n"
        f"  CALL db.index.fulltext.queryNodes('badge_search_folded', ${folded}) YIELD node, score\n"
        "  RETURN node, score\n"
        "  UNION ALL\n"
        f"  CALL db.index.fulltext.queryNodes('badge_search_en', ${english}) YIELD node, score\n"
        "  RETURN node, score\n"
        "}\n"
        f"WITH node AS {badge}, max(score) AS score"
    )


TEXT_MATCH: LiteralString = text_match("b", "folded", "english")

PAGE: LiteralString = """
CALL () {{
  {match} {where}
  RETURN count(b) AS total
}}
CALL () {{
  {match} {where_page}
  WITH {carry} ORDER BY {order} LIMIT $limit
  OPTIONAL MATCH (b)-[:ISSUED_BY]->(o:Organization)
  RETURN collect([{key}, b.id, {badge}]) AS rows
}}
RETURN total, rows
"""

FACET: LiteralString = """
CALL () {{
  {match} {where}
  UNWIND {values} AS value
  WITH value, count(*) AS n WHERE value IS NOT NULL
  ORDER BY n DESC, value LIMIT 30
  RETURN collect([toString(value), n]) AS {name}
}}"""

FACET_VALUES: dict[LiteralString, LiteralString] = {
    "tags": "coalesce(b.tags, [])",
    "forms": "[b.form]",
    "eqfLevels": "[b.eqfLevel]",
    "pqfLevels": "[b.pqfLevel]",
    "costs": (
        "[CASE WHEN b.costKind = 'FREE' THEN 'FREE' WHEN b.costKind IS NOT NULL THEN 'PAID' END]"
    ),
}

SORTS = {
    "RELEVANCE": Sort("score", ascending=False),
    "NEWEST": Sort("b.publishedKey", ascending=False, unique=True),
    "NAME": Sort("b.sortName", ascending=True),
    "POPULARITY": Sort("coalesce(b.holders, 0)", ascending=False),
    "WORKLOAD": Sort("coalesce(b.workloadHours, 0.0)", ascending=True),
}


@dataclass(frozen=True)
class CatalogueFilter:
    text: str | None = None
    kind: str | None = None
    organization_id: str | None = None
    tags: tuple[str, ...] = ()
    skill_id: str | None = None
    cost: str | None = None  # FREE, or PAID (priced or "contact the issuer")
    min_hours: float | None = None
    max_hours: float | None = None
    form: str | None = None
    eqf_level: int | None = None
    pqf_level: int | None = None
    language: str | None = None


# Each filter: (the field on CatalogueFilter, its Cypher condition, its parameter value).
CONDITIONS: list[tuple[str, LiteralString]] = [
    ("kind", "b.kind = $kind"),
    ("organization_id", "EXISTS { (b)-[:ISSUED_BY]->(:Organization {id: $organization_id}) }"),
    ("tags", "any(tag IN $tags WHERE tag IN b.tags)"),
    ("skill_id", "EXISTS { (b)-[:TEACHES]->(:Skill {id: $skill_id}) }"),
    ("min_hours", "b.workloadHours >= $min_hours"),
    ("max_hours", "b.workloadHours <= $max_hours"),
    ("form", "b.form = $form"),
    ("eqf_level", "b.eqfLevel = $eqf_level"),
    ("pqf_level", "b.pqfLevel = $pqf_level"),
    ("language", "b['name_' + $language] IS NOT NULL"),
]
COST: dict[str, LiteralString] = {
    "FREE": "b.costKind = 'FREE'",
    "PAID": "b.costKind IN ['PAID', 'CONTACT_ISSUER']",
}


def _filters(f: CatalogueFilter) -> tuple[list[LiteralString], dict[str, Any]]:
    clauses: list[LiteralString] = []
    params: dict[str, Any] = {}
    for field, condition in CONDITIONS:
        value = getattr(f, field)
        if value is not None and value != ():
            clauses.append(condition)
            params[field] = list(value) if isinstance(value, tuple) else value
    if f.cost is not None:
        clauses.append(COST[f.cost])
    return clauses, params


# Equality filters backed by an index, most selective first: the planner is told to start
# from the first one given (left alone, it tends to start from a wide workload range).
HINTS: tuple[tuple[str, LiteralString], ...] = (
    ("eqf_level", "eqfLevel"),
    ("pqf_level", "pqfLevel"),
    ("form", "form"),
    ("kind", "kind"),
)


def _hint(f: CatalogueFilter) -> LiteralString:
    for field, key in HINTS:
        if getattr(f, field) is not None:
            return f" USING INDEX b:PublicBadge({key})"
    return ""


@dataclass(frozen=True)
class _Query:
    """The parts of a catalogue query: where rows come from and what must hold."""

    match: LiteralString
    conditions: list[LiteralString]
    params: dict[str, Any]
    searching: bool

    def where(self, *extra: LiteralString) -> LiteralString:
        clauses: list[LiteralString] = [c for c in (*self.conditions, *extra) if c != "true"]
        return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _query(f: CatalogueFilter) -> _Query:
    conditions, params = _filters(f)
    folded, english = (folded_query(f.text), english_query(f.text)) if f.text else (None, None)
    if folded is None or english is None:
        return _Query(ALL_PUBLIC + _hint(f), conditions, params, searching=False)
    params |= {"folded": folded, "english": english}
    return _Query(TEXT_MATCH, ["b:PublicBadge", *conditions], params, searching=True)


async def catalogue(
    graph: Graph, f: CatalogueFilter, sort_name: str, window: Window
) -> Page[BadgeRecord]:
    """One page and the total, in one round trip."""
    q = _query(f)
    if sort_name == "RELEVANCE" and not q.searching:
        sort_name = "NEWEST"  # nothing to be relevant to
    parts: dict[str, Part] = {
        "match": q.match,
        "where": q.where(),
        "where_page": q.where,  # with the keyset condition
        "carry": "b, score" if q.searching else "b",
        "badge": BADGE_PROJECTION,
    }
    sort = SORTS[sort_name]
    return await read_page(graph, PAGE, sort, "b", window, to_badge, parts, **q.params)


async def facets(graph: Graph, f: CatalogueFilter) -> dict[str, list[tuple[str, int]]]:
    """How many results carry each tag, form, level and cost, in one round trip."""
    q = _query(f)
    parts: list[LiteralString] = [
        FACET.format(match=q.match, where=q.where(), values=values, name=name)
        for name, values in FACET_VALUES.items()
    ]
    query = "\n".join(parts) + "\nRETURN " + ", ".join(FACET_VALUES)
    rows = await graph.read(query, **q.params)
    return {name: [(value, n) for value, n in rows[0][name]] for name in FACET_VALUES}
