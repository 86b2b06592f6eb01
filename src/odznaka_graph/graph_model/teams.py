"""Team nodes: school classes and business teams of an organisation, and who is in them.

`(:User)-[:MEMBER_OF {role, since}]->(:Team)-[:PART_OF]->(:Organization)`. Teams are
community data with no ledger meaning, so they live in Neo4j only.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from odznaka_graph.graph_model.driver import Graph, native
from odznaka_graph.graph_model.keyed_pages import read_page
from odznaka_graph.graph_model.texts import flatten, unflatten
from odznaka_graph.paging import Page, Sort, Window

TEXT_FIELDS = ("name",)

CREATE_TEAM: LiteralString = """
MATCH (o:Organization {id: $orgId}), (u:User {id: $userId})
CREATE (t:Team {id: $id})-[:PART_OF]->(o)
SET t += $props
CREATE (u)-[:MEMBER_OF {role: $role, since: $now}]->(t)
RETURN t.id AS id
"""

# The viewer's standing in one team, for the permission check.
ACCESS: LiteralString = """
MATCH (t:Team {id: $teamId})-[:PART_OF]->(o:Organization)
OPTIONAL MATCH (:User {id: $userId})-[m:MEMBER_OF]->(t)
RETURN t.kind AS kind, o.id AS organizationId, m.role AS role,
  COLLECT { MATCH (:User {id: $userId})-[s:STAFF_OF]->(o) RETURN s.role }[0] AS staffRole
"""

# Writing `_lock` first takes the team's write lock, so the count of managers read after it
# sees every committed change: two teachers removing each other cannot leave none.
ADD_MEMBER: LiteralString = """
MATCH (t:Team {id: $teamId}), (u:User {id: $userId})
SET t._lock = true
WITH t, u
OPTIONAL MATCH (u)-[m:MEMBER_OF]->(t)
WITH t, u, m, COUNT { (:User)-[x:MEMBER_OF]->(t) WHERE x.role IN $managers } AS managers
WITH t, u, m, CASE
  WHEN m IS NULL THEN 'ADDED'
  WHEN m.role = $role THEN 'UNCHANGED'
  WHEN m.role IN $managers AND NOT $role IN $managers AND managers <= 1 THEN 'LAST_MANAGER'
  ELSE 'CHANGED' END AS outcome
CALL (t, u, outcome) {
  WITH * WHERE outcome = 'ADDED'
  CREATE (u)-[:MEMBER_OF {role: $role, since: $now}]->(t)
}
CALL (m, outcome) {
  WITH * WHERE outcome = 'CHANGED'
  SET m.role = $role
}
REMOVE t._lock
RETURN outcome
"""

REMOVE_MEMBER: LiteralString = """
MATCH (t:Team {id: $teamId})
SET t._lock = true
WITH t
OPTIONAL MATCH (:User {id: $userId})-[m:MEMBER_OF]->(t)
WITH t, m, COUNT { (:User)-[x:MEMBER_OF]->(t) WHERE x.role IN $managers } AS managers
WITH t, m, CASE
  WHEN m IS NULL THEN 'NOT_MEMBER'
  WHEN m.role IN $managers AND managers <= 1 THEN 'LAST_MANAGER'
  ELSE 'REMOVED' END AS outcome
CALL (m, outcome) {
  WITH * WHERE outcome = 'REMOVED'
  DELETE m
}
REMOVE t._lock
RETURN outcome
"""

SET_CODE: LiteralString = """
MATCH (t:Team {id: $teamId}) SET t.code = $code, t.codeExpiresAt = $expiresAt
RETURN t.id AS id
"""

TEAMS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (t:Team {id: id})-[:PART_OF]->(o:Organization)
OPTIONAL MATCH (:User {id: $viewerId})-[m:MEMBER_OF]->(t)
RETURN t {.*, organizationId: o.id, viewerRole: m.role,
  viewerStaffRole: COLLECT { MATCH (:User {id: $viewerId})-[s:STAFF_OF]->(o) RETURN s.role }[0],
  memberCount: COUNT { (:User)-[:MEMBER_OF]->(t) }} AS team
"""

# Members with some roles, each with which of `$badgeIds` they hold through a valid award:
# a page of a class with its progress on the class's paths in one round trip.
MEMBERS: LiteralString = """
CALL () {{
  MATCH (:Team {{id: $teamId}})<-[m:MEMBER_OF]-(:User) WHERE m.role IN $roles
  RETURN count(m) AS total
}}
CALL () {{
  MATCH (:Team {{id: $teamId}})<-[m:MEMBER_OF]-(u:User) WHERE m.role IN $roles AND {after}
  WITH m, u ORDER BY {order} LIMIT $limit
  RETURN collect([{key}, u.id, m {{.*, userId: u.id, handle: u.handle,
    displayName: u.displayName,
    held: [(u)-[:EARNED]->(a:Award)-[:OF]->(b:Badge)
      WHERE b.id IN $badgeIds AND a.revokedAt IS NULL
        AND (a.expiresAt IS NULL OR a.expiresAt > $now) | b.id]}}]) AS rows
}}
RETURN total, rows
"""

TEAMS_OF_USER: LiteralString = """
CALL () {{
  MATCH (:User {{id: $userId}})-[m:MEMBER_OF]->(:Team)
  RETURN count(m) AS total
}}
CALL () {{
  MATCH (:User {{id: $userId}})-[m:MEMBER_OF]->(t:Team)-[:PART_OF]->(o:Organization)
  WHERE {after}
  WITH m, t, o ORDER BY {order} LIMIT $limit
  RETURN collect([{key}, t.id, t {{.*, organizationId: o.id, viewerRole: m.role,
    memberCount: COUNT {{ (:User)-[:MEMBER_OF]->(t) }}}}]) AS rows
}}
RETURN total, rows
"""

