"""Profile reads: contacts, the skills map, filtered and grouped awards, endorsements.

Every read here takes a list of keys (UNWIND) so that the per-request loaders answer a
whole page of profiles or awards in one round trip.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.awards import AwardRecord, to_award
from odznaka_graph.graph_model.badges import OUTCOME_FIELDS, OutcomeRecord
from odznaka_graph.graph_model.driver import Graph, as_datetime, generated, native
from odznaka_graph.graph_model.keyed_pages import PageKey, Part, keyed_pages, read_page
from odznaka_graph.graph_model.skills import SkillRecord, to_skill
from odznaka_graph.graph_model.texts import unflatten
from odznaka_graph.paging import Page, Sort, Window

VIEWER_CONTACTS: LiteralString = """
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN id, EXISTS { (u)-[:CONTACT]-(:User {id: $viewerId}) } AS contact
"""


AWARD_PROJECTION: LiteralString = "a {.*, badgeId: b.id, awardedById: by.id, recipientId: u.id}"

VALID: LiteralString = "(a.revokedAt IS NULL AND (a.expiresAt IS NULL OR a.expiresAt > $now))"
STATUS_CONDITIONS: dict[str, LiteralString] = {
    "VALID": VALID,
    "EXPIRED": "(a.revokedAt IS NULL AND a.expiresAt <= $now)",
    "REVOKED": "a.revokedAt IS NOT NULL",
    "PENDING_CLAIM": "false",  # an award on a profile has been claimed by definition
}

SKILL_MAPS: LiteralString = f"""
UNWIND $ids AS userId
MATCH (u:User {{id: userId}})-[:EARNED]->(a:Award)-[:OF]->(b:Badge)-[t:TEACHES]->(s:Skill)
WHERE {VALID}
MATCH (a)-[:AWARDED_BY]->(by:User)
WITH userId, u, a, b, t, s, by ORDER BY a.issuedAt DESC, a.id DESC
WITH userId, s,
     collect(DISTINCT {AWARD_PROJECTION}) AS awards,
     collect(DISTINCT t {{.*}}) AS outcomes,
     max(b.eqfLevel) AS maxEqf
RETURN userId, s {{.*}} AS skill, awards, outcomes, maxEqf
ORDER BY size(awards) DESC, s.key
"""

FILTERED_AWARDS: LiteralString = """
CALL () {{
  MATCH (u:User {{id: $userId}})-[:EARNED]->(a:Award)-[:OF]->(b:Badge) WHERE {match}
  RETURN count(a) AS total
}}
CALL () {{
  MATCH (u:User {{id: $userId}})-[:EARNED]->(a:Award)-[:OF]->(b:Badge)
  WHERE {match} AND {after}
  WITH u, a, b ORDER BY {order} LIMIT $limit
  MATCH (a)-[:AWARDED_BY]->(by:User)
  RETURN collect([{key}, a.id, {award}]) AS rows
}}
RETURN total, rows
"""

GROUP_PATHS: dict[str, LiteralString] = {
    "ISSUER": "(b)-[:ISSUED_BY]->(g:Organization)",
    "SKILL": "(b)-[:TEACHES]->(g:Skill)",
}

AWARD_GROUPS: LiteralString = """
MATCH (u:User {{id: $userId}})-[:EARNED]->(a:Award)-[:OF]->(b:Badge) WHERE {match}
MATCH {group}
MATCH (a)-[:AWARDED_BY]->(by:User)
WITH g, u, a, b, by ORDER BY a.issuedAt DESC, a.id DESC
WITH g, count(DISTINCT a) AS n, collect(DISTINCT {award})[..$preview] AS newest
RETURN g.id AS key, n, newest
ORDER BY n DESC, key
"""

ENDORSE: LiteralString = """
MATCH (u:User {id: $userId}), (a:Award {id: $awardId})
MERGE (u)-[r:ENDORSED]->(a)
ON CREATE SET r.at = $at
SET r.comment = $comment, r.updatedAt = $at
RETURN r {.*, endorserId: u.id} AS endorsement
"""

ENDORSEMENT_COUNTS: LiteralString = """
UNWIND $ids AS id
MATCH (a:Award {id: id})
RETURN id, COUNT { (:User)-[:ENDORSED]->(a) } AS n
"""

# Newest first. LIMIT cannot take a per-row value, so each award's list is sliced.
ENDORSEMENT_PAGES: LiteralString = """
UNWIND $keys AS k
MATCH (a:Award {id: k.id})
CALL (a, k) {
  MATCH (u:User)-[r:ENDORSED]->(a)
  WITH u, r, r.at.epochMillis AS key
  WHERE k.cursorId IS NULL
    OR (k.forward AND (key < k.cursorKey OR (key = k.cursorKey AND u.id < k.cursorId)))
    OR (NOT k.forward AND (key > k.cursorKey OR (key = k.cursorKey AND u.id > k.cursorId)))
  WITH u, r, key ORDER BY key DESC, u.id DESC
  WITH collect([key, u.id, r {.*, endorserId: u.id, awardId: a.id}]) AS found
  RETURN found
}
RETURN k.id AS id, k.size AS size, k.after AS after, k.forward AS forward,
       CASE WHEN k.forward THEN found[..k.limit] ELSE reverse(found)[..k.limit] END AS rows,
       COUNT { (:User)-[:ENDORSED]->(a) } AS total
