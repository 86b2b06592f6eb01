"""What the graph holds about one person that is theirs (issue 14, data export): the User
node's properties and its relationships of the kinds in SHARED (memberships, follows,
contacts, own blocks, vouches, attendance, paths ...), with the ids and labels of what
they link to."""

from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph

# The person's ties that go into the archive, as (type, direction from the person): an
# allow-list. What others did to the person and did not tell them is theirs, not the
# person's, so it stays out: who follows them, who blocks them, nominations of them, awards
# they handed out as issuer staff (the recipients' data). Contacts are mutual: both ways.
SHARED: tuple[tuple[str, str], ...] = (
    ("MEMBER_OF", "OUT"),
    ("EARNED", "OUT"),
    ("FOLLOWS", "OUT"),
    ("FOLLOWS_PATH", "OUT"),
    ("CONTACT", "OUT"),
    ("CONTACT", "IN"),
    ("CONTACT_REQUEST", "OUT"),
    ("BLOCKS", "OUT"),
    ("ATTENDS", "OUT"),
    ("VOUCHED", "OUT"),
    ("NOMINATED", "OUT"),
    ("ENDORSED", "OUT"),
    ("REQUESTED_TO_JOIN", "OUT"),
    ("ASKED_TO_JOIN", "OUT"),
    ("INVITED_TO", "OUT"),
    ("TEACHES", "OUT"),
)

PERSONAL_DATA: LiteralString = """
MATCH (u:User {id: $id})
OPTIONAL MATCH (u)-[r]-(other)
WITH u, r, other ORDER BY type(r), other.id
WITH u, collect(CASE WHEN r IS NULL THEN NULL ELSE {
         relationship: type(r),
         direction: CASE WHEN startNode(r) = u THEN 'OUT' ELSE 'IN' END,
         labels: labels(other),
         id: other.id,
         properties: properties(r)
     } END) AS ties
RETURN u {.*} AS profile,
       [x IN ties WHERE x.relationship + ':' + x.direction IN $shared] AS relationships
"""


async def personal_data(graph: Graph, user_id: str) -> dict[str, Any] | None:
    """{profile, relationships} of the person, or None when the graph has no such user."""
    shared = [f"{kind}:{direction}" for kind, direction in SHARED]
    rows = await graph.read(PERSONAL_DATA, id=user_id, shared=shared)
    return dict(rows[0]) if rows else None


ERASE: LiteralString = """
MATCH (u:User {id: $id})
DETACH DELETE u
"""


async def erase_person(graph: Graph, user_id: str) -> None:
    """The person leaves the graph (deleteMyAccount): their node and every tie of it, so no
    profile, search, list, leaderboard or recommendation finds them. Awards they received
    stay in the ledger, verifiable under a pseudonym."""
    await graph.write(ERASE, id=user_id)
