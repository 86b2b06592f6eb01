"""Award nodes: one issued credential, who earned it, which badge, who awarded it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx, as_datetime, native

CREATE_AWARD: LiteralString = """
MATCH (b:Badge {id: $badgeId}), (by:User {id: $awardedBy})
MERGE (a:Award {id: $id})
ON CREATE SET a += $props
MERGE (a)-[:OF]->(b)
MERGE (a)-[:AWARDED_BY]->(by)
"""

ATTACH_RECIPIENT: LiteralString = """
MATCH (a:Award {id: $id}), (u:User {id: $recipientId})
MERGE (u)-[:EARNED]->(a)
"""

# An account merged into another (issue 14): the award is the other's, never both's.
MOVE_AWARD: LiteralString = """
MATCH (a:Award {id: $id}), (u:User {id: $recipientId})
OPTIONAL MATCH (a)<-[old:EARNED]-(other:User) WHERE other <> u
DELETE old
WITH DISTINCT a, u
MERGE (u)-[:EARNED]->(a)
"""

REVOKE_AWARD: LiteralString = "MATCH (a:Award {id: $id}) SET a += $props"

# Recounted, not incremented, so that projecting an event twice leaves the same number.
COUNT_HOLDERS: LiteralString = """
MATCH (:Award {id: $id})-[:OF]->(b:Badge)
SET b.holders = COUNT { (b)<-[:OF]-(a:Award)<-[:EARNED]-(:User) WHERE a.revokedAt IS NULL }
"""

AWARDS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (a:Award {id: id})-[:OF]->(b:Badge)
MATCH (a)-[:AWARDED_BY]->(by:User)
OPTIONAL MATCH (u:User)-[:EARNED]->(a)
RETURN a {.*, badgeId: b.id, awardedById: by.id, recipientId: u.id} AS award
"""


@dataclass(frozen=True)
class AwardRecord:
    id: str
    badge_id: str
    recipient_id: str | None
    awarded_by_id: str
    issued_at: datetime
    expires_at: datetime | None
    evidence: list[dict[str, str]]
    revoked_at: datetime | None
    revoke_reason: str | None
    hidden: bool = False  # hidden by a moderator's decision on a report (issue 15)


def to_award(p: dict[str, Any]) -> AwardRecord:
    urls = p.get("evidenceUrls") or []
    notes = p.get("evidenceNarratives") or []
    return AwardRecord(
        id=p["id"],
        badge_id=p["badgeId"],
        recipient_id=p.get("recipientId"),
        awarded_by_id=p["awardedById"],
        issued_at=native(p["issuedAt"]),
        expires_at=as_datetime(p.get("expiresAt")),
        evidence=[{"url": u, "narrative": n} for u, n in zip(urls, notes, strict=False)],
        revoked_at=as_datetime(p.get("revokedAt")),
        revoke_reason=p.get("revokeReason"),
        hidden=bool(p.get("hidden")),
    )


async def create_award(tx: Tx, payload: dict[str, Any], issued: Any, expires: Any) -> None:
    evidence = payload.get("evidence") or []
    props = {
        "issuedAt": issued,
        "expiresAt": expires,
        "evidenceUrls": [item.get("url") or "" for item in evidence],
        "evidenceNarratives": [item.get("narrative") or "" for item in evidence],
    }
    await tx.run(
        CREATE_AWARD,
        id=payload["id"],
        badgeId=payload["badgeId"],
        awardedBy=payload["awardedBy"],
        props=props,
    )
    if payload.get("recipientId"):
        await attach_recipient(tx, payload["id"], payload["recipientId"])


async def attach_recipient(tx: Tx, award_id: str, recipient_id: str) -> None:
    await tx.run(ATTACH_RECIPIENT, id=award_id, recipientId=recipient_id)
    await tx.run(COUNT_HOLDERS, id=award_id)


async def move_award(tx: Tx, award_id: str, recipient_id: str) -> None:
    await tx.run(MOVE_AWARD, id=award_id, recipientId=recipient_id)


async def revoke_award(tx: Tx, award_id: str, at: Any, reason: str) -> None:
    await tx.run(REVOKE_AWARD, id=award_id, props={"revokedAt": at, "revokeReason": reason})
    await tx.run(COUNT_HOLDERS, id=award_id)


async def awards_by_ids(graph: Graph, ids: list[str]) -> dict[str, AwardRecord]:
    rows = await graph.read(AWARDS_BY_IDS, ids=ids)
    return {row["award"]["id"]: to_award(row["award"]) for row in rows}
