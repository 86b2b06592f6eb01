"""Club nodes: social clubs, who belongs to them (and in which role), and who asked to
join or was invited.

Memberships are community graph data with no ledger meaning, so they live in Neo4j only.
Each membership change runs as one query that first takes the club's write lock
(`SET c._lock`), so its checks (already a member? the last owner?) see every committed
change and two concurrent requests cannot both pass them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, native
from odznaka_graph.graph_model.keyed_pages import PageKey, Part, keyed_pages, read_page
from odznaka_graph.graph_model.texts import flatten, unflatten
from odznaka_graph.paging import Page, Sort, Window
from odznaka_graph.text_rules import fold

TEXT_FIELDS = ("name", "description")

CREATE_CLUB: LiteralString = """
MATCH (u:User {id: $userId})
CREATE (c:Club)
SET c = $props
CREATE (u)-[:MEMBER_OF {role: 'OWNER', since: $at}]->(c)
RETURN c.id AS id
"""

# Everything the API shows of a club, for one viewer, in the query that finds it.
PROJECTION: LiteralString = """c {.*,
  memberCount: COUNT { (c)<-[:MEMBER_OF]-(:User) },
  viewerRole: head([(c)<-[m:MEMBER_OF]-(:User {id: $viewerId}) | m.role]),
  viewerRequested: EXISTS { (c)<-[:REQUESTED_TO_JOIN]-(:User {id: $viewerId}) },
  viewerInvited: EXISTS { (c)<-[:INVITED_TO]-(:User {id: $viewerId}) }
}"""

CLUBS_BY_IDS: LiteralString = f"""
UNWIND $ids AS id
MATCH (c:Club {{id: id}})
RETURN {PROJECTION} AS club
"""

# Members-only clubs are left out for everyone but their members (the roles that may see
# them come from the permission table), in rows and count alike; hidden clubs (issue 15,
# reports) for everyone, as services/visibility.can_see_club.
NOT_HIDDEN: LiteralString = "NOT coalesce(c.hidden, false)"
VISIBLE: LiteralString = """(NOT coalesce(c.hidden, false) AND (c.visibility = 'PUBLIC' OR EXISTS {
  (c)<-[m:MEMBER_OF]-(:User {id: $viewerId}) WHERE m.role IN $readerRoles }))"""

LIST: LiteralString = """
CALL () {{
  {source} WHERE {where}
  RETURN count(c) AS total
}}
CALL () {{
  {source} WHERE {where} AND {after}
  WITH c ORDER BY {order} LIMIT $limit
  RETURN collect([{key}, c.id, {projection}]) AS rows
}}
RETURN total, rows
"""

ALL_CLUBS: LiteralString = "MATCH (c:Club)"
CLUBS_OF_USER: LiteralString = "MATCH (:User {id: $userId})-[:MEMBER_OF]->(c:Club)"
BY_NAME = Sort("c.sortName", ascending=True)

JOIN: LiteralString = """
MATCH (c:Club {id: $clubId}), (u:User {id: $userId})
SET c._lock = true
WITH c, u,
  EXISTS { (u)-[:MEMBER_OF]->(c) } AS member,
  EXISTS { (u)-[:INVITED_TO]->(c) } AS invited,
  EXISTS { (u)-[:REQUESTED_TO_JOIN]->(c) } AS requested,
  EXISTS { (u)-[:BANNED_FROM]->(c) } AS banned
WITH c, u, CASE
  WHEN banned THEN 'BANNED'
  WHEN member THEN 'ALREADY_MEMBER'
  WHEN invited OR c.joinPolicy = 'OPEN' THEN 'JOINED'
  WHEN c.joinPolicy = 'APPROVAL' AND requested THEN 'ALREADY_REQUESTED'
  WHEN c.joinPolicy = 'APPROVAL' THEN 'REQUESTED'
  ELSE 'INVITE_ONLY' END AS outcome
