"""Who takes part in a team's points and challenges: its learners (not its teachers or
leaders), and a learner's choice to keep their rank inside the class."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import LiteralString

from odznaka_graph.graph_model.driver import Graph

# A class is small, but a business team could be large: boards are cut at this size.
MAX_LEARNERS = 5000

LEARNERS: LiteralString = """
MATCH (:Team {id: $teamId})<-[m:MEMBER_OF]-(u:User)
WHERE NOT m.role IN $managers
RETURN u.id AS id, u.handle AS handle, coalesce(u.displayName, u.handle) AS displayName,
  coalesce(u.hideRankOutsideClass, false) AS hidden
ORDER BY toLower(displayName), id
LIMIT $limit
"""

TEAMS_OF_LEARNERS: LiteralString = """
UNWIND $userIds AS userId
MATCH (:User {id: userId})-[m:MEMBER_OF]->(t:Team)
WHERE NOT m.role IN $managers
RETURN userId, collect(t.id) AS teamIds
"""

SET_HIDDEN: LiteralString = """
MATCH (u:User {id: $userId})
SET u.hideRankOutsideClass = $hidden
RETURN u.id AS id
"""

HIDDEN: LiteralString = (
    "MATCH (u:User {id: $userId}) RETURN coalesce(u.hideRankOutsideClass, false) AS hidden"
)


@dataclass(frozen=True)
class Learner:
    id: str
    handle: str
    display_name: str
    hidden: bool  # keeps their rank inside the class


async def learners(graph: Graph, team_id: str, managers: Collection[str]) -> list[Learner]:
    rows = await graph.read(LEARNERS, teamId=team_id, managers=list(managers), limit=MAX_LEARNERS)
    return [Learner(r["id"], r["handle"], r["displayName"], r["hidden"]) for r in rows]


async def teams_of_learners(
    graph: Graph, user_ids: Collection[str], managers: Collection[str]
) -> dict[str, list[str]]:
    """The teams in which each of these users is a learner, in one round trip."""
    if not user_ids:
        return {}
    rows = await graph.read(TEAMS_OF_LEARNERS, userIds=list(user_ids), managers=list(managers))
    return {row["userId"]: list(row["teamIds"]) for row in rows}


async def set_hidden(graph: Graph, user_id: str, hidden: bool) -> bool:
    return bool(await graph.write(SET_HIDDEN, userId=user_id, hidden=hidden))


async def hidden(graph: Graph, user_id: str) -> bool:
    rows = await graph.read(HIDDEN, userId=user_id)
    return bool(rows and rows[0]["hidden"])
