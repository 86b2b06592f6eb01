"""An award is acknowledged on its ledger commit, never after its projection (issue 17):
with Neo4j paused (SIGSTOP: believed up, answering nothing) and the write wait for other
writes set long, `awardBadge` answers before Neo4j is resumed, a retry with the same key
gives the same award, and once Neo4j is back the award is in the graph exactly once."""

import asyncio

import pytest

from odznaka_graph.ids import local_id
from odznaka_graph.neo4j_server import Neo4jServer
from tests.helpers import Api, published_badge, register, verified_issuer
from tests.neo4j_pause import neo4j_paused

MINE = "{ me { awards(first: 5) { edges { node { id } } } } }"
RESUME_AFTER = 10.0  # seconds Neo4j stays paused unless the test ends first
AWARD = """mutation($i: AwardBadgeInput!) { awardBadge(input: $i) {
  __typename ... on Award { id issuedAt } } }"""  # ledger fields only: no graph read


async def test_an_award_is_acknowledged_while_neo4j_is_paused_and_projected_once(
    api: Api, neo4j_server: Neo4jServer | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stores = api.runtime.services.stores
    long_wait = stores.settings.model_copy(update={"projection_wait_seconds": 60.0})
    monkeypatch.setattr(stores, "settings", long_wait)
    issuer = await verified_issuer(api)
    badge = await published_badge(api, issuer)
    learner = await register(api)
    request = {"badgeId": badge, "recipientId": learner.id, "idempotencyKey": "paused-neo4j-1"}
    async with neo4j_paused(neo4j_server, RESUME_AFTER) as resumed:
        # `raw`: the helpers' `mutate` settles the projection after a mutation
        first = (await api.raw(AWARD, {"i": request}, issuer.owner.token)).json()
        retry = (await api.raw(AWARD, {"i": request}, issuer.owner.token)).json()
        answered_while_paused = not resumed.is_set()

    award = first["data"]["awardBadge"]
    assert award["__typename"] == "Award", first
    assert retry["data"]["awardBadge"]["id"] == award["id"]
    assert answered_while_paused, "the acknowledgement waited for Neo4j"
    assert await _awards_in_graph(api, local_id(award["id"], "Award") or "") == 1


async def _awards_in_graph(api: Api, award_id: str) -> int:
    """The award's nodes once the relay (a drain every half second, as the outbox poll
    does) has caught up after Neo4j came back."""
    stores = api.runtime.services.stores
    for _ in range(60):
        await stores.projector.settle()
        rows = await stores.graph.read(
            "MATCH (a:Award {id: $id}) RETURN count(a) AS n", id=award_id
        )
        if rows[0]["n"]:
            return int(rows[0]["n"])
        await asyncio.sleep(0.5)
    return 0


async def test_whoever_reads_next_sees_the_award(api: Api) -> None:
    """Read-your-writes without the write waiting: the learner's query right after the
    acknowledgement waits for the award's projection on this instance (and reads it)."""
    issuer = await verified_issuer(api)
    badge = await published_badge(api, issuer)
    learner = await register(api)
    request = {"badgeId": badge, "recipientId": learner.id}
    answer = (await api.raw(AWARD, {"i": request}, issuer.owner.token)).json()
    mine = await api.query(MINE, token=learner.token)  # a query: no settling in the helper

    award = answer["data"]["awardBadge"]
    assert [edge["node"]["id"] for edge in mine["me"]["awards"]["edges"]] == [award["id"]]