CALL (c, u, outcome) {
  WITH * WHERE outcome = 'JOINED'
  MERGE (u)-[m:MEMBER_OF]->(c) ON CREATE SET m.role = 'MEMBER', m.since = $at
  WITH c, u
  OPTIONAL MATCH (u)-[r:REQUESTED_TO_JOIN|INVITED_TO]->(c)
  DELETE r
}
CALL (c, u, outcome) {
  WITH * WHERE outcome = 'REQUESTED'
  MERGE (u)-[r:REQUESTED_TO_JOIN]->(c) ON CREATE SET r.at = $at
}
REMOVE c._lock
RETURN outcome
"""

DECIDE_REQUEST: LiteralString = """
MATCH (c:Club {id: $clubId})<-[r:REQUESTED_TO_JOIN]-(u:User {id: $userId})
SET c._lock = true
DELETE r
WITH c, u
CALL (c, u) {
  WITH * WHERE $approve
  MERGE (u)-[m:MEMBER_OF]->(c) ON CREATE SET m.role = 'MEMBER', m.since = $at
  WITH c, u
  OPTIONAL MATCH (u)-[i:INVITED_TO]->(c)
  DELETE i
}
REMOVE c._lock
RETURN u.id AS userId
"""

# Inviting someone who already asked to join is as good as approving them.
INVITE: LiteralString = """
MATCH (c:Club {id: $clubId}), (u:User {id: $userId})
SET c._lock = true
WITH c, u, CASE
  WHEN EXISTS { (u)-[:BANNED_FROM]->(c) } THEN 'BANNED'
  WHEN EXISTS { (u)-[:MEMBER_OF]->(c) } THEN 'ALREADY_MEMBER'
  WHEN EXISTS { (u)-[:REQUESTED_TO_JOIN]->(c) } THEN 'JOINED'
  ELSE 'INVITED' END AS outcome
CALL (c, u, outcome) {
  WITH * WHERE outcome = 'JOINED'
  MATCH (u)-[r:REQUESTED_TO_JOIN]->(c)
  DELETE r
  MERGE (u)-[m:MEMBER_OF]->(c) ON CREATE SET m.role = 'MEMBER', m.since = $at
}
CALL (c, u, outcome) {
  WITH * WHERE outcome = 'INVITED'
  MERGE (u)-[i:INVITED_TO]->(c) ON CREATE SET i.at = $at, i.by = $byId
}
REMOVE c._lock
RETURN outcome
"""

# A club always keeps an owner while it has members.
SET_ROLE: LiteralString = """
MATCH (c:Club {id: $clubId})<-[m:MEMBER_OF]-(:User {id: $userId})
SET c._lock = true
WITH c, m, COUNT { (c)<-[o:MEMBER_OF]-(:User) WHERE o.role = 'OWNER' } AS owners
WITH c, m, CASE
  WHEN m.role = 'OWNER' AND $role <> 'OWNER' AND owners <= 1 THEN 'LAST_OWNER'
  ELSE 'SET' END AS outcome
CALL (m, outcome) {
  WITH * WHERE outcome = 'SET'
  SET m.role = $role
}
REMOVE c._lock
RETURN outcome
"""

LEAVE: LiteralString = """
MATCH (c:Club {id: $clubId})<-[m:MEMBER_OF]-(:User {id: $userId})
SET c._lock = true
WITH c, m,
  COUNT { (c)<-[o:MEMBER_OF]-(:User) WHERE o.role = 'OWNER' } AS owners,
  COUNT { (c)<-[:MEMBER_OF]-(:User) } AS members
WITH c, m, CASE
  WHEN m.role = 'OWNER' AND owners <= 1 AND members > 1 THEN 'LAST_OWNER'
  ELSE 'LEFT' END AS outcome
