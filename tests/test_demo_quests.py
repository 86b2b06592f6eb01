"""The demo's houses and quest (issue 15): class 3b in two houses with scores, class 1a
with a two-step quest."""

from odznaka_graph.demo.loader import DEMO_PASSWORD
from tests.demo_snapshot import demo_world
from tests.helpers import Api

QUERY = """{ me { teams { edges { node { name
  houseRanking { rank score house { name colour memberCount } }
  challenges { edges { node { title requires { challenge { title } } } } } } } } } }"""


async def test_the_demo_shows_houses_and_a_two_step_quest(api: Api) -> None:
    await demo_world(api.runtime)
    await api.runtime.services.stores.projector.flush()
    session = await api.mutate(
        "login",
        {"email": "ewa.szymanska@demo.odznaka.pl", "password": DEMO_PASSWORD},
        "... on AuthPayload { accessToken }",
    )
    me = (await api.query(QUERY, token=session["accessToken"]))["me"]
    teams = {edge["node"]["name"]: edge["node"] for edge in me["teams"]["edges"]}
    ranking = teams["Klasa 3b"]["houseRanking"]
    assert sorted(s["house"]["name"] for s in ranking) == ["Orły", "Sowy"]
    assert sum(s["house"]["memberCount"] for s in ranking) == 3
    assert all(s["score"] > 0 for s in ranking)
    quest = {
        edge["node"]["title"]: edge["node"]["requires"]
        for edge in teams["Klasa 1a"]["challenges"]["edges"]
    }
    assert quest == {
        "Etap 1: pierwsze kroki": None,
        "Etap 2: projekt klasowy": {"challenge": {"title": "Etap 1: pierwsze kroki"}},
    }
