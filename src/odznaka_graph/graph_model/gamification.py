"""Who takes part in a team's points and challenges: its learners (not its teachers or
leaders), and a learner's choice to keep their rank inside the class."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.teams import TeamAccess

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

# A board's facts in one read: who the viewer is in the team, and its learners with what
# the profile rules need to decide whether the viewer sees their progress.
BOARDS: LiteralString = """
UNWIND $teamIds AS teamId
MATCH (t:Team {id: teamId})-[:PART_OF]->(o:Organization)
OPTIONAL MATCH (:User {id: $viewerId})-[m:MEMBER_OF]->(t)
RETURN teamId, t.kind AS kind, o.id AS organizationId, m.role AS role,
  COLLECT { MATCH (:User {id: $viewerId})-[s:STAFF_OF]->(o) RETURN s.role }[0] AS staffRole,
  COLLECT {
    MATCH (t)<-[x:MEMBER_OF]-(u:User) WHERE NOT x.role IN $managers
    WITH u, coalesce(u.displayName, u.handle) AS name
    ORDER BY toLower(name), u.id
    LIMIT $limit
    RETURN [u.id, u.handle, name, coalesce(u.hideRankOutsideClass, false), u.visibility,
      u.awardsVisibility, coalesce(u.minorProtected, false), coalesce(u.hidden, false),
      EXISTS { (u)-[:BLOCKS]->(:User {id: $viewerId}) },
      EXISTS { (u)-[:CONTACT]-(:User {id: $viewerId}) }]
  } AS learners
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
    keeps_rank_in_class: bool  # not on the board seen from outside the class


@dataclass(frozen=True)
class RankedLearner(Learner):
    """A learner with what the profile rules read (services/visibility.ProfileSettings) and
    the viewer's relation to them."""

    visibility: str = "PUBLIC"
    sections: Mapping[str, str] = field(default_factory=dict)
    guarded: bool = False
    hidden: bool = False  # by a moderator (issue 15, reports)
    blocks_viewer: bool = False
    contact: bool = False
    featured_award_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamBoard:
    access: TeamAccess
    learners: list[RankedLearner]


async def boards(
    graph: Graph, team_ids: list[str], viewer_id: str | None, managers: Collection[str]
) -> dict[str, TeamBoard]:
    """Each team's access for the viewer and its learners, in one round trip (plain
    values: read without the driver's walk through every learner's list)."""
    rows = await graph.read_plain(
        BOARDS, teamIds=team_ids, viewerId=viewer_id, managers=list(managers), limit=MAX_LEARNERS
    )
    return {row["teamId"]: _board(row) for row in rows}


def _board(row: dict[str, Any]) -> TeamBoard:
    access = TeamAccess(
        row["teamId"], row["kind"], row["organizationId"], row["role"], row["staffRole"]
    )
    return TeamBoard(access, [_ranked(*facts) for facts in row["learners"]])


def _ranked(
    id: str,
    handle: str,
    name: str,
    keeps_rank_in_class: bool,
    visibility: str | None,
    awards: str | None,
    guarded: bool,
    hidden: bool,
    blocks: bool,
    contact: bool,
) -> RankedLearner:
    return RankedLearner(
        id=id,
        handle=handle,
        display_name=name,
        keeps_rank_in_class=keeps_rank_in_class,
        visibility=visibility or "PUBLIC",
        sections={"awards": awards or "PUBLIC"},
        guarded=guarded,
        hidden=hidden,
        blocks_viewer=blocks,
        contact=contact,
    )


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
