"""The demo data loads through the services, once, and fills the public catalogue."""

from odznaka_graph.demo.loader import load_demo
from tests.helpers import Api


async def test_demo_data_loads_once_and_is_browsable(api: Api) -> None:
    services = api.runtime.services
    assert await load_demo(services) is True
    assert await load_demo(services) is False
    catalogue = await api.query(
        "{ badges(first: 5) { totalCount edges { node { name issuer { name kind } } } } }",
        headers={"Accept-Language": "en"},
    )
    # 11 formal microcredentials, the open club's peer badge and the school's plain badge
    # (issue 15).
    assert catalogue["badges"]["totalCount"] == 13
    kinds = {(e["node"]["issuer"] or {}).get("kind") for e in catalogue["badges"]["edges"]}
    assert kinds
    session = await api.mutate(
        "login",
        {"email": "ania.nowak@demo.odznaka.pl", "password": "odznaka-demo-2026"},
        "... on AuthPayload { accessToken }",
    )
    me = await api.query("{ me { awards { totalCount } } }", token=session["accessToken"])
    assert me["me"]["awards"]["totalCount"] >= 1
