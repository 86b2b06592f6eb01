"""Event nodes: learning events on the map, who hosts them, what they teach, who attends.

Events are community graph data with no ledger meaning, so they live in Neo4j only; the
badge an event awards is issued through the awards ledger, never here.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx, as_datetime, native
from odznaka_graph.graph_model.keyed_pages import read_page
from odznaka_graph.graph_model.texts import flatten, unflatten
from odznaka_graph.paging import Page, Sort, Window

TEXT_FIELDS = ("title", "description")

# Node labels that may host an event; the label is formatted into Cypher only from here,
# never from input. An organisation's events are public; a team's or club's are for its
# members (MEMBERS), as `services/visibility.can_see_event` says and `MEMBERS_SEE` repeats
# for Cypher lists.
HOST_LABELS = ("Organization", "Team", "Club")
MEMBERS_HOSTS = ("Team", "Club")

# Whether the viewer of a list may see `e` (hosted by `h`): as `can_see_event`, with the
# roles `services/visibility.event_readers` gives.
MEMBERS_SEE: LiteralString = """(e.visibility = 'PUBLIC' OR ($viewerId IS NOT NULL AND EXISTS {
  MATCH (e)-[:HOSTED_BY]->(host)
  WHERE (host:Team AND (
      EXISTS { (host)<-[m:MEMBER_OF]-(:User {id: $viewerId}) WHERE m.role IN $teamReaders }
      OR (host.kind = 'CLASS' AND EXISTS { (host)-[:PART_OF]->(:Organization)
        <-[s:STAFF_OF]-(:User {id: $viewerId}) WHERE s.role IN $schoolReaders })))
    OR (host:Club AND EXISTS {
      (host)<-[m:MEMBER_OF]-(:User {id: $viewerId}) WHERE m.role IN $clubReaders })
}))"""

CREATE_EVENT: LiteralString = """
MATCH (h:{label} {{id: $hostId}})
MERGE (e:Event {{id: $id}})
ON CREATE SET e += $props,
  e.location = CASE WHEN $place IS NULL THEN null
               ELSE point({{latitude: $place.latitude, longitude: $place.longitude}}) END
MERGE (e)-[:HOSTED_BY]->(h)
WITH e
CALL (e) {{
  UNWIND $skillIds AS skillId
  MATCH (s:Skill {{id: skillId}})
  MERGE (e)-[:TEACHES]->(s)
}}
CALL (e) {{
  MATCH (b:Badge {{id: $badgeId}})
  MERGE (e)-[:AWARDS]->(b)
}}
RETURN e.id AS id
"""

# Writing `_lock` first takes the event's write lock, so the count read after it sees every
# committed registration: two people racing for the last seat cannot both get it.
ATTEND: LiteralString = """
MATCH (e:Event {id: $eventId})
WHERE e.visibility = 'PUBLIC' OR EXISTS { (e)-[:HOSTED_BY]->()<-[:MEMBER_OF]-(:User {id: $userId}) }
SET e._lock = true
WITH e
OPTIONAL MATCH (u:User {id: $userId})
WITH e, u,
  u IS NOT NULL AND EXISTS { (u)-[:ATTENDS]->(e) } AS already,
  COUNT { (e)<-[:ATTENDS]-(:User) } AS taken
WITH e, u, CASE
  WHEN u IS NULL THEN 'NO_USER'
  WHEN already THEN 'ALREADY_ATTENDING'
  WHEN e.endsAt <= $now THEN 'ENDED'
  WHEN e.capacity IS NOT NULL AND taken >= e.capacity THEN 'FULL'
  ELSE 'ATTENDING' END AS outcome
CALL (e, u, outcome) {
  WITH * WHERE outcome = 'ATTENDING'
  CREATE (u)-[:ATTENDS {registeredAt: $now}]->(e)
}
REMOVE e._lock
RETURN outcome
"""

CANCEL: LiteralString = """
MATCH (u:User {id: $userId})-[r:ATTENDS]->(e:Event {id: $eventId})
WHERE e.visibility = 'PUBLIC' OR EXISTS { (e)-[:HOSTED_BY]->()<-[:MEMBER_OF]-(u) }
WITH r, r.confirmedAt IS NOT NULL AS confirmed
CALL (r, confirmed) {
  WITH * WHERE NOT confirmed
  DELETE r
}
RETURN confirmed
"""

CONFIRM: LiteralString = """
MATCH (e:Event {id: $eventId})
UNWIND $userIds AS userId
OPTIONAL MATCH (:User {id: userId})-[r:ATTENDS]->(e)
SET r.confirmedAt = coalesce(r.confirmedAt, $now)
RETURN userId, r IS NOT NULL AS registered, r.awardId AS awardId
"""

COUNTS: LiteralString = """
MATCH (e:Event {id: $eventId})-[:HOSTED_BY]->(h)
RETURN COUNT { (e)<-[:ATTENDS]-(:User) } AS registered,
  COUNT { (e)<-[a:ATTENDS]-(:User) WHERE a.confirmedAt IS NOT NULL } AS checkedIn,
  head(labels(h)) AS hostType, h.id AS hostId