CALL (m, outcome) {
  WITH * WHERE outcome = 'LEFT'
  DELETE m
}
REMOVE c._lock
RETURN outcome
"""

WITHDRAW: LiteralString = """
MATCH (:User {id: $userId})-[r:REQUESTED_TO_JOIN|INVITED_TO]->(:Club {id: $clubId})
DELETE r
RETURN count(*) AS n
"""

ROLE: LiteralString = """
MATCH (:User {id: $userId})-[m:MEMBER_OF]->(:Club {id: $clubId})
RETURN m.role AS role
"""

# Pages of several clubs' members (oldest members first) in one query. LIMIT cannot take
# a per-row value, so each club's list is sliced.
MEMBER_PAGES: LiteralString = """
UNWIND $keys AS k
MATCH (c:Club {id: k.id})
CALL (c, k) {
  MATCH (u:User)-[m:MEMBER_OF]->(c)
  WITH u, m, m.since.epochMillis AS key
  WHERE k.cursorId IS NULL
    OR (k.forward AND (key > k.cursorKey OR (key = k.cursorKey AND u.id > k.cursorId)))
    OR (NOT k.forward AND (key < k.cursorKey OR (key = k.cursorKey AND u.id < k.cursorId)))
  WITH u, m, key ORDER BY key, u.id
  WITH collect([key, u.id, {userId: u.id, role: m.role, at: m.since}]) AS found
  RETURN found
}
RETURN k.id AS id, k.size AS size, k.after AS after, k.forward AS forward,
       CASE WHEN k.forward THEN found[..k.limit] ELSE reverse(found)[..k.limit] END AS rows,
       COUNT { (c)<-[:MEMBER_OF]-(:User) } AS total
