"""Path nodes: development paths, their steps over badges, and who follows them.

`(:Path)-[:STEP {key, position, required, group, prerequisites}]->(:Badge)`,
`(:Path)-[:OWNED_BY]->(:Organization)`, for a team's path `(:Path)-[:FOR_TEAM]->(:Team)`,
`(:Path)-[:GRANTS]->(:Badge)` for the completion badge, `(:User)-[:FOLLOWS_PATH]->(:Path)`.
Elective groups are kept on the node as two parallel lists (keys and minimums). Progress is
never stored: it is read from the users' valid awards each time.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, native
from odznaka_graph.graph_model.keyed_pages import Part, read_page
from odznaka_graph.graph_model.texts import flatten, unflatten
from odznaka_graph.paging import Page, Sort, Window

TEXT_FIELDS = ("title", "description")

VALID_AWARD: LiteralString = "a.revokedAt IS NULL AND (a.expiresAt IS NULL OR a.expiresAt > $now)"


def visible_to(user: LiteralString) -> LiteralString:
    """Whether the user (a Cypher expression for a user id) may see path `p`: public, or a
    team path of one of their teams, or an organisation path of one they are staff of. The
    roles come in as $teamRoles and $staffRoles, from the permission table."""
    return f"""(p.visibility = 'PUBLIC'
  OR (p.visibility = 'TEAM' AND {user} IS NOT NULL AND EXISTS {{
    MATCH (p)-[:FOR_TEAM]->(:Team)<-[m:MEMBER_OF]-(:User {{id: {user}}})
    WHERE m.role IN $teamRoles }})
  OR (p.visibility = 'ORGANIZATION' AND {user} IS NOT NULL AND EXISTS {{
    MATCH (p)-[:OWNED_BY]->(:Organization)<-[s:STAFF_OF]-(:User {{id: {user}}})
    WHERE s.role IN $staffRoles }}))"""


# One map per path with everything the API shows (and the viewer's roles that decide
# whether they may see it), so a page of paths costs one round trip.
def path_projection(follower_count: bool = True, viewer_follows: bool = True) -> LiteralString:
    """The projection, less the counts a reader does not need (a planned read asks only
    for what its selection shows: a popular path's followers are many)."""
    counts: LiteralString = ""
    if follower_count:
        counts += "\n  followerCount: COUNT { (:User)-[:FOLLOWS_PATH]->(p) },"
    if viewer_follows:
        counts += """
  viewerFollows: $viewerId IS NOT NULL
    AND EXISTS { (p)<-[:FOLLOWS_PATH]-(:User {id: $viewerId}) },"""
    return (
        """p {.*,
  organizationId: o.id,
  teamId: head([(p)-[:FOR_TEAM]->(t:Team) | t.id]),
  completionBadgeId: head([(p)-[:GRANTS]->(c:Badge) | c.id]),
  steps: [(p)-[s:STEP]->(b:Badge) | s {.*, badgeId: b.id}],"""
        + counts
        + """
  viewerTeamRole: head([(p)-[:FOR_TEAM]->(:Team)<-[m:MEMBER_OF]-(:User {id: $viewerId})
    | m.role]),
  viewerStaffRole: head([(p)-[:OWNED_BY]->(:Organization)<-[s:STAFF_OF]-(:User {id: $viewerId})
    | s.role])
}"""
    )


PROJECTION: LiteralString = path_projection()

SAVE_PATH: LiteralString = """
MATCH (o:Organization {id: $orgId})
MERGE (p:Path {id: $id})
ON CREATE SET p.createdAt = $now, p.createdMs = $now.epochMillis, p.createdBy = $actor
SET p += $props, p.updatedAt = $now
MERGE (p)-[:OWNED_BY]->(o)
WITH p
CALL (p) {
  MATCH (t:Team {id: $teamId})
  MERGE (p)-[:FOR_TEAM]->(t)
}
CALL (p) {
  OPTIONAL MATCH (p)-[r:STEP|GRANTS]->(:Badge)
  DELETE r
}
CALL (p) {
  MATCH (c:Badge {id: $completionBadgeId})
  CREATE (p)-[:GRANTS]->(c)
}
CALL (p) {
  UNWIND $steps AS step
  MATCH (b:Badge {id: step.badgeId})
  CREATE (p)-[s:STEP]->(b)
  SET s = step.props
}
RETURN p.id AS id
"""

FOLLOW: LiteralString = """
MATCH (p:Path {id: $pathId}), (u:User {id: $userId})
MERGE (u)-[f:FOLLOWS_PATH]->(p)
ON CREATE SET f.since = $now
RETURN f.since AS since
"""

UNFOLLOW: LiteralString = """
MATCH (:User {id: $userId})-[f:FOLLOWS_PATH]->(:Path {id: $pathId})
DELETE f
"""

PATHS_BY_IDS: LiteralString = f"""
UNWIND $ids AS id
MATCH (p:Path {{id: id}})-[:OWNED_BY]->(o:Organization)
RETURN {PROJECTION} AS path
"""

PAGE: LiteralString = """
CALL () {{
  MATCH (p:Path) WHERE {where}
  RETURN count(p) AS total
}}
CALL () {{
  MATCH (p:Path) WHERE {where} AND {after}
  WITH p ORDER BY {order} LIMIT $limit
  MATCH (p)-[:OWNED_BY]->(o:Organization)
  RETURN collect([{key}, p.id, {projection}]) AS rows
}}
RETURN total, rows
"""

FOLLOWED: LiteralString = """
CALL () {{
  MATCH (:User {{id: $viewerId}})-[:FOLLOWS_PATH]->(p:Path) WHERE {visible}
  RETURN count(p) AS total
}}
CALL () {{
  MATCH (:User {{id: $viewerId}})-[f:FOLLOWS_PATH]->(p:Path) WHERE {visible} AND {after}
  WITH f, p ORDER BY {order} LIMIT $limit
  MATCH (p)-[:OWNED_BY]->(o:Organization)
  RETURN collect([{key}, p.id, {projection}]) AS rows
}}
RETURN total, rows
"""

HELD: LiteralString = f"""
UNWIND $userIds AS userId
MATCH (u:User {{id: userId}})
RETURN userId, [(u)-[:EARNED]->(a:Award)-[:OF]->(b:Badge)
  WHERE b.id IN $badgeIds AND {VALID_AWARD} | b.id] AS held
"""

# Followed paths with a completion badge that the user has never received (a revoked or
# expired one counts as received: it is not granted twice), which the user may still see,
# with the step badges the user holds validly now.
COMPLETION_CANDIDATES: LiteralString = f"""
UNWIND $userIds AS userId
MATCH (u:User {{id: userId}})-[:FOLLOWS_PATH]->(p:Path)-[:GRANTS]->(c:Badge)
WHERE NOT EXISTS {{ (u)-[:EARNED]->(:Award)-[:OF]->(c) }} AND {visible_to("userId")}
MATCH (p)-[:OWNED_BY]->(o:Organization)
RETURN userId, {PROJECTION} AS path,
  [(p)-[:STEP]->(b:Badge)<-[:OF]-(a:Award)<-[:EARNED]-(u) WHERE {VALID_AWARD} | b.id] AS held
"""

NEWEST = Sort("p.createdMs", ascending=False)
NEWEST_FOLLOWED = Sort("f.since.epochMillis", ascending=False)


@dataclass(frozen=True)
class StepRecord:
    key: str
    badge_id: str
    position: int
    required: bool
    group: str | None
    prerequisites: list[str]


@dataclass(frozen=True)
class GroupRecord:
    key: str
    minimum: int


@dataclass(frozen=True)
class PathRecord:
    id: str
    texts: dict[str, dict[str, str]]
    visibility: str
    organization_id: str
    team_id: str | None
    completion_badge_id: str | None
    steps: list[StepRecord]
    groups: list[GroupRecord]
    created_by: str
    created_at: datetime
    updated_at: datetime
    follower_count: int = 0
    viewer_follows: bool = False
    viewer_team_role: str | None = None
    viewer_staff_role: str | None = None

    @property
    def badge_ids(self) -> list[str]:
        return [step.badge_id for step in self.steps]


@dataclass(frozen=True)
class GroupProgress:
    """How far one user is in one elective group (computed, never stored)."""

    group: GroupRecord
    steps: list[StepRecord]
    done: int

    @property
    def satisfied(self) -> bool:
        return self.done >= self.group.minimum


@dataclass(frozen=True)
class Blocked:
    step: StepRecord
    waiting_for: list[StepRecord]


@dataclass(frozen=True)
class Progress:
    """One user on one path, derived from their valid awards (services/path_progress)."""

    path: PathRecord
    user_id: str
    done: list[StepRecord]
    next: list[StepRecord]
    blocked: list[Blocked]
    groups: list[GroupProgress]
    percent: int
    finished: bool


@dataclass(frozen=True)
class PathFilter:
    text: str | None = None
    organization_id: str | None = None
    team_id: str | None = None


@dataclass(frozen=True)
class Readers:
    """Who reads, and the roles (from the permission table) that open private paths."""

    viewer_id: str | None
    team_roles: Collection[str] = field(default_factory=tuple)
    staff_roles: Collection[str] = field(default_factory=tuple)

    def params(self) -> dict[str, Any]:
        return {
            "viewerId": self.viewer_id,
            "teamRoles": list(self.team_roles),
            "staffRoles": list(self.staff_roles),
        }


def to_step(p: dict[str, Any]) -> StepRecord:
    return StepRecord(
        key=p["key"],
        badge_id=p["badgeId"],
        position=p["position"],
        required=bool(p.get("required")),
        group=p.get("group"),
        prerequisites=list(p.get("prerequisites") or []),
    )


def to_path(p: dict[str, Any]) -> PathRecord:
    keys, minimums = p.get("groupKeys") or [], p.get("groupMinimums") or []
    return PathRecord(
        id=p["id"],
        texts=unflatten(p, TEXT_FIELDS),
        visibility=p["visibility"],
        organization_id=p["organizationId"],
        team_id=p.get("teamId"),
        completion_badge_id=p.get("completionBadgeId"),
        steps=sorted((to_step(s) for s in p.get("steps") or []), key=lambda s: s.position),
        groups=[GroupRecord(k, m) for k, m in zip(keys, minimums, strict=True)],
        created_by=p["createdBy"],
        created_at=native(p["createdAt"]),
        updated_at=native(p["updatedAt"]),
        follower_count=p.get("followerCount", 0),
        viewer_follows=bool(p.get("viewerFollows")),
        viewer_team_role=p.get("viewerTeamRole"),
        viewer_staff_role=p.get("viewerStaffRole"),
    )


def _props(fields: dict[str, Any]) -> dict[str, Any]:
    texts = {name: fields.get(name) or {} for name in TEXT_FIELDS}
    groups = fields["groups"]
    return flatten(texts) | {
        "visibility": fields["visibility"],
        "groupKeys": [group["key"] for group in groups],
        "groupMinimums": [group["minimum"] for group in groups],
        "searchText": " ".join(title.lower() for title in texts["title"].values()),
    }


def _step_rows(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "badgeId": step["badge_id"],
            "props": {
                "key": step["key"],
                "position": position,
                "required": step["required"],
                "group": step["group"],
                "prerequisites": step["prerequisites"],
            },
        }
        for position, step in enumerate(steps)
    ]