"""

NOTE_AWARDS: LiteralString = """
MATCH (e:Event {id: $eventId})
UNWIND $rows AS row
MATCH (:User {id: row.userId})-[r:ATTENDS]->(e)
SET r.awardId = row.awardId
"""

# One map per event with everything the API shows, so a page costs one round trip.
PROJECTION: LiteralString = """e {{.*,
  hostId: h.id,
  hostType: head(labels(h)),
  hostKind: h.kind,
  viewerHostRole: head([(h)<-[m:MEMBER_OF]-(:User {{id: $viewerId}}) | m.role]),
  viewerSchoolRole: head([(h)-[:PART_OF]->(:Organization)<-[s:STAFF_OF]-(:User {{id: $viewerId}})
    | s.role]),
  checkedInCount: COUNT {{ (e)<-[a:ATTENDS]-(:User) WHERE a.confirmedAt IS NOT NULL }},
  skillIds: [(e)-[:TEACHES]->(s:Skill) | s.id],
  badgeId: head([(e)-[:AWARDS]->(b:Badge) | b.id]),
  attendeeCount: COUNT {{ (e)<-[:ATTENDS]-(:User) }},
  viewerAttending: $viewerId IS NOT NULL
    AND EXISTS {{ (e)<-[:ATTENDS]-(:User {{id: $viewerId}}) }},
  distanceKm: {distance}
}}"""

EVENTS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (e:Event {{id: id}})-[:HOSTED_BY]->(h)
RETURN {projection} AS event
"""

ATTENDEES: LiteralString = """
CALL () {{
  MATCH (:Event {{id: $eventId}})<-[r:ATTENDS]-(:User)
  RETURN count(r) AS total
}}
CALL () {{
  MATCH (:Event {{id: $eventId}})<-[r:ATTENDS]-(u:User) WHERE {after}
  WITH r, u ORDER BY {order} LIMIT $limit
  RETURN collect([{key}, u.id, r {{.*, userId: u.id, handle: u.handle,
    displayName: u.displayName}}]) AS rows
}}
RETURN total, rows
"""

FIRST_REGISTERED = Sort("r.registeredAt.epochMillis", ascending=True)


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    address: str


@dataclass(frozen=True)
class EventRecord:
    id: str
    host_id: str
    host_type: str
    texts: dict[str, dict[str, str]]
    starts_at: datetime
    ends_at: datetime
    online_url: str | None
    place: Place | None
    capacity: int | None
    visibility: str
    skill_ids: list[str]
    badge_id: str | None
    attendee_count: int
    viewer_attending: bool
    created_at: datetime
    distance_km: float | None = None
    created_by: str | None = None  # the staff member who created it
    host_kind: str | None = None  # a team's kind (CLASS or TEAM)
    viewer_host_role: str | None = None  # the viewer's role in a hosting team or club
    viewer_school_role: str | None = None  # their staff role in a hosting class's school
    geofence_metres: int | None = None  # check-in only this near the place
    checked_in_count: int = 0  # attendees confirmed (by staff or by checking in)


@dataclass(frozen=True)
class AttendeeRecord:
    user_id: str
    handle: str
    display_name: str
    registered_at: datetime
    confirmed_at: datetime | None
    award_id: str | None


def to_event(p: dict[str, Any]) -> EventRecord:
    location = p.get("location")
    place = (
        Place(location.latitude, location.longitude, p.get("address") or "")
        if location is not None
        else None
    )
    return EventRecord(
        id=p["id"],
        host_id=p["hostId"],
        host_type=p["hostType"],
        texts=unflatten(p, TEXT_FIELDS),
        starts_at=native(p["startsAt"]),
        ends_at=native(p["endsAt"]),
        online_url=p.get("onlineUrl"),
        place=place,
        capacity=p.get("capacity"),
        visibility=p.get("visibility", "PUBLIC"),
        skill_ids=list(p.get("skillIds") or []),
        badge_id=p.get("badgeId"),
        attendee_count=p.get("attendeeCount", 0),
        viewer_attending=bool(p.get("viewerAttending")),
        created_at=native(p["createdAt"]),
        distance_km=p.get("distanceKm"),
        created_by=p.get("createdBy"),
        host_kind=p.get("hostKind"),
        viewer_host_role=p.get("viewerHostRole"),
        viewer_school_role=p.get("viewerSchoolRole"),
        geofence_metres=p.get("geofenceMetres"),
        checked_in_count=p.get("checkedInCount", 0),
    )


