"""Peer badges of clubs, nominations for them and the vouches that make them awards.

`(:User)-[:NOMINATED]->(n:Nomination)-[:FOR]->(:User)`, `(n)-[:OF]->(:Badge)`, and
`(:User)-[:VOUCHED {at}]->(n)` (the nominator's own vouch included). The award itself is
issued through the awards ledger; the nomination only remembers its id (`n.awardId`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.badges import (
    BadgeRecord,
    badge_props,
    list_in_catalogue,
    to_badge,
)
from odznaka_graph.graph_model.driver import Graph, Tx, as_datetime, native
from odznaka_graph.graph_model.keyed_pages import PageKey, keyed_pages
from odznaka_graph.paging import Page
from odznaka_graph.standard import BadgeContent

UPSERT_PEER_BADGE: LiteralString = """
MATCH (c:Club {id: $clubId})
MERGE (b:Badge {id: $id})
ON CREATE SET b.createdAt = $at
SET b += $props, b.updatedAt = $at
MERGE (b)-[:OF_CLUB]->(c)
"""

# Several clubs' published peer badges (newest first) in one query, each list sliced.
BADGE_PAGES: LiteralString = """
UNWIND $keys AS k
MATCH (c:Club {id: k.id})
CALL (c, k) {
  MATCH (b:Badge)-[:OF_CLUB]->(c) WHERE b.status = 'PUBLISHED'
  WITH b, b.createdAt.epochMillis AS key
  WHERE k.cursorId IS NULL
    OR (k.forward AND (key < k.cursorKey OR (key = k.cursorKey AND b.id < k.cursorId)))
    OR (NOT k.forward AND (key > k.cursorKey OR (key = k.cursorKey AND b.id > k.cursorId)))
  WITH b, key ORDER BY key DESC, b.id DESC
  WITH collect([key, b.id, b {.*}]) AS found
  RETURN found
}
RETURN k.id AS id, k.size AS size, k.after AS after, k.forward AS forward,
       CASE WHEN k.forward THEN found[..k.limit] ELSE reverse(found)[..k.limit] END AS rows,
       COUNT { (b:Badge)-[:OF_CLUB]->(c) WHERE b.status = 'PUBLISHED' } AS total
"""

# Locks the nominator (their daily count) and then the badge (one nomination per badge and
# nominee that is open or awarded and not revoked), always in that order so that two
# nominations cannot deadlock.
NOMINATE: LiteralString = """
MATCH (u:User {id: $userId})-[:MEMBER_OF]->(c:Club)<-[:OF_CLUB]-(b:Badge {id: $badgeId})
SET u._lock = true, b._lock = true
WITH u, c, b
OPTIONAL MATCH (old:Nomination {id: $id})
OPTIONAL MATCH (nominee:User {id: $nomineeId})-[:MEMBER_OF]->(c)
WITH u, c, b, old, nominee,
  COUNT { (u)-[:NOMINATED]->(x:Nomination)-[:OF]->(:Badge)-[:OF_CLUB]->(c)
          WHERE x.createdAt >= $dayStart } AS today,
  head([(b)<-[:OF]-(x:Nomination)-[:FOR]->(:User {id: $nomineeId})
        WHERE x.awardId IS NULL
           OR NOT EXISTS { MATCH (a:Award {id: x.awardId}) WHERE a.revokedAt IS NOT NULL }
        | CASE WHEN x.awardId IS NULL THEN 'ALREADY_NOMINATED' ELSE 'HELD' END]) AS standing
WITH *, CASE
  WHEN old IS NOT NULL THEN 'REPLAY'
  WHEN nominee IS NULL THEN 'NOMINEE_NOT_MEMBER'
  WHEN standing IS NOT NULL THEN standing
  WHEN today >= c.dailyPeerAwardLimit THEN 'LIMIT'
  ELSE 'NOMINATED' END AS outcome
CALL (u, b, nominee, outcome) {
  WITH * WHERE outcome = 'NOMINATED'
  CREATE (n:Nomination {id: $id, reason: $reason, createdAt: $at})
  CREATE (u)-[:NOMINATED]->(n), (n)-[:FOR]->(nominee), (n)-[:OF]->(b),
         (u)-[:VOUCHED {at: $at}]->(n)
}
REMOVE u._lock, b._lock
RETURN outcome,
  head([(old)-[:OF]->(x:Badge) | x.id]) AS oldBadgeId,
  head([(old)-[:FOR]->(x:User) | x.id]) AS oldNomineeId
"""

# The nomination's lock first, so the vouch count read after it includes every committed
# vouch: of several concurrent vouches, exactly one sees the threshold reached first.
VOUCH: LiteralString = """
MATCH (n:Nomination {id: $id})-[:OF]->(:Badge)-[:OF_CLUB]->(c:Club)
MATCH (v:User {id: $userId})-[:MEMBER_OF]->(c)
SET n._lock = true
WITH n, c, v
MATCH (by:User)-[:NOMINATED]->(n)-[:FOR]->(nominee:User)
WITH n, c, v, by, nominee,
  EXISTS { (v)-[:VOUCHED]->(n) } AS already,
  EXISTS { (nominee)-[:MEMBER_OF]->(c) } AS nomineeMember,
  COUNT { (:User)-[:VOUCHED]->(n) } AS before
