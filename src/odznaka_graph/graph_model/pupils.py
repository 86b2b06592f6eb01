"""Pupils in the graph: User nodes of accounts a teacher enrolled, students of the class.

The ledger writes first (account.registered, profile.updated); this puts the same nodes
in place at once with their protections (MERGE: the projection sets the same values), so
the class has its pupils as soon as enrolPupils answers.
"""

from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph

ENROL: LiteralString = """
MATCH (t:Team {id: $teamId})
UNWIND $pupils AS p
MERGE (u:User {id: p.id})
ON CREATE SET u.createdAt = $now
SET u.handle = p.handle, u.displayName = p.displayName, u += p.props
MERGE (u)-[m:MEMBER_OF]->(t)
ON CREATE SET m.role = 'STUDENT', m.since = $now
RETURN count(u) AS enrolled
"""


async def enrol(graph: Graph, team_id: str, pupils: list[dict[str, Any]], at: datetime) -> int:
    """`pupils`: {id, handle, displayName, props}; how many are in the class now."""
    rows = await graph.write(ENROL, teamId=team_id, pupils=pupils, now=at)
    return int(rows[0]["enrolled"]) if rows else 0
