"""graphql-http's own GraphQL over HTTP audit (the npm package's `auditServer`), run by
tests/node/audit.mjs against the API served by uvicorn: every check, MUST, SHOULD and MAY,
passes."""

import json
import shutil
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from odznaka_graph.app import create_app
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.credential_helpers import NODE_DIR


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_process(settings, tmp_path_factory.mktemp("audit")) as base:
        yield base


def test_every_graphql_over_http_audit_passes(server: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed (the machine image has it)"
    assert (NODE_DIR / "node_modules" / "graphql-http").is_dir(), "run `make node-deps`"
    run = subprocess.run(
        [node, str(NODE_DIR / "audit.mjs"), f"http://{server}/graphql"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    failing = [result for result in results if result["status"] != "ok"]
    for result in failing:
        print(json.dumps(result))
    assert len(results) > 50, run.stdout
    assert not failing, f"{len(results) - len(failing)} of {len(results)} pass; failing:\n" + (
        "\n".join(json.dumps(result) for result in failing)
    )


async def test_only_operations_that_never_ran_lose_their_data(
    settings: Settings, runtime: Runtime
) -> None:
    """Variables that cannot be coerced: 400 without `data`. An operation stopped by the
    timeout did run: 200 with `data: null`. Plain JSON clients get 200 either way."""
    hasty = settings.model_copy(update={"operation_timeout_seconds": 0.000001})
    typed = {"Accept": "application/graphql-response+json"}
    coercion = {
        "query": "query($n: Int) { badges(first: $n) { totalCount } }",
        "variables": {"n": "x"},
    }
    app = create_app(hasty, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            refused = await client.post("/graphql", json=coercion, headers=typed)
            legacy = await client.post("/graphql", json=coercion)
            stopped = await client.post(
                "/graphql", json={"query": "{ badges { totalCount } }"}, headers=typed
            )
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/graphql-response+json"
    assert "data" not in refused.json() and refused.json()["errors"]
    assert legacy.status_code == 200 and legacy.json()["data"] is None
    assert stopped.status_code == 200
    assert stopped.json()["data"] is None
    assert stopped.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
