"""Who hears about an event: the teams of the people it concerns, the club of a peer award,
the members asked to vouch for a nomination. Each is one query for a whole batch of events,
never one per event."""

from dataclasses import dataclass, field
from typing import LiteralString

from odznaka_graph.graph_model.driver import Graph

# Awards are looked up by id (a revocation names nothing but the award): who holds each,
# and the club of its badge when it is a peer badge. Then every team of those holders and
# of the other people named, in the same round trip.
AUDIENCE: LiteralString = """
CALL () {
  UNWIND $awardIds AS awardId
  MATCH (a:Award {id: awardId})-[:OF]->(b:Badge)
  OPTIONAL MATCH (u:User)-[:EARNED]->(a)
  RETURN collect({award: awardId, user: u.id, club: head([(b)-[:OF_CLUB]->(c:Club) | c.id])})
    AS awards
}
CALL (awards) {
  UNWIND $userIds + [x IN awards WHERE x.user IS NOT NULL | x.user] AS userId
  WITH DISTINCT userId
  MATCH (:User {id: userId})-[:MEMBER_OF]->(t:Team)
  RETURN collect({user: userId, team: t.id}) AS memberships
}
RETURN awards, memberships
"""

# The members who may vouch for each nomination (everyone in its club but the nominee and
# the nominator), owners and moderators first, then the longest-standing, at most $cap.
VOUCHERS: LiteralString = """
UNWIND $nominationIds AS nominationId
MATCH (n:Nomination {id: nominationId})-[:OF]->(:Badge)-[:OF_CLUB]->(c:Club)
MATCH (c)<-[m:MEMBER_OF]-(u:User)
WHERE NOT (u)-[:NOMINATED]->(n) AND NOT (n)-[:FOR]->(u)
WITH nominationId, u, m
ORDER BY CASE m.role WHEN 'OWNER' THEN 0 WHEN 'MODERATOR' THEN 1 ELSE 2 END, m.since, u.id
RETURN nominationId, collect(u.id)[..$cap] AS userIds
"""


@dataclass(frozen=True)
class Audience:
    holders: dict[str, str] = field(default_factory=dict)  # award id → recipient id
    clubs: dict[str, str] = field(default_factory=dict)  # award id → club id (peer awards)
    teams: dict[str, list[str]] = field(default_factory=dict)  # user id → team ids


async def audience(graph: Graph, award_ids: list[str], user_ids: list[str]) -> Audience:
    if not award_ids and not user_ids:
        return Audience()
    rows = await graph.read(AUDIENCE, awardIds=award_ids, userIds=user_ids)
    found = Audience()
    for row in rows[:1]:
        for item in row["awards"]:
            if item["user"]:
                found.holders[item["award"]] = item["user"]
            if item["club"]:
                found.clubs[item["award"]] = item["club"]
        for item in row["memberships"]:
            found.teams.setdefault(item["user"], []).append(item["team"])
    return found


async def vouchers(graph: Graph, nomination_ids: list[str], cap: int) -> dict[str, list[str]]:
    if not nomination_ids:
        return {}
    rows = await graph.read(VOUCHERS, nominationIds=nomination_ids, cap=cap)
    return {row["nominationId"]: list(row["userIds"]) for row in rows}
