"""Everything the graph holds about one person (issue 14, data export): the User node's
properties and each relationship it has (memberships, follows, contacts, blocks, vouches,
attendance, path progress ...), with the ids and labels of what it links to."""

from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph

PERSONAL_DATA: LiteralString = """
MATCH (u:User {id: $id})
OPTIONAL MATCH (u)-[r]-(other)
// Who blocks the person is theirs to know, never the person's: incoming blocks stay out.
WHERE NOT (type(r) = 'BLOCKS' AND endNode(r) = u)
WITH u, r, other ORDER BY type(r), other.id
RETURN u {.*} AS profile,
       [x IN collect(CASE WHEN r IS NULL THEN NULL ELSE {
            relationship: type(r),
            direction: CASE WHEN startNode(r) = u THEN 'OUT' ELSE 'IN' END,
            labels: labels(other),
            id: other.id,
            properties: properties(r)
       } END) WHERE x IS NOT NULL] AS relationships
"""


async def personal_data(graph: Graph, user_id: str) -> dict[str, Any] | None:
    """{profile, relationships} of the person, or None when the graph has no such user."""
    rows = await graph.read(PERSONAL_DATA, id=user_id)
    return dict(rows[0]) if rows else None
