"""The events map query: the events the viewer may see (public ones; a team's or club's
for its members) by area or distance, time window, skill, host, form and title, one page
and the total in one round trip."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.events import MEMBERS_SEE, PROJECTION, EventRecord, to_event
from odznaka_graph.graph_model.keyed_pages import Part, read_page
from odznaka_graph.paging import Page, Sort, Window

EVENTS: LiteralString = """
CALL () {{
  MATCH (e:Event) {hint} WHERE {match}
  RETURN count(e) AS total
}}
CALL () {{
  MATCH (e:Event) {hint} WHERE {match}
  WITH e, {distance} AS distanceKm
  WHERE {after}
  WITH e, distanceKm ORDER BY {order} LIMIT $limit
  MATCH (e)-[:HOSTED_BY]->(h)
  RETURN collect([{key}, e.id, {projection}]) AS rows
}}
RETURN total, rows
"""

SORTS = {
    "SOONEST": Sort("e.startsAt.epochMillis", ascending=True),
    "DISTANCE": Sort("distanceKm", ascending=True),
}
FORMS: dict[str, LiteralString] = {
    "ONLINE": "e.onlineUrl IS NOT NULL",
    "ON_SITE": "e.location IS NOT NULL",
    "HYBRID": "e.onlineUrl IS NOT NULL AND e.location IS NOT NULL",
}
DISTANCE_KM: LiteralString = "point.distance(e.location, point($centre)) / 1000.0"


@dataclass(frozen=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float | None = None


@dataclass(frozen=True)
class EventFilter:
    """Every given condition must hold; `ends_after`/`starts_before` pick events that
    overlap a time window."""

    area: BoundingBox | None = None
    near: Near | None = None
    ends_after: datetime | None = None
    starts_before: datetime | None = None
    skill_id: str | None = None
    host_id: str | None = None
    form: str | None = None  # a key of FORMS
    text: str | None = None
    needs_place: bool = False


def _match(f: EventFilter) -> tuple[LiteralString, dict[str, Any]]:
    clauses: list[LiteralString] = [MEMBERS_SEE]
    params: dict[str, Any] = {}
    if f.area is not None:
        clauses.append("point.withinBBox(e.location, point($southWest), point($northEast))")
        params["southWest"] = {"latitude": f.area.south, "longitude": f.area.west}
        params["northEast"] = {"latitude": f.area.north, "longitude": f.area.east}
    if f.near is not None and f.near.radius_km is not None:
        clauses.append("point.distance(e.location, point($centre)) <= $radiusMetres")
        params["radiusMetres"] = f.near.radius_km * 1000.0
    if f.needs_place:
        clauses.append("e.location IS NOT NULL")
    if f.ends_after is not None:
        clauses.append("e.endsAt > $endsAfter")
        params["endsAfter"] = f.ends_after
    if f.starts_before is not None:
        clauses.append("e.startsAt < $startsBefore")
        params["startsBefore"] = f.starts_before
    if f.skill_id:
        clauses.append("EXISTS { (e)-[:TEACHES]->(:Skill {id: $skillId}) }")
        params["skillId"] = f.skill_id
    if f.host_id:
        clauses.append("EXISTS { (e)-[:HOSTED_BY]->(host) WHERE host.id = $hostId }")
        params["hostId"] = f.host_id
    if f.form is not None:
        clauses.append(FORMS[f.form])
    if f.text:
        clauses.append("e.searchText CONTAINS $text")
        params["text"] = f.text.lower().strip()
    if f.near is not None:
        params["centre"] = {"latitude": f.near.latitude, "longitude": f.near.longitude}
    return " AND ".join(clauses), params


def _hint(f: EventFilter) -> LiteralString:
    # The planner cannot see how selective a map area or a time window is (the values are
    # parameters) and tends to scan `endsAt`; a map query is best served by the point index.
    if f.area is not None or (f.near is not None and f.near.radius_km is not None):
        return "USING INDEX e:Event(location)"
    if f.starts_before is not None:
        return "USING INDEX e:Event(startsAt)"
    return ""


async def events(
    graph: Graph,
    f: EventFilter,
    sort_name: str,
    window: Window,
    viewer_id: str | None,
    readers: dict[str, list[str]],
) -> Page[EventRecord]:
    """One page of the events the viewer may see and the total, in one round trip;
    `readers`: the roles that open members' events (`visibility.event_readers`)."""
    sort = SORTS[sort_name]
    match, params = _match(f)
    parts: dict[str, Part] = {
        "hint": _hint(f),
        "match": match,
        "distance": DISTANCE_KM if f.near is not None else "null",
        "projection": PROJECTION.format(distance="distanceKm"),
    }
    return await read_page(
        graph, EVENTS, sort, "e", window, to_event, parts, **params, **readers, viewerId=viewer_id
    )
