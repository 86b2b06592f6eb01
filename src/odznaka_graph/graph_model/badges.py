"""Badge nodes: the standard's fields, learning outcomes (TEACHES) and activities."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx, as_datetime, micros, native
from odznaka_graph.graph_model.texts import flatten, unflatten
from odznaka_graph.standard import BadgeContent

TEXT_FIELDS = (
    "name",
    "description",
    "assessment",
    "other_conditions",
    "how_to_obtain",
    "quality_assurance",
    "accessibility",
    "evidence_required",
)
OUTCOME_FIELDS = ("description",)
ACTIVITY_FIELDS = ("name", "description", "conditions")

UPSERT_BADGE: LiteralString = """
MATCH (o:Organization {id: $orgId})
MERGE (b:Badge {id: $id})
ON CREATE SET b.createdAt = $at
SET b += $props, b.updatedAt = $at
MERGE (b)-[:ISSUED_BY]->(o)
WITH b
OPTIONAL MATCH (b)-[t:TEACHES]->(:Skill)
DELETE t
WITH DISTINCT b
OPTIONAL MATCH (b)<-[:PREPARES_FOR]-(old:LearningActivity)
DETACH DELETE old
"""

PUT_OUTCOMES: LiteralString = """
MATCH (b:Badge {id: $id})
UNWIND $outcomes AS outcome
MERGE (s:Skill {key: outcome.skillKey})
ON CREATE SET s.id = outcome.skillId, s += outcome.skillProps
CREATE (b)-[t:TEACHES]->(s)
SET t = outcome.props
"""

PUT_ACTIVITIES: LiteralString = """
MATCH (b:Badge {id: $id})
UNWIND $activities AS activity
CREATE (a:LearningActivity)-[:PREPARES_FOR]->(b)
SET a = activity
"""

SET_STATUS: LiteralString = "MATCH (b:Badge {id: $id}) SET b += $props"

# The catalogue reads the :PublicBadge label (published and public), kept in step with
# status and visibility here, so that listing and counting need not filter every badge. A
# badge hidden by a moderator (issue 15, reports) leaves it for good.
LIST_IN_CATALOGUE: LiteralString = """
MATCH (b:Badge {id: $id})
CALL (b) {
  WITH b WHERE b.status = 'PUBLISHED' AND b.visibility = 'PUBLIC' AND NOT coalesce(b.hidden, false)
  SET b:PublicBadge, b.publishedMs = b.publishedAt.epochMillis,
      b.publishedKey = right('000000000000000' + toString(b.publishedAt.epochMillis), 15)
                       + ':' + b.id
}
CALL (b) {
  WITH b WHERE NOT (b.status = 'PUBLISHED' AND b.visibility = 'PUBLIC')
    OR coalesce(b.hidden, false)
  REMOVE b:PublicBadge
}
"""

# A formal badge has an issuing organisation; a peer badge has none (it carries clubId).
BADGES_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (b:Badge {id: id})
OPTIONAL MATCH (b)-[:ISSUED_BY]->(o:Organization)
RETURN b {.*, organizationId: o.id} AS badge
"""

# The same for lists of many badges (catalogue pages): datetimes as `micros`, which are
# far cheaper for the driver to decode than its DateTime values.
BADGE_PROJECTION = (
    f"b {{.*, organizationId: o.id, createdAt: {micros('b.createdAt')}, "
    f"updatedAt: {micros('b.updatedAt')}, publishedAt: {micros('b.publishedAt')}}}"
)

OUTCOMES_BY_BADGES: LiteralString = """
UNWIND $ids AS id
MATCH (b:Badge {id: id})-[t:TEACHES]->(s:Skill)
RETURN id, t {.*} AS outcome, s.id AS skillId
ORDER BY t.position
"""

ACTIVITIES_BY_BADGES: LiteralString = """
UNWIND $ids AS id
MATCH (b:Badge {id: id})<-[:PREPARES_FOR]-(a:LearningActivity)
RETURN id, a {.*} AS activity
ORDER BY a.position
"""


@dataclass(frozen=True)
class BadgeRecord:
    id: str
    kind: str
    status: str
    visibility: str
    organization_id: str | None  # None for a peer badge
    texts: dict[str, dict[str, str]]
    image_url: str | None
    workload_hours: float | None
    form: str | None
    tags: list[str]
    cost_kind: str | None
    cost_amount: str | None
    cost_currency: str | None
    eqf_level: int | None
    pqf_level: int | None
    validity_days: int | None
    identity_verification: list[str]
    review_comment: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    club_id: str | None = None  # the club of a peer badge
    hidden: bool = False  # hidden by a moderator's decision on a report (issue 15)


@dataclass(frozen=True)
class OutcomeRecord:
    skill_id: str
    texts: dict[str, dict[str, str]]
    check_criteria: dict[str, list[str]]


@dataclass(frozen=True)
class ActivityRecord:
    id: str
    type: str
    texts: dict[str, dict[str, str]]
    start_date: str | None
    end_date: str | None
    place: str | None
    organiser: str | None
    url: str | None


