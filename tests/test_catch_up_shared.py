"""The catch-up limit (CATCH_UP_MAX_PER_MINUTE) is one budget per account across every
instance on one Redis: catch-ups made on one instance count on the other."""

from collections.abc import Iterator

import pytest

from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.helpers import register
from tests.live_helpers import live, remote
from tests.redis_server import RedisServer

SUBSCRIBE = """subscription($since: Int) { notifications(since: $since) { id sequence } }"""
CATCH_UPS = 2  # per account per minute, in these instances


@pytest.fixture(scope="module")
def instances(
    settings: Settings, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    var = tmp_path_factory.mktemp("shared-catch-ups")  # one SQL store for both
    limit = {"REDIS_URL": redis_server.url, "CATCH_UP_MAX_PER_MINUTE": str(CATCH_UPS)}
    with api_process(settings, var, **limit) as a, api_process(settings, var, **limit) as b:
        yield a, b


async def test_catch_ups_on_one_instance_count_on_the_other(instances: tuple[str, str]) -> None:
    first, second = instances
    async with remote(first) as http:
        learner = await register(http)
    async with live(first, learner.token) as client:
        for n in range(CATCH_UPS):
            await client.subscribe(f"ok{n}", SUBSCRIBE, {"since": 0})
        accepted = [await client.quiet(f"ok{n}", 0.5) for n in range(CATCH_UPS)]
    async with live(second, learner.token) as client:
        await client.subscribe("more", SUBSCRIBE, {"since": 0})
        refused = await client.message("more", within=10)
        await client.subscribe("plain", SUBSCRIBE, {})  # without `since`: still fine
        plain = await client.quiet("plain", 0.5)

    assert accepted == [[]] * CATCH_UPS  # nothing missed, nothing refused
    assert refused["type"] == "next" and refused["payload"]["data"] is None, refused
    [error] = refused["payload"]["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED", error
    assert 1 <= error["extensions"]["retryAfterSeconds"] <= 60, error
    assert plain == []
