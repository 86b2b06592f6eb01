"""Events for the catalogue benchmark: generated rows in the graph model's shape, and the
map queries to time."""

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

CREATE_EVENTS = """
UNWIND $rows AS row
MATCH (o:Organization {id: row.host})
CREATE (e:Event)
SET e = row.props, e.startsAt = datetime(row.startsAt), e.endsAt = datetime(row.endsAt),
    e.createdAt = datetime(),
    e.location = CASE WHEN row.lat IS NULL THEN null
                 ELSE point({latitude: row.lat, longitude: row.lon}) END
CREATE (e)-[:HOSTED_BY]->(o)
WITH e, row
MATCH (s:Skill {key: row.skill})
CREATE (e)-[:TEACHES]->(s)
"""

WARSAW = (52.2297, 21.0122)
START = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)


def event_rows(
    rng: random.Random, indexes: Iterable[int], orgs: int, cities: list[tuple[str, float, float]]
) -> list[dict[str, Any]]:
    rows = []
    for i in indexes:
        city, lat, lon = rng.choice(cities)
        online = rng.random() < 0.2
        starts = START + timedelta(days=rng.randint(-30, 180), hours=rng.randint(0, 9))
        title = f"Warsztaty {i} ({city})"
        rows.append(
            {
                "host": f"bench-org-{i % orgs}",
                "skill": f"bench-skill-{i % 300}",
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=rng.choice([2, 3, 6, 8]))).isoformat(),
                "lat": None if online else lat + rng.uniform(-0.25, 0.25),
                "lon": None if online else lon + rng.uniform(-0.35, 0.35),
                "props": {
                    "id": f"bench-event-{i}",
                    "title_pl": title,
                    "title_en": f"Workshop {i}",
                    "searchText": title.lower(),
                    "visibility": "PUBLIC",
                    "onlineUrl": "https://meet.example.org/x" if online else None,
                    "address": None if online else f"{city}, ul. Przykładowa {i % 90}",
                },
            }
        )
    return rows


MAP = """query($filter: EventFilter, $sort: EventSort) { events(filter: $filter, sort: $sort,
  first: 20) { totalCount edges { node { id title startsAt distanceKm host { ... on
  Organization { name } } } } } }"""


def _next_month() -> dict[str, str]:
    first = (START.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1)
    return {"from": first.isoformat(), "to": last.isoformat()}


def map_scenarios() -> dict[str, tuple[str, Any]]:
    near = {"latitude": WARSAW[0], "longitude": WARSAW[1], "radiusKm": 25}
    box = {"south": 51.9, "west": 20.5, "north": 52.5, "east": 21.5}
    return {
        "map_within_25km_of_warsaw_next_month": (
            MAP,
            lambda i: {"filter": {"near": near, "window": _next_month()}},
        ),
        "map_nearest_first_within_25km": (
            MAP,
            lambda i: {"filter": {"near": near}, "sort": "DISTANCE"},
        ),
        "map_bounding_box_next_month": (
            MAP,
            lambda i: {"filter": {"area": box, "window": _next_month()}},
        ),
    }
