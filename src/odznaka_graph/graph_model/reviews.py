"""Badges waiting for quality review."""

from odznaka_graph.graph_model.badges import BadgeRecord, to_badge
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.paging import Page, Sort, Window, keyset, make_page

EMPTY: Page[BadgeRecord] = Page([], has_next=False, has_previous=False, total=0)
OLDEST_FIRST = Sort("b.updatedAt.epochMillis", ascending=True)

AWAITING_REVIEW = """
CALL () {{
  MATCH (b:Badge {{status: 'SUBMITTED'}}) RETURN count(b) AS total
}}
CALL () {{
  MATCH (b:Badge {{status: 'SUBMITTED'}}) WHERE {after}
  WITH b ORDER BY {order} LIMIT $limit
  MATCH (b)-[:ISSUED_BY]->(o:Organization)
  RETURN collect([{key}, b.id, b {{.*, organizationId: o.id}}]) AS rows
}}
RETURN total, rows
"""


async def awaiting_review(graph: Graph, window: Window) -> Page[BadgeRecord]:
    after, order, cursor_params = keyset(OLDEST_FIRST, window, "b")
    query = AWAITING_REVIEW.format(after=after, order=order, key=OLDEST_FIRST.expression)
    rows = await graph.read(query, limit=window.size + 1, **cursor_params)
    items = [(key, item_id, to_badge(props)) for key, item_id, props in rows[0]["rows"]]
    return make_page(items, window, rows[0]["total"])
