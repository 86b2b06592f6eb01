"""The social graph: follows, contact requests, contacts and blocks between users.

    (:User)-[:FOLLOWS {since}]->(:User)
    (:User)-[:CONTACT_REQUEST {at, message}]->(:User)
    (:User)-[:CONTACT {since}]->(:User)     one per pair; its direction means nothing
    (:User)-[:BLOCKS {at}]->(:User)

Every change first locks both users (in id order, so two changes to one pair never
deadlock) and reads where the pair stands; the service decides, and the write follows in
the same transaction. So a double click or two crossing requests never make two contacts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx, as_datetime
from odznaka_graph.graph_model.keyed_pages import Part, read_page
from odznaka_graph.graph_model.users import UserRecord, to_user
from odznaka_graph.paging import Page, Sort, Window

# The viewer's (or actor's) standing towards each user. Missing users give no row.
RELATION: LiteralString = """
EXISTS { (v)-[:FOLLOWS]->(u) } AS follows,
EXISTS { (u)-[:FOLLOWS]->(v) } AS followedBy,
EXISTS { (v)-[:CONTACT]-(u) } AS contact,
EXISTS { (v)-[:CONTACT_REQUEST]->(u) } AS requestSent,
EXISTS { (u)-[:CONTACT_REQUEST]->(v) } AS requestReceived,
EXISTS { (v)-[:BLOCKS]->(u) } AS blocks,
EXISTS { (u)-[:BLOCKS]->(v) } AS blockedBy
"""

RELATIONS: LiteralString = f"""
MATCH (v:User {{id: $viewerId}})
UNWIND $ids AS id
MATCH (u:User {{id: id}})
RETURN id, {RELATION}
"""

# Writing `_lock` takes each user's write lock; in id order, so crossing changes queue up.
LOCK_PAIR: LiteralString = f"""
MATCH (x:User) WHERE x.id IN [$actorId, $targetId]
WITH x ORDER BY x.id
SET x._lock = true
REMOVE x._lock
WITH count(x) AS locked
MATCH (v:User {{id: $actorId}}), (u:User {{id: $targetId}})
RETURN u.id AS id, {RELATION}
"""

BLOCKERS: LiteralString = """
UNWIND $ids AS id
MATCH (v:User {id: id})
RETURN id, [(b:User)-[:BLOCKS]->(v) | b.id] AS blockers
"""

FOLLOW: LiteralString = """
MATCH (v:User {id: $actorId}), (u:User {id: $targetId})
MERGE (v)-[r:FOLLOWS]->(u)
ON CREATE SET r.since = $at
"""

REQUEST: LiteralString = """
MATCH (v:User {id: $actorId}), (u:User {id: $targetId})
MERGE (v)-[r:CONTACT_REQUEST]->(u)
ON CREATE SET r.at = $at, r.message = $message
"""

# Pending requests between the two give way to the one contact relationship.
CONNECT: LiteralString = """
MATCH (v:User {id: $actorId}), (u:User {id: $targetId})
CALL (v, u) {
  MATCH (v)-[q:CONTACT_REQUEST]-(u)
  DELETE q
}
CREATE (u)-[:CONTACT {since: $at}]->(v)
"""

BLOCK: LiteralString = """
MATCH (v:User {id: $actorId}), (u:User {id: $targetId})
MERGE (v)-[r:BLOCKS]->(u)
ON CREATE SET r.at = $at
"""

# Relationship types come as parameters (type(r) IN ...), never formatted into the query.
REMOVE: LiteralString = """
MATCH (v:User {id: $actorId}), (u:User {id: $targetId})
CALL (v, u) {
  MATCH (v)-[r]->(u) WHERE type(r) IN $outgoing
  DELETE r
}
CALL (v, u) {
  MATCH (u)-[r]->(v) WHERE type(r) IN $incoming
  DELETE r
}
"""

# Whoever blocks the viewer is not there for the viewer; people the list's owner blocks
# are left out of the owner's lists; hidden profiles (and those a moderator hid: issue
# 15, reports) are left out for everyone else.
# This is services.visibility.can_see_profile in Cypher, so pages and counts agree.
SHOWN: LiteralString = """
NOT EXISTS { (u)-[:BLOCKS]->(:User {id: $viewerId}) }
AND NOT EXISTS { (owner)-[:BLOCKS]->(u) }
AND (u.id = $viewerId OR NOT coalesce(u.hidden, false))
AND (u.id = $viewerId
  OR (coalesce(u.visibility, 'PUBLIC') = 'PUBLIC' AND NOT coalesce(u.minorProtected, false))
  OR (coalesce(u.visibility, 'PUBLIC') IN ['PUBLIC', 'CONTACTS']
    AND EXISTS { (u)-[:CONTACT]-(:User {id: $viewerId}) }))
"""

PEOPLE: LiteralString = """
MATCH (owner:User {{id: $ownerId}})
CALL (owner) {{
  MATCH {pattern} WHERE {shown}
  RETURN count(DISTINCT u) AS total
}}
CALL (owner) {{
  MATCH {pattern} WHERE {shown}
  WITH u, max(coalesce(r.{stamp}.epochMillis, 0)) AS key, head(collect(r {{.*}})) AS rel
  WHERE {after}
  WITH u, key, rel ORDER BY {order} LIMIT $limit
  RETURN collect([key, u.id, {{user: u {{.*}}, rel: rel}}]) AS rows
}}
RETURN total, rows
"""

# The contacts list's total for the viewer, for many owners at once: distinct people (a
# contact stored as one relationship or as two counts once), filtered like the list.
CONTACT_COUNTS: LiteralString = f"""
UNWIND $ids AS id
MATCH (owner:User {{id: id}})
RETURN id, COUNT {{
  MATCH (owner)-[:CONTACT]-(u:User) WHERE u <> owner AND {SHOWN} RETURN DISTINCT u }} AS n
