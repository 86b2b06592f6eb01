"""A subscriber that was away catches up: notifications carry a sequence, and subscribing
with `since` delivers what was made after it (from the SQL store), then live ones, each
once."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.helpers import published_badge, register
from tests.live_helpers import live, remote, remote_issuer, settled
from tests.team_helpers import award

SUBSCRIBE = """subscription($since: Int) { notifications(since: $since) {
  id sequence kind subject { id } } }"""


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var: Path = tmp_path_factory.mktemp("catch-up")
    with api_process(settings, var) as base:
        yield base


async def test_a_subscriber_catches_up_on_what_it_missed(server: str) -> None:
    async with remote(server) as http:
        issuer = await remote_issuer(http)
        badge_id = await published_badge(http, issuer)
        learner = await register(http)
        first = await award(http, issuer, badge_id, learner)  # while nobody listens
        other_badge = await published_badge(http, issuer)
        async with live(server, learner.token) as client:
            await client.subscribe("n", SUBSCRIBE, {"since": 0})
            missed = await client.item("n", "notifications", lambda item: True)
            await settled()
            second = await award(http, issuer, other_badge, learner)
            pushed = await client.item("n", "notifications", lambda item: True)
            nothing_more = await client.quiet("n", 1)
        async with live(server, learner.token) as client:
            await client.subscribe("again", SUBSCRIBE, {"since": missed["sequence"]})
            resumed = await client.item("again", "notifications", lambda item: True)
            after_that = await client.quiet("again", 1)

    assert missed["subject"] == {"id": first} and missed["kind"] == "AWARD_RECEIVED"
    assert pushed["subject"] == {"id": second}
    assert pushed["sequence"] > missed["sequence"]
    assert nothing_more == []
    assert resumed == pushed and after_that == []
