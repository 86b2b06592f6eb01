"""Badges waiting for quality review."""

from typing import LiteralString

from odznaka_graph.graph_model.badges import BadgeRecord, to_badge
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.keyed_pages import read_page
from odznaka_graph.paging import Page, Sort, Window

EMPTY: Page[BadgeRecord] = Page([], has_next=False, has_previous=False, total=0)
OLDEST_FIRST = Sort("b.updatedAt.epochMillis", ascending=True)

AWAITING_REVIEW: LiteralString = """
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
    return await read_page(graph, AWAITING_REVIEW, OLDEST_FIRST, "b", window, to_badge)