"""

NEWEST_FIRST = Sort("a.issuedAt.epochMillis", ascending=False)


@dataclass(frozen=True)
class SkillMapRecord:
    """One skill on a profile with the valid credentials that prove it."""

    skill: SkillRecord
    awards: list[AwardRecord]
    outcomes: list[OutcomeRecord]
    max_eqf_level: int | None


@dataclass(frozen=True)
class AwardFilter:
    statuses: tuple[str, ...] = ()
    issuer_id: str | None = None
    skill_id: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class AwardReaders:
    """Who reads a profile's awards: a members-only club's peer awards are listed (and
    counted) only for the club's members (`club_roles`) and the holder."""

    viewer_id: str | None = None
    club_roles: Sequence[str] = ()


# A peer award (its badge carries clubId) of a club that is not PUBLIC is left out for
# all but the holder and the club's members; an award, badge or club hidden by a
# moderator (issue 15, reports) for all but the holder (services/visibility.award_reach).
def club_readable(holder: str, badge: str, award: str = "a") -> LiteralString:
    """The rule over the holder's, the award's and the badge's variables (planner/ names
    its own)."""
    return generated(
        f"({holder}.id = $readerId OR (NOT coalesce({award}.hidden, false) "
        f"AND NOT coalesce({badge}.hidden, false) AND ({badge}.clubId IS NULL OR EXISTS {{\n"
        f"  MATCH ({badge})-[:OF_CLUB]->(c:Club)\n"
        "  WHERE NOT coalesce(c.hidden, false) AND (c.visibility = 'PUBLIC' OR EXISTS {\n"
        "    (c)<-[m:MEMBER_OF]-(:User {id: $readerId}) WHERE m.role IN $readerClubRoles })"
        " })))"
    )


CLUB_READABLE: LiteralString = club_readable("u", "b", "a")


@dataclass(frozen=True)
class AwardGroupRecord:
    key: str
    count: int
    newest: list[AwardRecord]


@dataclass(frozen=True)
class EndorsementRecord:
    award_id: str
    endorser_id: str
    comment: str | None
    at: datetime
    updated_at: datetime | None


EndorsementKey = PageKey  # (award id, page size, after cursor)


def now() -> datetime:
    return datetime.now(UTC)


async def viewer_contacts(graph: Graph, ids: list[str], viewer_id: str | None) -> dict[str, bool]:
    if viewer_id is None:
        return {}
    rows = await graph.read(VIEWER_CONTACTS, ids=ids, viewerId=viewer_id)
    return {row["id"]: row["contact"] for row in rows}


def to_outcome(props: dict[str, Any], skill_id: str) -> OutcomeRecord:
    criteria = {
        key.removeprefix("criteria_"): value
        for key, value in props.items()
        if key.startswith("criteria_")
    }
    return OutcomeRecord(skill_id, unflatten(props, OUTCOME_FIELDS), criteria)


