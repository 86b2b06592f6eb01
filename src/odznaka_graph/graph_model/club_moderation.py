"""Club moderation in the graph (issue 15): members removed or banned, and the club's
settings edited. A ban is `(:User)-[:BANNED_FROM {at, by, reason}]->(:Club)`: joining
(graph_model/clubs.JOIN) and invitations refuse it, and without a membership the banned
person can no longer nominate or vouch."""

from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph

# Owners are never removed; a moderator only by an owner. The club's lock orders this
# against concurrent role changes and joins.
REMOVE: LiteralString = """
MATCH (c:Club {id: $clubId}), (u:User {id: $userId})
SET c._lock = true
WITH c, u, head([(u)-[m:MEMBER_OF]->(c) | m.role]) AS role
WITH c, u, CASE
  WHEN role = 'OWNER' THEN 'OWNER'
  WHEN role = 'MODERATOR' AND NOT $byOwner THEN 'MODERATOR'
  WHEN role IS NULL AND NOT $ban THEN 'NOT_MEMBER'
  ELSE 'DONE' END AS outcome
CALL (c, u, outcome) {
  WITH * WHERE outcome = 'DONE'
  OPTIONAL MATCH (u)-[r:MEMBER_OF|REQUESTED_TO_JOIN|INVITED_TO]->(c)
  DELETE r
}
CALL (c, u, outcome) {
  WITH * WHERE outcome = 'DONE' AND $ban
  MERGE (u)-[b:BANNED_FROM]->(c) ON CREATE SET b.at = $at, b.by = $byId, b.reason = $reason
}
REMOVE c._lock
RETURN outcome
"""

UPDATE: LiteralString = "MATCH (c:Club {id: $clubId}) SET c += $props RETURN c.id AS id"


async def remove(
    graph: Graph,
    club_id: str,
    user_id: str,
    *,
    by: tuple[str, bool],
    ban: bool,
    reason: str | None,
    at: datetime,
) -> str | None:
    """DONE, OWNER, MODERATOR (only an owner removes one) or NOT_MEMBER; None when there
    is no such user. `by` is (who, whether they own the club)."""
    rows = await graph.write(
        REMOVE,
        clubId=club_id,
        userId=user_id,
        byId=by[0],
        byOwner=by[1],
        ban=ban,
        reason=reason,
        at=at,
    )
    return rows[0]["outcome"] if rows else None


async def update(graph: Graph, club_id: str, props: dict[str, Any]) -> None:
    await graph.write(UPDATE, clubId=club_id, props=props)