WITH *, CASE
  WHEN v = nominee THEN 'NOMINEE'
  WHEN v = by THEN 'NOMINATOR'
  WHEN already THEN 'ALREADY_VOUCHED'
  WHEN n.awardId IS NOT NULL THEN 'CLOSED'
  WHEN NOT nomineeMember THEN 'NOMINEE_LEFT'
  ELSE 'VOUCHED' END AS outcome
CALL (n, v, outcome) {
  WITH * WHERE outcome = 'VOUCHED'
  CREATE (v)-[:VOUCHED {at: $at}]->(n)
}
REMOVE n._lock
RETURN outcome, before + CASE WHEN outcome = 'VOUCHED' THEN 1 ELSE 0 END AS vouches
"""

NOTE_AWARD: LiteralString = """
MATCH (n:Nomination {id: $id})
SET n.awardId = $awardId, n.awardedAt = coalesce(n.awardedAt, $at)
"""

REVOKED: LiteralString = (
    "EXISTS { MATCH (a:Award) WHERE a.id = n.awardId AND a.revokedAt IS NOT NULL }"
)

PROJECTION: LiteralString
PROJECTION = f"""n {{.*, badgeId: b.id, clubId: c.id, nominatorId: by.id, nomineeId: nominee.id,
  threshold: c.vouchThreshold,
  vouchCount: COUNT {{ (:User)-[:VOUCHED]->(n) }},
  viewerVouched: EXISTS {{ (n)<-[:VOUCHED]-(:User {{id: $viewerId}}) }},
  revoked: {REVOKED}
}}"""

NOMINATIONS_BY_IDS: LiteralString = f"""
UNWIND $ids AS id
MATCH (by:User)-[:NOMINATED]->(n:Nomination {{id: id}})-[:OF]->(b:Badge)-[:OF_CLUB]->(c:Club)
MATCH (n)-[:FOR]->(nominee:User)
RETURN {PROJECTION} AS nomination
"""

STATUS: dict[str, LiteralString] = {
    "OPEN": "n.awardId IS NULL",
    "AWARDED": f"n.awardId IS NOT NULL AND NOT {REVOKED}",
    "REVOKED": REVOKED,
}

# Several clubs' nominations (newest first) in one query: each club's page is picked
# first, and only the picked nominations are projected. (An aggregation grouped by `k`
# would drop a key whose page is empty: the lists are collected without it.)
NOMINATION_PAGES: LiteralString = """
UNWIND $keys AS k
MATCH (c:Club {{id: k.id}})
CALL (c, k) {{
  MATCH (n:Nomination)-[:OF]->(:Badge)-[:OF_CLUB]->(c) WHERE {status}
  WITH n, n.createdAt.epochMillis AS key
  WHERE k.cursorId IS NULL
    OR (k.forward AND (key < k.cursorKey OR (key = k.cursorKey AND n.id < k.cursorId)))
    OR (NOT k.forward AND (key > k.cursorKey OR (key = k.cursorKey AND n.id > k.cursorId)))
  WITH n, key ORDER BY key DESC, n.id DESC
  WITH collect([key, n]) AS found
  RETURN found
}}
CALL (c, k, found) {{
  UNWIND CASE WHEN k.forward THEN found[..k.limit] ELSE reverse(found)[..k.limit] END AS pick
  WITH pick[0] AS key, pick[1] AS n
  MATCH (by:User)-[:NOMINATED]->(n)-[:OF]->(b:Badge), (n)-[:FOR]->(nominee:User)
  RETURN collect([key, n.id, {projection}]) AS rows
}}
RETURN k.id AS id, k.size AS size, k.after AS after, k.forward AS forward, rows,
       COUNT {{ MATCH (n:Nomination)-[:OF]->(:Badge)-[:OF_CLUB]->(c) WHERE {status} }} AS total
"""

# Several nominations' vouches (first vouch first) in one query, each list sliced.
VOUCH_PAGES: LiteralString = """
UNWIND $keys AS k
MATCH (n:Nomination {id: k.id})
CALL (n, k) {
  MATCH (u:User)-[v:VOUCHED]->(n)
  WITH u, v, v.at.epochMillis AS key
  WHERE k.cursorId IS NULL
    OR (k.forward AND (key > k.cursorKey OR (key = k.cursorKey AND u.id > k.cursorId)))
    OR (NOT k.forward AND (key < k.cursorKey OR (key = k.cursorKey AND u.id < k.cursorId)))
  WITH u, v, key ORDER BY key, u.id
  WITH collect([key, u.id, {userId: u.id, at: v.at}]) AS found
  RETURN found
}
RETURN k.id AS id, k.size AS size, k.after AS after, k.forward AS forward,
       CASE WHEN k.forward THEN found[..k.limit] ELSE reverse(found)[..k.limit] END AS rows,
       COUNT { (:User)-[:VOUCHED]->(n) } AS total