def to_skill_map_entry(row: dict[str, Any]) -> SkillMapRecord:
    skill = to_skill(row["skill"])
    outcomes = sorted(row["outcomes"], key=lambda props: props.get("position", 0))
    return SkillMapRecord(
        skill=skill,
        awards=[to_award(props) for props in row["awards"]],
        outcomes=[to_outcome(props, skill.id) for props in outcomes],
        max_eqf_level=row["maxEqf"],
    )


async def skill_maps(graph: Graph, ids: list[str]) -> dict[str, list[SkillMapRecord]]:
    """Each user's skills from their valid awards: one query for any number of users."""
    found: dict[str, list[SkillMapRecord]] = {user_id: [] for user_id in ids}
    for row in await graph.read(SKILL_MAPS, ids=ids, now=now()):
        found[row["userId"]].append(to_skill_map_entry(row))
    return found


def award_match(f: AwardFilter, readers: AwardReaders) -> tuple[LiteralString, dict[str, Any]]:
    """WHERE clauses over `u` (holder), `a` (Award) and `b` (Badge), for these readers;
    values only as parameters."""
    clauses: list[LiteralString] = [CLUB_READABLE]
    params: dict[str, Any] = {
        "now": now(),
        "readerId": readers.viewer_id,
        "readerClubRoles": list(readers.club_roles),
    }
    if f.statuses:
        clauses.append("(" + " OR ".join(STATUS_CONDITIONS[s] for s in f.statuses) + ")")
    if f.issuer_id:
        clauses.append("EXISTS { (b)-[:ISSUED_BY]->(:Organization {id: $issuerId}) }")
        params["issuerId"] = f.issuer_id
    if f.skill_id:
        clauses.append("EXISTS { (b)-[:TEACHES]->(:Skill {id: $skillId}) }")
        params["skillId"] = f.skill_id
    if f.kind:
        clauses.append("b.kind = $kind")
        params["kind"] = f.kind
    return " AND ".join(clauses), params


async def filtered_awards(
    graph: Graph, user_id: str, f: AwardFilter, window: Window, readers: AwardReaders
) -> Page[AwardRecord]:
    match, params = award_match(f, readers)
    parts: dict[str, Part] = {"match": match, "award": AWARD_PROJECTION}
    return await read_page(
        graph, FILTERED_AWARDS, NEWEST_FIRST, "a", window, to_award, parts, userId=user_id, **params
    )


async def award_groups(
    graph: Graph, user_id: str, by: str, f: AwardFilter, preview: int, readers: AwardReaders
) -> list[AwardGroupRecord]:
    match, params = award_match(f, readers)
    query = AWARD_GROUPS.format(match=match, group=GROUP_PATHS[by], award=AWARD_PROJECTION)
    rows = await graph.read(query, userId=user_id, preview=preview, **params)
    return [
        AwardGroupRecord(row["key"], row["n"], [to_award(props) for props in row["newest"]])
        for row in rows
    ]


async def endorse(
    graph: Graph, user_id: str, award_id: str, comment: str | None, at: datetime
) -> EndorsementRecord | None:
    """Add or update one endorsement; None when the award is not in the graph (yet)."""
    rows = await graph.write(ENDORSE, userId=user_id, awardId=award_id, comment=comment, at=at)
    return to_endorsement(award_id, rows[0]["endorsement"]) if rows else None


async def endorsement_counts(graph: Graph, ids: list[str]) -> dict[str, int]:
    rows = await graph.read(ENDORSEMENT_COUNTS, ids=ids)
    return {row["id"]: row["n"] for row in rows}


def to_endorsement(award_id: str, props: dict[str, Any]) -> EndorsementRecord:
    return EndorsementRecord(
        award_id=award_id,
        endorser_id=props["endorserId"],
        comment=props.get("comment"),
        at=native(props["at"]),
        updated_at=as_datetime(props.get("updatedAt")),
    )


async def endorsement_pages(
    graph: Graph, keys: Sequence[EndorsementKey]
) -> dict[EndorsementKey, Page[EndorsementRecord]]:
    """Pages of several awards' endorsements (newest first) in one query."""
    return await keyed_pages(graph, ENDORSEMENT_PAGES, keys, _endorsement)


def _endorsement(props: dict[str, Any]) -> EndorsementRecord:
    return to_endorsement(props["awardId"], props)
