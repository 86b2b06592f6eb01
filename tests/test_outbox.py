"""An award acknowledged while Neo4j is down is kept in the ledger and reaches the graph
once Neo4j is back. Runs on a Neo4j of its own, so stopping it disturbs no other test."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from odznaka_graph.app import create_app
from odznaka_graph.neo4j_server import Neo4jServer, Neo4jServerConfig, free_port
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import PROJECT_ROOT, Settings
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer


@pytest.fixture
async def outage(tmp_path: Path) -> AsyncIterator[tuple[Api, Neo4jServer]]:
    config = Neo4jServerConfig(
        home=tmp_path / "neo4j", bolt_port=free_port(), heap="512m", page_cache="64m"
    )
    server = Neo4jServer(config, PROJECT_ROOT)
    server.start()
    settings = Settings(
        var_dir=tmp_path, neo4j_uri=server.uri, neo4j_password=SecretStr(server.password)
    )
    runtime = await Runtime.open(settings, relay=False)
    app = create_app(settings, runtime)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Api(client, runtime), server
    finally:
        await runtime.close()
        server.stop()


async def test_award_during_a_neo4j_outage_appears_after_it_is_back(
    outage: tuple[Api, Neo4jServer],
) -> None:
    api, server = outage
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)

    server.stop()
    ready = await api.client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["sql"] == "ok"
    award = await api.mutate(
        "awardBadge",
        {"badgeId": badge_id, "recipientId": learner.id, "idempotencyKey": "outage-award-1"},
        AWARD,
        issuer.owner.token,
    )
    assert award["__typename"] == "Award" and award["status"] == "VALID"

    server.start()
    stores = api.runtime.services.stores
    while await stores.projector.flush():
        pass
    rows = await stores.graph.read(
        "MATCH (:User {id: $user})-[:EARNED]->(a:Award)-[:OF]->(:Badge {id: $badge}) "
        "RETURN count(a) AS n",
        user=_local(learner.id),
        badge=_local(badge_id),
    )
    assert rows[0]["n"] == 1
    me = await api.query("{ me { awards { edges { node { id } } } } }", token=learner.token)
    assert me["me"]["awards"]["edges"] == [{"node": {"id": award["id"]}}]


def _local(global_id: str) -> str:
    from odznaka_graph.ids import from_global

    decoded = from_global(global_id)
    assert decoded is not None
    return decoded[1]