"""

REQUESTS: LiteralString = """
CALL () {{
  MATCH (:Club {{id: $clubId}})<-[r:REQUESTED_TO_JOIN]-(:User)
  RETURN count(r) AS total
}}
CALL () {{
  MATCH (:Club {{id: $clubId}})<-[r:REQUESTED_TO_JOIN]-(u:User) WHERE {after}
  WITH r, u ORDER BY {order} LIMIT $limit
  RETURN collect([{key}, u.id, {{userId: u.id, role: null, at: r.at}}]) AS rows
}}
RETURN total, rows
"""
FIRST_ASKED = Sort("r.at.epochMillis", ascending=True)


@dataclass(frozen=True)
class ClubRecord:
    id: str
    texts: dict[str, dict[str, str]]
    join_policy: str
    visibility: str
    vouch_threshold: int
    daily_peer_award_limit: int
    created_at: datetime
    member_count: int
    viewer_role: str | None
    viewer_requested: bool
    viewer_invited: bool
    hidden: bool = False  # hidden by a moderator's decision on a report (issue 15)


@dataclass(frozen=True)
class MembershipRecord:
    """A member (with role and since when) or a request to join (role None, asked when)."""

    user_id: str
    role: str | None
    at: datetime


def to_club(p: dict[str, Any]) -> ClubRecord:
    return ClubRecord(
        id=p["id"],
        texts=unflatten(p, TEXT_FIELDS),
        join_policy=p["joinPolicy"],
        visibility=p["visibility"],
        vouch_threshold=p["vouchThreshold"],
        daily_peer_award_limit=p["dailyPeerAwardLimit"],
        created_at=native(p["createdAt"]),
        member_count=p.get("memberCount", 0),
        viewer_role=p.get("viewerRole"),
        viewer_requested=bool(p.get("viewerRequested")),
        viewer_invited=bool(p.get("viewerInvited")),
        hidden=bool(p.get("hidden")),
    )


def to_membership(p: dict[str, Any]) -> MembershipRecord:
    return MembershipRecord(user_id=p["userId"], role=p.get("role"), at=native(p["at"]))


def club_props(fields: dict[str, Any]) -> dict[str, Any]:
    """Node properties from validated club fields."""
    texts = {name: fields.get(name) or {} for name in TEXT_FIELDS}
    names = [name.lower() for name in texts["name"].values()]
    return flatten(texts) | {
        "id": fields["id"],
        "joinPolicy": fields["join_policy"],
        "visibility": fields["visibility"],
        "vouchThreshold": fields["vouch_threshold"],
        "dailyPeerAwardLimit": fields["daily_peer_award_limit"],
        "sortName": min(names) if names else "",
        "searchText": fold(" ".join([*texts["name"].values(), *texts["description"].values()])),
        "createdAt": fields["created_at"],
        "createdBy": fields["created_by"],
    }


async def create_club(graph: Graph, fields: dict[str, Any]) -> bool:
    """Write a new club with its creator as OWNER; False when the creator is not in the
    graph yet."""
    rows = await graph.write(
        CREATE_CLUB, userId=fields["created_by"], props=club_props(fields), at=fields["created_at"]
    )
    return bool(rows)


async def clubs_by_ids(
    graph: Graph, ids: list[str], viewer_id: str | None
) -> dict[str, ClubRecord]:
    rows = await graph.read(CLUBS_BY_IDS, ids=ids, viewerId=viewer_id)
    return {row["club"]["id"]: to_club(row["club"]) for row in rows}


async def role_of(graph: Graph, club_id: str, user_id: str) -> str | None:
    rows = await graph.read(ROLE, clubId=club_id, userId=user_id)
    return rows[0]["role"] if rows else None


async def club_list(
    graph: Graph,
    viewer_id: str | None,
    reader_roles: list[str],
    text: str | None,
    window: Window,
) -> Page[ClubRecord]:
    """Clubs the viewer may see (members-only ones when the viewer holds one of
    `reader_roles` there), by name; with `text`, those whose name or description has it."""
    where = VISIBLE + (" AND c.searchText CONTAINS $text" if text else "")
    params = {"viewerId": viewer_id, "readerRoles": reader_roles, "text": fold(text or "")}
    return await _page(graph, ALL_CLUBS, where, window, **params)


async def clubs_of_user(
    graph: Graph, user_id: str, viewer_id: str | None, window: Window
) -> Page[ClubRecord]:
    return await _page(graph, CLUBS_OF_USER, NOT_HIDDEN, window, userId=user_id, viewerId=viewer_id)


async def _page(
    graph: Graph, source: LiteralString, where: LiteralString, window: Window, **params: Any
) -> Page[ClubRecord]:
    parts: dict[str, Part] = {"source": source, "where": where, "projection": PROJECTION}
    return await read_page(graph, LIST, BY_NAME, "c", window, to_club, parts, **params)


async def join(graph: Graph, club_id: str, user_id: str, at: datetime) -> str | None:
    """JOINED, REQUESTED, ALREADY_MEMBER, ALREADY_REQUESTED or INVITE_ONLY; None when the
    club or the user is not in the graph."""
    rows = await graph.write(JOIN, clubId=club_id, userId=user_id, at=at)
    return rows[0]["outcome"] if rows else None


async def decide_request(
    graph: Graph, club_id: str, user_id: str, approve: bool, at: datetime
) -> bool:
    """Admit (or turn away) someone who asked to join; False when nobody asked."""
    rows = await graph.write(DECIDE_REQUEST, clubId=club_id, userId=user_id, approve=approve, at=at)
    return bool(rows)


async def invite(graph: Graph, club_id: str, user_id: str, by: str, at: datetime) -> str | None:
    """INVITED, JOINED (they had asked already) or ALREADY_MEMBER; None if no such user."""
    rows = await graph.write(INVITE, clubId=club_id, userId=user_id, byId=by, at=at)
    return rows[0]["outcome"] if rows else None


async def set_role(graph: Graph, club_id: str, user_id: str, role: str) -> str | None:
    """SET or LAST_OWNER; None when the user is not a member."""
    rows = await graph.write(SET_ROLE, clubId=club_id, userId=user_id, role=role)
    return rows[0]["outcome"] if rows else None


async def leave(graph: Graph, club_id: str, user_id: str) -> str:
    """LEFT, LAST_OWNER, WITHDRAWN (a request or invitation dropped) or NOT_MEMBER."""
    rows = await graph.write(LEAVE, clubId=club_id, userId=user_id)
    if rows:
        return str(rows[0]["outcome"])
    dropped = await graph.write(WITHDRAW, clubId=club_id, userId=user_id)
    return "WITHDRAWN" if dropped[0]["n"] else "NOT_MEMBER"


async def member_pages(
    graph: Graph, keys: Sequence[PageKey]
) -> dict[PageKey, Page[MembershipRecord]]:
    """Pages of several clubs' members in one query."""
    return await keyed_pages(graph, MEMBER_PAGES, keys, to_membership)


async def requests(graph: Graph, club_id: str, window: Window) -> Page[MembershipRecord]:
    return await read_page(graph, REQUESTS, FIRST_ASKED, "u", window, to_membership, clubId=club_id)
