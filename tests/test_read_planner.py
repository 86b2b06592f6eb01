"""The read planner (issue 13): a planned read answers exactly what the field-by-field
executor answers, in one Cypher round trip whatever the list's length, and reads only
what the selection and the visibility rules need."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from odznaka_graph.app import create_app
from odznaka_graph.observability import RoundTrips
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer

PROFILE = """query Profile($h: String!, $n: Int) { user(handle: $h) { id handle displayName
  __typename awards(first: $n) { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id issuedAt status badge { id name eqfLevel
  issuer { id name } } } } } } }"""


@pytest.fixture
async def unplanned(settings: Settings, runtime: Runtime) -> AsyncIterator[Api]:
    """The same stores served with the planner off: every field resolved one by one."""
    off = settings.model_copy(update={"read_planner": False})
    app = create_app(off, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, runtime)


async def _both(
    api: Api, unplanned: Api, query: str, variables: dict[str, Any], token: str | None = None
) -> Any:
    planned = (await api.raw(query, variables, token)).json()
    executed = (await unplanned.raw(query, variables, token)).json()
    if planned != executed:
        import difflib, json
        a = json.dumps(planned, indent=1).splitlines(); b = json.dumps(executed, indent=1).splitlines()
        print("\n".join(difflib.unified_diff(a, b, lineterm="")))
    assert planned == executed
    return planned


async def test_a_profile_is_answered_as_the_executor_answers_it_in_one_round_trip(
    api: Api, unplanned: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    for _ in range(3):
        badge_id = await published_badge(api, issuer)
        await api.mutate(
            "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD, issuer.owner.token
        )
    handle = learner.handle
    round_trips.neo4j = 0
    answer = await _both(api, unplanned, PROFILE, {"h": handle, "n": 2})
    print(answer)
    assert answer["data"]["user"]["awards"]["totalCount"] == 3