"""


class ListKind(StrEnum):
    FOLLOWERS = "FOLLOWERS"
    FOLLOWING = "FOLLOWING"
    CONTACTS = "CONTACTS"
    INCOMING_REQUESTS = "INCOMING_REQUESTS"
    OUTGOING_REQUESTS = "OUTGOING_REQUESTS"
    BLOCKED = "BLOCKED"


@dataclass(frozen=True)
class ListShape:
    pattern: LiteralString
    stamp: LiteralString  # the relationship's time property: the list is newest first by it
    filtered: bool  # whether SHOWN applies (requests and blocks are the owner's own)


# The whitelist of list patterns formatted into PEOPLE.
SHAPES = {
    ListKind.FOLLOWERS: ListShape("(u:User)-[r:FOLLOWS]->(owner)", "since", True),
    ListKind.FOLLOWING: ListShape("(owner)-[r:FOLLOWS]->(u:User)", "since", True),
    ListKind.CONTACTS: ListShape("(owner)-[r:CONTACT]-(u:User)", "since", True),
    ListKind.INCOMING_REQUESTS: ListShape("(u:User)-[r:CONTACT_REQUEST]->(owner)", "at", False),
    ListKind.OUTGOING_REQUESTS: ListShape("(owner)-[r:CONTACT_REQUEST]->(u:User)", "at", False),
    ListKind.BLOCKED: ListShape("(owner)-[r:BLOCKS]->(u:User)", "at", False),
}

NEWEST_FIRST = Sort("key", ascending=False)


@dataclass(frozen=True)
class Relation:
    """Where the viewer stands towards one other user."""

    follows: bool = False
    followed_by: bool = False
    contact: bool = False
    request_sent: bool = False
    request_received: bool = False
    blocks: bool = False
    blocked_by: bool = False


NO_RELATION = Relation()


@dataclass(frozen=True)
class Tie:
    """One row of a list: the other user and the relationship's time (and message)."""

    user: UserRecord
    at: datetime | None
    message: str | None = None


def to_relation(row: dict[str, Any]) -> Relation:
    return Relation(
        follows=row["follows"],
        followed_by=row["followedBy"],
        contact=row["contact"],
        request_sent=row["requestSent"],
        request_received=row["requestReceived"],
        blocks=row["blocks"],
        blocked_by=row["blockedBy"],
    )


async def viewer_relations(
    graph: Graph, ids: list[str], viewer_id: str | None
) -> dict[str, Relation]:
    if viewer_id is None:
        return {}
    rows = await graph.read(RELATIONS, ids=ids, viewerId=viewer_id)
    return {row["id"]: to_relation(row) for row in rows}


async def contact_counts(graph: Graph, ids: list[str], viewer_id: str | None) -> dict[str, int]:
    """How many contacts of each user the viewer may see (the contacts list's total)."""
    rows = await graph.read(CONTACT_COUNTS, ids=ids, viewerId=viewer_id)
    return {row["id"]: row["n"] for row in rows}


async def blockers(graph: Graph, ids: list[str]) -> dict[str, frozenset[str]]:
    """For each user, the ids of the users who block them."""
    rows = await graph.read(BLOCKERS, ids=ids)
    return {row["id"]: frozenset(row["blockers"]) for row in rows}


async def lock_pair(tx: Tx, actor_id: str, target_id: str) -> Relation | None:
    """Lock both users and say where the actor stands; None when either is missing."""
    rows = await tx.run(LOCK_PAIR, actorId=actor_id, targetId=target_id)
    return to_relation(rows[0]) if rows else None


async def follow(tx: Tx, actor_id: str, target_id: str, at: datetime) -> None:
    await tx.run(FOLLOW, actorId=actor_id, targetId=target_id, at=at)


async def request_contact(
    tx: Tx, actor_id: str, target_id: str, message: str | None, at: datetime
) -> None:
    await tx.run(REQUEST, actorId=actor_id, targetId=target_id, message=message, at=at)


async def connect(tx: Tx, actor_id: str, target_id: str, at: datetime) -> None:
    """Make the pair contacts; the caller has checked under the lock that they are not."""
    await tx.run(CONNECT, actorId=actor_id, targetId=target_id, at=at)


async def block(tx: Tx, actor_id: str, target_id: str, at: datetime) -> None:
    await tx.run(BLOCK, actorId=actor_id, targetId=target_id, at=at)


async def remove(
    tx: Tx,
    actor_id: str,
    target_id: str,
    outgoing: Sequence[str] = (),
    incoming: Sequence[str] = (),
) -> None:
    """Delete the actor's relationships of the `outgoing` types to the target and the
    target's of the `incoming` types to the actor."""
    await tx.run(
        REMOVE,
        actorId=actor_id,
        targetId=target_id,
        outgoing=list(outgoing),
        incoming=list(incoming),
    )


def to_tie(props: dict[str, Any], stamp: str) -> Tie:
    rel = props["rel"] or {}
    return Tie(to_user(props["user"]), as_datetime(rel.get(stamp)), rel.get("message"))


async def people(
    graph: Graph, kind: ListKind, owner_id: str, viewer_id: str | None, window: Window
) -> Page[Tie]:
    """One page of a user's list, newest first, and its total, in one round trip."""
    shape = SHAPES[kind]
    parts: dict[str, Part] = {
        "pattern": shape.pattern,
        "shown": SHOWN if shape.filtered else "true",
        "stamp": shape.stamp,
    }
    return await read_page(
        graph,
        PEOPLE,
        NEWEST_FIRST,
        "u",
        window,
        partial(to_tie, stamp=shape.stamp),
        parts,
        ownerId=owner_id,
        viewerId=viewer_id,
    )