async def save_path(graph: Graph, fields: dict[str, Any], actor: str, at: datetime) -> bool:
    """Create or replace a path (texts, visibility, steps, groups, completion badge); its
    owners never change. False when its organisation is not in the graph yet."""
    rows = await graph.write(
        SAVE_PATH,
        id=fields["id"],
        orgId=fields["organization_id"],
        teamId=fields.get("team_id"),
        completionBadgeId=fields.get("completion_badge_id"),
        props=_props(fields),
        steps=_step_rows(fields["steps"]),
        actor=actor,
        now=at,
    )
    return bool(rows)


async def follow(graph: Graph, path_id: str, user_id: str, at: datetime) -> bool:
    """Follow a path; following twice changes nothing. False when the user is not in the
    graph yet."""
    return bool(await graph.write(FOLLOW, pathId=path_id, userId=user_id, now=at))


async def unfollow(graph: Graph, path_id: str, user_id: str) -> None:
    await graph.write(UNFOLLOW, pathId=path_id, userId=user_id)


async def paths_by_ids(
    graph: Graph, ids: list[str], viewer_id: str | None
) -> dict[str, PathRecord]:
    rows = await graph.read(PATHS_BY_IDS, ids=ids, viewerId=viewer_id)
    return {row["path"]["id"]: to_path(row["path"]) for row in rows}