"""


@dataclass(frozen=True)
class NominationRecord:
    id: str
    badge_id: str
    club_id: str
    nominator_id: str
    nominee_id: str
    reason: str
    created_at: datetime
    award_id: str | None
    awarded_at: datetime | None
    revoked: bool
    vouch_count: int
    threshold: int
    viewer_vouched: bool

    @property
    def status(self) -> str:
        if self.award_id is None:
            return "OPEN"
        return "REVOKED" if self.revoked else "AWARDED"


@dataclass(frozen=True)
class VouchRecord:
    user_id: str
    at: datetime


@dataclass(frozen=True)
class NominateOutcome:
    """NOMINATED, REPLAY (this key was used: see the old badge and nominee), LIMIT,
    ALREADY_NOMINATED, HELD (awarded through another nomination) or NOMINEE_NOT_MEMBER."""

    outcome: str
    old_badge_id: str | None = None
    old_nominee_id: str | None = None


def to_nomination(p: dict[str, Any]) -> NominationRecord:
    return NominationRecord(
        id=p["id"],
        badge_id=p["badgeId"],
        club_id=p["clubId"],
        nominator_id=p["nominatorId"],
        nominee_id=p["nomineeId"],
        reason=p.get("reason") or "",
        created_at=native(p["createdAt"]),
        award_id=p.get("awardId"),
        awarded_at=as_datetime(p.get("awardedAt")),
        revoked=bool(p.get("revoked")),
        vouch_count=p.get("vouchCount", 0),
        threshold=p.get("threshold", 1),
        viewer_vouched=bool(p.get("viewerVouched")),
    )


async def upsert_peer_badge(
    tx: Tx, payload: dict[str, Any], content: BadgeContent, at: Any
) -> None:
    """A peer badge's node, tied to its club; `clubId` is kept on the node too, so every
    read of badges carries it without another match."""
    props = badge_props(content, "PEER") | {
        "status": payload["status"],
        "visibility": payload["visibility"],
        "clubId": payload["clubId"],
        "publishedAt": at,
    }
    await tx.run(UPSERT_PEER_BADGE, id=payload["id"], clubId=payload["clubId"], props=props, at=at)
    await list_in_catalogue(tx, payload["id"])  # a PUBLIC club's badges only


async def nominate(graph: Graph, fields: dict[str, Any]) -> NominateOutcome | None:
    """None when the nominator is not a member of the badge's club (or either is unknown)."""
    rows = await graph.write(
        NOMINATE,
        id=fields["id"],
        userId=fields["nominator_id"],
        nomineeId=fields["nominee_id"],
        badgeId=fields["badge_id"],
        reason=fields["reason"],
        at=fields["at"],
        dayStart=fields["day_start"],
    )
    if not rows:
        return None
    row = rows[0]
    return NominateOutcome(row["outcome"], row["oldBadgeId"], row["oldNomineeId"])


async def vouch(graph: Graph, nomination_id: str, user_id: str, at: datetime) -> tuple[str, int]:
    """(outcome, vouches now): VOUCHED, ALREADY_VOUCHED, NOMINATOR, NOMINEE, CLOSED or
    NOMINEE_LEFT; ("NOT_MEMBER", 0) when the voucher is not in the nomination's club."""
    rows = await graph.write(VOUCH, id=nomination_id, userId=user_id, at=at)
    return (rows[0]["outcome"], rows[0]["vouches"]) if rows else ("NOT_MEMBER", 0)


async def note_award(tx: Tx, nomination_id: str, award_id: str, at: datetime | None) -> None:
    """Close the nomination with its award (projected from `nomination.awarded`; applying
    it again changes nothing)."""
    await tx.run(NOTE_AWARD, id=nomination_id, awardId=award_id, at=at)


async def nominations_by_ids(
    graph: Graph, ids: list[str], viewer_id: str | None
) -> dict[str, NominationRecord]:
    rows = await graph.read(NOMINATIONS_BY_IDS, ids=ids, viewerId=viewer_id)
    return {row["nomination"]["id"]: to_nomination(row["nomination"]) for row in rows}


async def nomination_pages(
    graph: Graph, keys: Sequence[PageKey], status: str | None, viewer_id: str | None
) -> dict[PageKey, Page[NominationRecord]]:
    """Pages of several clubs' nominations, optionally of one status, in one query."""
    query = NOMINATION_PAGES.format(
        status=STATUS[status] if status else "true", projection=PROJECTION
    )
    return await keyed_pages(graph, query, keys, to_nomination, viewerId=viewer_id)


def to_vouch(p: dict[str, Any]) -> VouchRecord:
    return VouchRecord(p["userId"], native(p["at"]))


async def vouch_pages(graph: Graph, keys: Sequence[PageKey]) -> dict[PageKey, Page[VouchRecord]]:
    """Pages of several nominations' vouches in one query."""
    return await keyed_pages(graph, VOUCH_PAGES, keys, to_vouch)


async def badge_pages(graph: Graph, keys: Sequence[PageKey]) -> dict[PageKey, Page[BadgeRecord]]:
    """Pages of several clubs' peer badges in one query."""
    return await keyed_pages(graph, BADGE_PAGES, keys, to_badge)
