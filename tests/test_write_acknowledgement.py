"""Writes beyond awards answer at their ledger commit (issue 17), and every graph read made
while answering a request passes the read fence: the learner reading right after a
teacher's write on the same instance sees it, with nobody settling the projection; with
Neo4j paused (SIGSTOP: believed up, answering nothing) a write whose checks read the graph
gets the typed SERVICE_UNAVAILABLE in bounded time, never a hang or "Internal server
error", and changes nothing."""

from typing import Any

import pytest

from odznaka_graph.neo4j_server import Neo4jServer
from tests.helpers import Api, verified_issuer
from tests.neo4j_pause import neo4j_paused
from tests.team_helpers import create_team, pupils

GIVE = """mutation($i: AwardPointsInput!) { awardPoints(input: $i) {
  __typename ... on PointsAwarded { entries { amount } } } }"""
ME = "{ me { xp pointHistory(first: 5) { edges { node { amount note } } } } }"
RESUME_AFTER = 10.0  # seconds Neo4j stays paused unless the test ends first


async def test_the_learner_reading_right_after_a_teachers_write_sees_it(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [ala] = await pupils(api, team["joinCode"], 1)
    give = {"teamId": team["id"], "recipientIds": [ala.id], "amount": 4, "note": "Brawo"}
    # `raw` and `query`: the helpers' `mutate` would settle the projection
    answer = (await api.raw(GIVE, {"i": give}, issuer.owner.token)).json()
    me = (await api.query(ME, token=ala.token))["me"]

    assert answer["data"]["awardPoints"]["entries"] == [{"amount": 4}], answer
    assert me["xp"] == 4
    assert me["pointHistory"]["edges"] == [{"node": {"amount": 4, "note": "Brawo"}}]


async def test_a_write_that_reads_a_paused_neo4j_is_refused_typed_and_changes_nothing(
    api: Api, neo4j_server: Neo4jServer | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stores = api.runtime.services.stores
    monkeypatch.setattr(stores.graph, "request_read_timeout", 1.0)
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [ala] = await pupils(api, team["joinCode"], 1)
    give = {"teamId": team["id"], "recipientIds": [ala.id], "amount": 3, "note": "Pauza"}
    async with neo4j_paused(neo4j_server, RESUME_AFTER) as resumed:
        response = await api.raw(GIVE, {"i": give}, issuer.owner.token)
        answered_while_paused = not resumed.is_set()

    body: dict[str, Any] = response.json()
    assert answered_while_paused, "the write waited for Neo4j"
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", body
    me = (await api.query(ME, token=ala.token))["me"]
    assert (me["xp"], me["pointHistory"]["edges"]) == (0, [])


PROFILE = """query P($h: String!) { user(handle: $h) { handle awards(first: 5) { totalCount } } }"""


async def test_a_planned_read_of_a_paused_neo4j_is_refused_typed(
    api: Api, neo4j_server: Neo4jServer | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planned path (planned_http.py) gives up as the executor does: SERVICE_UNAVAILABLE
    after GRAPH_READ_TIMEOUT_SECONDS, not the operation's TIMEOUT after waiting it out."""
    monkeypatch.setattr(api.runtime.services.stores.graph, "request_read_timeout", 1.0)
    issuer = await verified_issuer(api)
    handle = (await api.query(ME_HANDLE, token=issuer.owner.token))["me"]["handle"]
    async with neo4j_paused(neo4j_server, RESUME_AFTER) as resumed:
        response = await api.raw(PROFILE, {"h": handle})
        answered_while_paused = not resumed.is_set()

    body: dict[str, Any] = response.json()
    assert answered_while_paused, "the read waited for Neo4j"
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", body
    again = await api.query(PROFILE, {"h": handle})
    assert again["user"] == {"handle": handle, "awards": {"totalCount": 0}}


ME_HANDLE = "{ me { handle } }"