def to_badge(p: dict[str, Any]) -> BadgeRecord:
    return BadgeRecord(
        id=p["id"],
        kind=p["kind"],
        status=p["status"],
        visibility=p.get("visibility", "PUBLIC"),
        organization_id=p.get("organizationId"),
        texts=unflatten(p, TEXT_FIELDS),
        image_url=p.get("imageUrl"),
        workload_hours=p.get("workloadHours"),
        form=p.get("form"),
        tags=list(p.get("tags") or []),
        cost_kind=p.get("costKind"),
        cost_amount=p.get("costAmount"),
        cost_currency=p.get("costCurrency"),
        eqf_level=p.get("eqfLevel"),
        pqf_level=p.get("pqfLevel"),
        validity_days=p.get("validityDays"),
        identity_verification=list(p.get("identityVerification") or []),
        review_comment=p.get("reviewComment"),
        created_at=native(p["createdAt"]),
        updated_at=native(p["updatedAt"]),
        published_at=as_datetime(p.get("publishedAt")),
        club_id=p.get("clubId"),
        hidden=bool(p.get("hidden")),
    )


def badge_props(content: BadgeContent, kind: str) -> dict[str, Any]:
    texts = {field: getattr(content, field) for field in TEXT_FIELDS}
    cost = content.cost
    names = [name.lower() for name in content.name.values()]
    return flatten(texts) | {
        "kind": kind,
        "visibility": "PUBLIC",
        "imageUrl": str(content.image_url) if content.image_url else None,
        "workloadHours": content.workload_hours,
        "form": content.form,
        "tags": content.tags,
        "tagText": " ".join(content.tags),
        "costKind": cost.kind if cost else None,
        "costAmount": str(cost.amount) if cost and cost.amount is not None else None,
        "costCurrency": cost.currency if cost else None,
        "eqfLevel": content.eqf_level,
        "pqfLevel": content.pqf_level,
        "validityDays": content.validity_days,
        "identityVerification": list(content.identity_verification),
        "sortName": min(names) if names else "",
        "activityText": " ".join(
            text for activity in content.activities for text in activity.name.values()
        ),
        "searchText": " ".join([*names, *(t.lower() for t in content.tags)]),
    }


def _outcome_rows(content: BadgeContent, skills: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for position, (outcome, skill) in enumerate(zip(content.outcomes, skills, strict=True)):
        props = flatten({"description": outcome.description}) | {"position": position}
        for lang, criteria in outcome.check_criteria.items():
            props[f"criteria_{lang}"] = criteria
        rows.append({**skill, "props": props})
    return rows


def _activity_rows(badge_id: str, content: BadgeContent) -> list[dict[str, Any]]:
    rows = []
    for position, activity in enumerate(content.activities):
        texts = {field: getattr(activity, field) for field in ACTIVITY_FIELDS}
        rows.append(
            flatten(texts)
            | {
                "id": f"{badge_id}:{position}",
                "position": position,
                "type": activity.type,
                "startDate": activity.start_date,
                "endDate": activity.end_date,
                "place": activity.place,
                "organiser": activity.organiser,
                "url": str(activity.url) if activity.url else None,
            }
        )
    return rows


async def upsert_badge(tx: Tx, payload: dict[str, Any], content: BadgeContent, at: Any) -> None:
    """Write a badge's content; `payload["skills"]` pairs each outcome with its skill."""
    badge_id = payload["id"]
    props = badge_props(content, payload["kind"]) | {"status": payload["status"]}
    await tx.run(UPSERT_BADGE, id=badge_id, orgId=payload["organizationId"], props=props, at=at)
    await tx.run(PUT_OUTCOMES, id=badge_id, outcomes=_outcome_rows(content, payload["skills"]))
    await tx.run(PUT_ACTIVITIES, id=badge_id, activities=_activity_rows(badge_id, content))
    await list_in_catalogue(tx, badge_id)


async def set_status(tx: Tx, badge_id: str, props: dict[str, Any]) -> None:
    await tx.run(SET_STATUS, id=badge_id, props=props)
    await list_in_catalogue(tx, badge_id)


async def list_in_catalogue(tx: Tx, badge_id: str) -> None:
    await tx.run(LIST_IN_CATALOGUE, id=badge_id)


async def badges_by_ids(graph: Graph, ids: list[str]) -> dict[str, BadgeRecord]:
    rows = await graph.read(BADGES_BY_IDS, ids=ids)
    return {row["badge"]["id"]: to_badge(row["badge"]) for row in rows}


async def outcomes_by_badges(graph: Graph, ids: list[str]) -> dict[str, list[OutcomeRecord]]:
    found: dict[str, list[OutcomeRecord]] = {badge_id: [] for badge_id in ids}
    for row in await graph.read(OUTCOMES_BY_BADGES, ids=ids):
        props = row["outcome"]
        criteria = {
            k.removeprefix("criteria_"): v for k, v in props.items() if k.startswith("criteria_")
        }
        found[row["id"]].append(
            OutcomeRecord(row["skillId"], unflatten(props, OUTCOME_FIELDS), criteria)
        )
    return found


async def activities_by_badges(graph: Graph, ids: list[str]) -> dict[str, list[ActivityRecord]]:
    found: dict[str, list[ActivityRecord]] = {badge_id: [] for badge_id in ids}
    for row in await graph.read(ACTIVITIES_BY_BADGES, ids=ids):
        a = row["activity"]
        found[row["id"]].append(
            ActivityRecord(
                id=a["id"],
                type=a["type"],
                texts=unflatten(a, ACTIVITY_FIELDS),
                start_date=str(a["startDate"]) if a.get("startDate") else None,
                end_date=str(a["endDate"]) if a.get("endDate") else None,
                place=a.get("place"),
                organiser=a.get("organiser"),
                url=a.get("url"),
            )
        )
    return found