def _conditions(f: PathFilter) -> tuple[LiteralString, dict[str, Any]]:
    clauses: list[LiteralString] = [visible_to("$viewerId")]
    params: dict[str, Any] = {}
    if f.text:
        clauses.append("p.searchText CONTAINS $text")
        params["text"] = f.text.lower()
    if f.organization_id:
        clauses.append("EXISTS { (p)-[:OWNED_BY]->(:Organization {id: $organizationId}) }")
        params["organizationId"] = f.organization_id
    if f.team_id:
        clauses.append("EXISTS { (p)-[:FOR_TEAM]->(:Team {id: $teamId}) }")
        params["teamId"] = f.team_id
    return " AND ".join(clauses), params


async def paths(graph: Graph, f: PathFilter, readers: Readers, window: Window) -> Page[PathRecord]:
    """The paths the reader may see, newest first, with the total, in one round trip."""
    where, params = _conditions(f)
    parts: dict[str, Part] = {"where": where, "projection": PROJECTION}
    return await read_page(
        graph, PAGE, NEWEST, "p", window, to_path, parts, **params, **readers.params()
    )


async def followed(graph: Graph, readers: Readers, window: Window) -> Page[PathRecord]:
    """The paths the reader follows and may still see, most recently followed first."""
    parts: dict[str, Part] = {"visible": visible_to("$viewerId"), "projection": PROJECTION}
    return await read_page(
        graph, FOLLOWED, NEWEST_FOLLOWED, "p", window, to_path, parts, **readers.params()
    )


async def held_badges(
    graph: Graph, user_ids: list[str], badge_ids: list[str], at: datetime
) -> dict[str, set[str]]:
    """Which of these badges each user holds through a valid (unrevoked, unexpired) award."""
    rows = await graph.read(HELD, userIds=user_ids, badgeIds=badge_ids, now=at)
    return {row["userId"]: set(row["held"]) for row in rows}


async def completion_candidates(
    graph: Graph, user_ids: list[str], readers: Readers, at: datetime
) -> list[tuple[str, PathRecord, set[str]]]:
    """(user, followed path with a completion badge not yet received, step badges held)."""
    rows = await graph.read(COMPLETION_CANDIDATES, userIds=user_ids, now=at, **readers.params())
    return [(row["userId"], to_path(row["path"]), set(row["held"])) for row in rows]