BY_NAME = Sort("toLower(coalesce(u.displayName, u.handle))", ascending=True)
NEWEST_MEMBERSHIP = Sort("m.since.epochMillis", ascending=False)


@dataclass(frozen=True)
class TeamRecord:
    id: str
    kind: str
    organization_id: str
    texts: dict[str, dict[str, str]]
    code: str | None
    member_count: int
    viewer_role: str | None
    created_at: datetime
    code_expires_at: datetime | None = None
    join_approval: bool = False
    # The viewer's role in the team's organisation (a school's admins see its classes).
    viewer_staff_role: str | None = None


@dataclass(frozen=True)
class TeamAccess:
    """Who the viewer is in a team: enough to check a permission."""

    team_id: str
    kind: str
    organization_id: str
    role: str | None
    staff_role: str | None = None


@dataclass(frozen=True)
class MemberRecord:
    user_id: str
    handle: str
    display_name: str
    role: str
    since: datetime
    held: frozenset[str] = frozenset()


def to_team(p: dict[str, Any]) -> TeamRecord:
    return TeamRecord(
        id=p["id"],
        kind=p["kind"],
        organization_id=p["organizationId"],
        texts=unflatten(p, TEXT_FIELDS),
        code=p.get("code"),
        member_count=p.get("memberCount", 0),
        viewer_role=p.get("viewerRole"),
        created_at=native(p["createdAt"]),
        code_expires_at=native(p["codeExpiresAt"]) if p.get("codeExpiresAt") else None,
        join_approval=bool(p.get("joinApproval")),
        viewer_staff_role=p.get("viewerStaffRole"),
    )


def to_member(p: dict[str, Any]) -> MemberRecord:
    return MemberRecord(
        user_id=p["userId"],
        handle=p["handle"],
        display_name=p.get("displayName") or p["handle"],
        role=p["role"],
        since=native(p["since"]),
        held=frozenset(p.get("held") or ()),
    )


async def create_team(graph: Graph, fields: dict[str, Any], creator_role: str) -> str:
    """Write a new team with its creator as first member: CREATED, CODE_TAKEN, or
    NOT_READY when the organisation or the creator is not in the graph yet."""
    props = flatten({"name": fields["name"]}) | {
        "kind": fields["kind"],
        "code": fields["code"],
        "codeExpiresAt": fields["code_expires_at"],
        "createdAt": fields["created_at"],
        "createdBy": fields["created_by"],
    }
    try:
        rows = await graph.write(
            CREATE_TEAM,
            id=fields["id"],
            orgId=fields["organization_id"],
            userId=fields["created_by"],
            props=props,
            role=creator_role,
            now=fields["created_at"],
        )
    except ConstraintError:  # team ids are fresh UUIDs: only the code can collide
        return "CODE_TAKEN"
    return "CREATED" if rows else "NOT_READY"


async def access(graph: Graph, team_id: str, user_id: str | None) -> TeamAccess | None:
    rows = await graph.read(ACCESS, teamId=team_id, userId=user_id)
    if not rows:
        return None
    row = rows[0]
    return TeamAccess(team_id, row["kind"], row["organizationId"], row["role"], row["staffRole"])


async def add_member(
    graph: Graph, team_id: str, user_id: str, role: str, managers: Collection[str], at: datetime
) -> str | None:
    """ADDED, UNCHANGED, CHANGED or LAST_MANAGER; None when there is no such user."""
    rows = await graph.write(
        ADD_MEMBER, teamId=team_id, userId=user_id, role=role, managers=list(managers), now=at
    )
    return rows[0]["outcome"] if rows else None


async def remove_member(graph: Graph, team_id: str, user_id: str, managers: Collection[str]) -> str:
    """REMOVED, NOT_MEMBER or LAST_MANAGER (the last teacher or leader stays)."""
    rows = await graph.write(REMOVE_MEMBER, teamId=team_id, userId=user_id, managers=list(managers))
    return rows[0]["outcome"] if rows else "NOT_MEMBER"


async def set_code(graph: Graph, team_id: str, code: str, expires_at: datetime) -> bool:
    """Replace the class code; False when another team has that code."""
    try:
        await graph.write(SET_CODE, teamId=team_id, code=code, expiresAt=expires_at)
    except ConstraintError:
        return False
    return True


async def teams_by_ids(
    graph: Graph, ids: list[str], viewer_id: str | None
) -> dict[str, TeamRecord]:
    rows = await graph.read(TEAMS_BY_IDS, ids=ids, viewerId=viewer_id)
    return {row["team"]["id"]: to_team(row["team"]) for row in rows}


async def members(
    graph: Graph,
    team_id: str,
    window: Window,
    roles: Collection[str],
    badge_ids: Collection[str] = (),
    at: datetime | None = None,
) -> Page[MemberRecord]:
    """Members with these roles by name; each with the `badge_ids` they hold validly at `at`."""
    return await read_page(
        graph,
        MEMBERS,
        BY_NAME,
        "u",
        window,
        to_member,
        teamId=team_id,
        roles=list(roles),
        badgeIds=list(badge_ids),
        now=at,
    )


async def teams_of_user(graph: Graph, user_id: str, window: Window) -> Page[TeamRecord]:
    """The user's teams, most recently joined first, with the user's role in each."""
    return await read_page(
        graph, TEAMS_OF_USER, NEWEST_MEMBERSHIP, "t", window, to_team, userId=user_id
    )
