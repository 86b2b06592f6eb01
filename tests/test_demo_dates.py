"""The demo does not age: loaded on a later day, its events are still ahead of that day."""

from datetime import timedelta

from odznaka_graph.clock import now
from odznaka_graph.demo.loader import load_demo
from tests.helpers import Api

QUERY = """query($filter: EventFilter) {
  events(filter: $filter, first: 50) { totalCount edges { node { startsAt } } }
}"""


async def test_demo_loaded_a_month_ahead_still_has_upcoming_events(api: Api) -> None:
    later = now() + timedelta(days=31)
    assert await load_demo(api.runtime.services, today=later.date()) is True
    window = {"from": later.isoformat(), "to": (later + timedelta(days=60)).isoformat()}
    found = await api.query(QUERY, {"filter": {"window": window}})
    assert found["events"]["totalCount"] >= 14  # all but the one that had just ended
    week = {"from": later.isoformat(), "to": (later + timedelta(days=10)).isoformat()}
    soon = await api.query(QUERY, {"filter": {"window": week}})
    assert soon["events"]["totalCount"] >= 3  # the first days are not empty either
