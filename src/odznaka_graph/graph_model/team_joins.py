"""Joining a team by its code: at once, or by asking when the team wants approval.

`(:User)-[:ASKED_TO_JOIN {since}]->(:Team)` until a teacher or leader answers.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import LiteralString

from odznaka_graph.graph_model.driver import Graph, native

MAX_REQUESTS = 100

# A live code joins at once, or asks to join when the team wants approval. MERGE between
# two bound nodes locks both, so a double-click joins (or asks) once. Codes without an
# expiry (made before codes expired) no longer work: the teacher rotates them.
JOIN_BY_CODE: LiteralString = """
MATCH (t:Team {code: $code}) WHERE t.codeExpiresAt > $now
MATCH (u:User {id: $userId})
OPTIONAL MATCH (u)-[was:MEMBER_OF]->(t)
WITH t, u, was, was IS NULL AND coalesce(t.joinApproval, false) AS asking
CALL (t, u, was, asking) {
  WITH * WHERE was IS NULL AND NOT asking
  MERGE (u)-[m:MEMBER_OF]->(t)
  ON CREATE SET m.role = $joinRoles[t.kind], m.since = $now
}
CALL (t, u, asking) {
  WITH * WHERE asking
  MERGE (u)-[r:ASKED_TO_JOIN]->(t)
  ON CREATE SET r.since = $now
}
RETURN t.id AS id, CASE WHEN asking THEN 'ASKED' WHEN was IS NULL THEN 'JOINED'
  ELSE 'ALREADY' END AS outcome
"""

SET_JOIN_APPROVAL: LiteralString = "MATCH (t:Team {id: $teamId}) SET t.joinApproval = $approval"

# Approving turns the request into a membership; rejecting (or approving someone who
# never asked) changes nothing else.
ANSWER_REQUEST: LiteralString = """
MATCH (u:User {id: $userId})-[r:ASKED_TO_JOIN]->(t:Team {id: $teamId})
DELETE r
WITH u, t
CALL (u, t) {
  WITH * WHERE $approve
  MERGE (u)-[m:MEMBER_OF]->(t)
  ON CREATE SET m.role = $joinRoles[t.kind], m.since = $now
}
RETURN t.id AS id
"""

JOIN_REQUESTS: LiteralString = """
MATCH (u:User)-[r:ASKED_TO_JOIN]->(:Team {id: $teamId})
WITH u, r ORDER BY r.since DESC LIMIT $limit
RETURN u.id AS userId, u.handle AS handle, coalesce(u.displayName, u.handle) AS displayName,
  r.since AS since
"""


@dataclass(frozen=True)
class JoinRequest:
    user_id: str
    handle: str
    display_name: str
    since: datetime


async def join_by_code(
    graph: Graph, code: str, user_id: str, join_roles: dict[str, str], at: datetime
) -> tuple[str, str] | None:
    """(team id, JOINED / ALREADY / ASKED); None when no team has that live code."""
    rows = await graph.write(JOIN_BY_CODE, code=code, userId=user_id, joinRoles=join_roles, now=at)
    return (rows[0]["id"], rows[0]["outcome"]) if rows else None


async def set_join_approval(graph: Graph, team_id: str, approval: bool) -> None:
    await graph.write(SET_JOIN_APPROVAL, teamId=team_id, approval=approval)


async def answer_request(
    graph: Graph,
    team_id: str,
    user_id: str,
    approve: bool,
    join_roles: dict[str, str],
    at: datetime,
) -> bool:
    """Approve or reject someone's request; False when they had not asked."""
    rows = await graph.write(
        ANSWER_REQUEST,
        teamId=team_id,
        userId=user_id,
        approve=approve,
        joinRoles=join_roles,
        now=at,
    )
    return bool(rows)


async def join_requests(graph: Graph, team_id: str) -> list[JoinRequest]:
    """Who waits for approval, newest first (at most MAX_REQUESTS)."""
    rows = await graph.read(JOIN_REQUESTS, teamId=team_id, limit=MAX_REQUESTS)
    return [
        JoinRequest(r["userId"], r["handle"], r["displayName"], native(r["since"])) for r in rows
    ]
