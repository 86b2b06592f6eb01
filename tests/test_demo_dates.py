"""The demo does not age: loaded with the clock a month ahead, it still shows upcoming
events, public paths, clubs and a class whose challenge is running."""

from datetime import timedelta

from odznaka_graph.clock import now, shifted
from odznaka_graph.demo.loader import DEMO_PASSWORD, load_demo
from tests.helpers import Api

EVENTS = """query($filter: EventFilter) {
  events(filter: $filter, first: 50) { totalCount edges { node { startsAt } } }
}"""
EVERYTHING = """{ paths { totalCount } clubs { totalCount }
  me { teams { edges { node { challenges { edges { node { status endsAt } } } } } } } }"""


async def test_the_demo_loaded_a_month_ahead_still_shows_everything(api: Api) -> None:
    with shifted(timedelta(days=31)):
        later = now()
        assert await load_demo(api.runtime.services) is True
        window = {"from": later.isoformat(), "to": (later + timedelta(days=60)).isoformat()}
        found = await api.query(EVENTS, {"filter": {"window": window}})
        assert found["events"]["totalCount"] >= 14  # all but the one that had just ended
        week = {"from": later.isoformat(), "to": (later + timedelta(days=10)).isoformat()}
        soon = await api.query(EVENTS, {"filter": {"window": week}})
        assert soon["events"]["totalCount"] >= 3  # the first days are not empty either
        login = {"email": "kasia.zielinska@demo.odznaka.pl", "password": DEMO_PASSWORD}
        session = await api.mutate("login", login, "... on AuthPayload { accessToken }")
        seen = await api.query(EVERYTHING, token=session["accessToken"])
    assert seen["paths"]["totalCount"] >= 2 and seen["clubs"]["totalCount"] >= 1
    [team] = [edge["node"] for edge in seen["me"]["teams"]["edges"]]
    [challenge] = [edge["node"] for edge in team["challenges"]["edges"]]
    assert challenge["status"] == "OPEN"
    assert challenge["endsAt"] > (later + timedelta(days=7)).isoformat()