def to_attendee(p: dict[str, Any]) -> AttendeeRecord:
    return AttendeeRecord(
        user_id=p["userId"],
        handle=p["handle"],
        display_name=p.get("displayName") or p["handle"],
        registered_at=native(p["registeredAt"]),
        confirmed_at=as_datetime(p.get("confirmedAt")),
        award_id=p.get("awardId"),
    )


def event_props(fields: dict[str, Any], host_type: str = "Organization") -> dict[str, Any]:
    """Node properties from validated event fields (texts per language, times, place)."""
    texts = {name: fields.get(name) or {} for name in TEXT_FIELDS}
    place = fields.get("place")
    titles = [title.lower() for title in texts["title"].values()]
    return flatten(texts) | {
        "id": fields["id"],
        "startsAt": fields["starts_at"],
        "endsAt": fields["ends_at"],
        "onlineUrl": fields.get("online_url"),
        "address": place["address"] if place else None,
        "capacity": fields.get("capacity"),
        "visibility": "MEMBERS" if host_type in MEMBERS_HOSTS else "PUBLIC",
        "geofenceMetres": fields.get("geofence_metres"),
        "searchText": " ".join(titles),
        "createdAt": fields["created_at"],
        "createdBy": fields["created_by"],
    }


async def create_event(tx: Tx, fields: dict[str, Any], host_type: str) -> bool:
    """Write a new event; False when its host is not in the graph."""
    if host_type not in HOST_LABELS:
        raise ValueError(f"unknown host type {host_type}")
    place = fields.get("place")
    rows = await tx.run(
        CREATE_EVENT.format(label=host_type),
        id=fields["id"],
        hostId=fields["host_id"],
        props=event_props(fields, host_type),
        place={"latitude": place["latitude"], "longitude": place["longitude"]} if place else None,
        skillIds=fields.get("skill_ids") or [],
        badgeId=fields.get("badge_id"),
    )
    return bool(rows)


async def attend(graph: Graph, event_id: str, user_id: str, at: datetime) -> str | None:
    """ATTENDING, ALREADY_ATTENDING, ENDED, FULL or NO_USER; None when there is no such event."""
    rows = await graph.write(ATTEND, eventId=event_id, userId=user_id, now=at)
    return rows[0]["outcome"] if rows else None


async def cancel(graph: Graph, event_id: str, user_id: str) -> str:
    """CANCELLED, NOT_ATTENDING, or CONFIRMED (a confirmed attendance stays)."""
    rows = await graph.write(CANCEL, eventId=event_id, userId=user_id)
    if not rows:
        return "NOT_ATTENDING"
    return "CONFIRMED" if rows[0]["confirmed"] else "CANCELLED"


async def confirm(
    graph: Graph, event_id: str, user_ids: list[str], at: datetime
) -> dict[str, str | None]:
    """Mark the registered ones among `user_ids` as attended; return them, each with the
    award their attendance already led to (None if none yet)."""
    rows = await graph.write(CONFIRM, eventId=event_id, userIds=user_ids, now=at)
    return {row["userId"]: row["awardId"] for row in rows if row["registered"]}


async def counts(graph: Graph, event_id: str) -> dict[str, Any]:
    """How many registered and how many are confirmed (checked in), as committed now, with
    the event's host (`hostType`, `hostId`)."""
    rows = await graph.read(COUNTS, eventId=event_id)
    return dict(rows[0]) if rows else {}


async def note_awards(graph: Graph, event_id: str, awards: dict[str, str]) -> None:
    """Remember on each attendance which award it led to."""
    rows = [{"userId": user_id, "awardId": award_id} for user_id, award_id in awards.items()]
    if rows:
        await graph.write(NOTE_AWARDS, eventId=event_id, rows=rows)


async def events_by_ids(
    graph: Graph, ids: list[str], viewer_id: str | None
) -> dict[str, EventRecord]:
    query = EVENTS_BY_IDS.format(projection=PROJECTION.format(distance="null"))
    rows = await graph.read(query, ids=ids, viewerId=viewer_id)
    return {row["event"]["id"]: to_event(row["event"]) for row in rows}


async def attendees(graph: Graph, event_id: str, window: Window) -> Page[AttendeeRecord]:
    return await read_page(
        graph, ATTENDEES, FIRST_REGISTERED, "u", window, to_attendee, eventId=event_id
    )
