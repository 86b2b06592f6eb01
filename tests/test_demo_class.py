"""The demo's class: a teacher's challenge with pupils already moving up the board."""

from odznaka_graph.demo.loader import DEMO_PASSWORD
from tests.demo_snapshot import demo_world
from tests.helpers import Api

QUERY = """{ me { xp level { number } teams { edges { node { name challenges { edges { node {
  title status leaderboard { entries { edges { node { rank score target completedAt handle
} } } } } } } } } } } }"""


async def test_the_demo_class_has_a_challenge_two_pupils_completed(api: Api) -> None:
    await demo_world(api.runtime)
    await api.runtime.services.stores.projector.flush()
    session = await api.mutate(
        "login",
        {"email": "kasia.zielinska@demo.odznaka.pl", "password": DEMO_PASSWORD},
        "... on AuthPayload { accessToken }",
    )
    me = (await api.query(QUERY, token=session["accessToken"]))["me"]
    [team] = [edge["node"] for edge in me["teams"]["edges"]]
    [challenge] = [edge["node"] for edge in team["challenges"]["edges"]]
    assert challenge["status"] == "OPEN"
    entries = [edge["node"] for edge in challenge["leaderboard"]["entries"]["edges"]]
    assert [(e["handle"], e["rank"], bool(e["completedAt"])) for e in entries] == [
        ("ania.nowak", 1, True),
        ("piotr.wisniewski", 1, True),
        ("kasia.zielinska", 3, False),
    ]
    assert me["xp"] > 0  # her earlier badges count
