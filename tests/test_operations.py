"""Operating the service: routing URIs, the per-operation timeout, the admin CLI."""

import asyncio
import os
import subprocess
import sys

import httpx
from pydantic import SecretStr

from odznaka_graph.app import create_app
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.helpers import Api, register


async def test_a_routing_uri_works_unchanged(settings: Settings) -> None:
    assert settings.neo4j_uri is not None
    routed = settings.model_copy(
        update={"neo4j_uri": settings.neo4j_uri.replace("bolt://", "neo4j://")}
    )
    runtime = await Runtime.open(routed, relay=False)
    try:
        graph = runtime.services.stores.graph
        await graph.write("MERGE (s:Skill {id: 'routing-check', key: 'routing-check'})")
        rows = await graph.read("MATCH (s:Skill {id: 'routing-check'}) RETURN count(s) AS n")
        assert rows[0]["n"] == 1
        await graph.write("MATCH (s:Skill {id: 'routing-check'}) DELETE s")
    finally:
        await runtime.close()


async def test_slow_operations_are_stopped_with_a_clear_error(
    settings: Settings, runtime: Runtime
) -> None:
    hasty = settings.model_copy(update={"operation_timeout_seconds": 0.000001})
    app = create_app(hasty, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            body = (
                await client.post("/graphql", json={"query": "{ badges { totalCount } }"})
            ).json()
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert "was stopped" in body["errors"][0]["message"]


async def test_grant_reviewer_from_the_command_line(api: Api, settings: Settings) -> None:
    person = await register(api, "przyszly.recenzent")
    password = settings.neo4j_password or SecretStr("")
    env = os.environ | {
        "NEO4J_URI": settings.neo4j_uri or "",
        "NEO4J_PASSWORD": password.get_secret_value(),
        "VAR_DIR": str(settings.var_dir),
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "odznaka_graph.cli", "grant-reviewer", person.email],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    login = await api.mutate(
        "login",
        {"email": person.email, "password": "correct horse battery"},
        "... on AuthPayload { accessToken }",
    )
    org = await api.mutate(
        "reviewOrganization",
        {"organizationId": "T3JnYW5pemF0aW9uOm5vbmU", "approve": True},
        "",
        login["accessToken"],
    )
    assert org["__typename"] == "NotFoundError"  # allowed to review; the organisation is unknown
    unknown = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "odznaka_graph.cli", "grant-reviewer", "nobody@example.org"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unknown.returncode != 0 and "No account has the e-mail" in unknown.stderr
