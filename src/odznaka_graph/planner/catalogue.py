"""Planned catalogue search: `badges(filter: {text: ...})` by relevance, the way the
catalogue (graph_model/catalogue.py) reads it — the same two full-text indexes, the same
score order and cursors — in the operation's one query. Other filters, other sorts, no
text, and the facets are left to the executor."""

from collections.abc import Mapping
from typing import Any

from odznaka_graph.graph_model.catalogue import text_match
from odznaka_graph.graph_model.search_text import english_query, folded_query
from odznaka_graph.planner.connections import PageArguments, asks_total, connection
from odznaka_graph.planner.plan import (
    Binding,
    Builder,
    Entries,
    Object,
    Rule,
    Run,
    Shaper,
    cypher_map,
)
from odznaka_graph.planner.selection import Asked, Unplannable, Value

FILTER_FIELDS = (
    "kind",
    "issuerId",
    "issuer_id",
    "tags",
    "skillId",
    "skill_id",
    "cost",
    "workload",
    "form",
    "eqfLevel",
    "eqf_level",
    "pqfLevel",
    "pqf_level",
    "language",
)


def search_text(value: Any) -> str:
    """The filter's text as `catalogue_filter` takes it; Unplannable for any other filter."""
    if value is None:
        raise Unplannable("no text: the newest badges, by the executor")
    given = value if isinstance(value, Mapping) else vars(value)
    if any(given.get(name) not in (None, [], ()) for name in FILTER_FIELDS):
        raise Unplannable("a filter besides the text")
    text = (given.get("text") or "").strip()[:200]
    if not text:
        raise Unplannable("no text")
    return str(text)


def _sort(value: Value, binding: Binding) -> None:
    sort = value.of(binding.variables)
    name = getattr(sort, "name", sort)
    if sort is not None and name != "RELEVANCE":
        raise Unplannable("a sort other than relevance")


def _badges(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    key, badge = b.key(), b.variable("b")
    folded, english = b.param("folded"), b.param("english")
    pages = PageArguments(b, asked)
    chosen, sort = asked.argument("filter"), asked.argument("sort")

    def bind(binding: Binding) -> dict[str, Any]:
        _sort(sort, binding)
        text = search_text(chosen.of(binding.variables))
        terms = (folded_query(text), english_query(text))
        if terms[0] is None or terms[1] is None:
            raise Unplannable("nothing to search for")
        return {folded: terms[0], english: terms[1]}

    b.bind(bind)

    def node(selections: tuple[Any, ...]) -> Object:
        return b.object("Badge", badge, selections)

    kind = b.field_type("Query", "badges")
    node_object, shape_page = connection(b, kind, asked, pages, node)
    found = text_match(badge, folded, english) + f" WHERE {badge}:PublicBadge"
    after = pages.after_condition("score", f"{badge}.id")
    row = f"[score, {badge}.id, {cypher_map(node_object.entries)}]"
    if asks_total(b, kind, asked):
        # The index is searched once: the total is the count of every match, the page
        # the matches after the cursor.
        matched = b.variable("matched")
        b.prelude.append(
            f"CALL () {{ {found} WITH collect([{badge}, score]) AS {matched} "
            f"RETURN size({matched}) AS {key}_total, COLLECT {{ UNWIND {matched} AS pair "
            f"WITH pair[0] AS {badge}, pair[1] AS score WHERE {after} "
            f"WITH {badge}, score ORDER BY score DESC, {badge}.id DESC LIMIT ${pages.limit} "
            f"RETURN {row} }} AS {key}_rows }}"
        )
    else:
        b.prelude.append(
            f"CALL () {{ {found} AND {after} WITH {badge}, score "
            f"ORDER BY score DESC, {badge}.id DESC LIMIT ${pages.limit} "
            f"RETURN 0 AS {key}_total, collect({row}) AS {key}_rows }}"
        )

    def shape(row: Mapping[str, Any], run: Run) -> Any:
        return shape_page(row[key], run)

    return [(key, f"{{total: {key}_total, rows: {key}_rows}}")], shape


RULES: dict[str, dict[str, Rule]] = {"Query": {"badges": _badges}}
