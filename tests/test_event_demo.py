"""The demo events: a visitor finds what is on within 25 km of Warsaw in December 2026
(the month the events were written for; loaded later, they and these windows move by the
same whole weeks)."""

from datetime import datetime

import pytest

from odznaka_graph.clock import now
from odznaka_graph.demo.events import shift_for
from tests.demo_snapshot import demo_world
from tests.helpers import Api


def _moved(moment: str) -> str:
    return (datetime.fromisoformat(moment) + shift_for(now().date())).isoformat()


DECEMBER = {"from": _moved("2026-12-01T00:00:00+01:00"), "to": _moved("2027-01-01T00:00:00+01:00")}
WARSAW = {"latitude": 52.2297, "longitude": 21.0122}
QUERY = """query($filter: EventFilter, $sort: EventSort) {
  events(filter: $filter, sort: $sort, first: 20) {
    totalCount
    edges { node { title distanceKm form attendeeCount place { address }
      host { ... on Organization { name } } badge { name } teaches { name } } }
  }
}"""


async def test_demo_events_near_warsaw_in_december(api: Api) -> None:
    await demo_world(api.runtime)
    near = WARSAW | {"radiusKm": 25}
    found = await api.query(
        QUERY,
        {"filter": {"near": near, "window": DECEMBER}, "sort": "DISTANCE"},
        headers={"Accept-Language": "en"},
    )
    nodes = [edge["node"] for edge in found["events"]["edges"]]
    assert [n["title"] for n in nodes] == [
        "Business simulation tournament for teams",
        "Python from scratch – weekend workshop",
        "Meetup: Git for beginners",
        "Open lecture: data in research projects",
    ]
    assert all(0 < n["distanceKm"] < 25 for n in nodes)
    python = nodes[1]
    assert python["badge"]["name"] == "Python programming fundamentals"
    assert python["host"]["name"] == "Kodolab – Coding School"
    assert python["attendeeCount"] == 2
    assert {skill["name"] for skill in python["teaches"]} == {
        "Python programming",
        "Version control with Git",
    }

    everything = {"window": {"from": DECEMBER["from"], "to": _moved("2027-02-01T00:00:00+01:00")}}
    all_events = await api.query(QUERY, {"filter": everything})
    assert all_events["events"]["totalCount"] == 15
    online = await api.query(QUERY, {"filter": everything | {"form": "ONLINE"}})
    assert online["events"]["totalCount"] == 5
    krakow = await api.query(
        QUERY,
        {"filter": everything | {"near": WARSAW, "text": "ryzyko"}},
    )
    distance = krakow["events"]["edges"][0]["node"]["distanceKm"]
    assert distance == pytest.approx(252, abs=3)
