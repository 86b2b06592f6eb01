"""Moderation in the graph (issue 15): the clubs a person moderates (their report queue),
and hidden content: `hidden: true` on a Club, Badge, User or Award node, which the read
rules (services/visibility.py) and the list queries refuse."""

from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx

MODERATED: LiteralString = """
MATCH (:User {id: $userId})-[m:MEMBER_OF]->(c:Club)
WHERE m.role IN $roles
RETURN c.id AS id
"""

HIDE: dict[str, LiteralString] = {
    "Club": "MATCH (n:Club {id: $id}) SET n.hidden = true RETURN n.id AS id",
    # the catalogue's label goes too (graph_model/badges.LIST_IN_CATALOGUE keeps it out)
    "Badge": "MATCH (n:Badge {id: $id}) SET n.hidden = true REMOVE n:PublicBadge RETURN n.id AS id",
    "User": "MATCH (n:User {id: $id}) SET n.hidden = true RETURN n.id AS id",
    "Award": "MATCH (n:Award {id: $id}) SET n.hidden = true RETURN n.id AS id",
}


async def moderated_clubs(graph: Graph, user_id: str, roles: list[str]) -> list[str]:
    rows = await graph.read(MODERATED, userId=user_id, roles=roles)
    return [row["id"] for row in rows]


async def content_hidden(tx: Tx, payload: dict[str, Any]) -> None:
    """The projection of `content.hidden` (outbox: written with the decision, applied
    after the SQL commit and retried until the graph takes it)."""
    await tx.run(HIDE[payload["type"]], id=payload["id"])
