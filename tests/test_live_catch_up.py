"""A subscriber that was away catches up: notifications carry a sequence, and subscribing
with `since` delivers what was made after it (from the SQL store), then live ones, each
once."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from odznaka_graph.ledger.db import create_engine
from odznaka_graph.ledger.notifications import pushed_since_statement
from odznaka_graph.ledger.tables import metadata
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.helpers import published_badge, register
from tests.live_helpers import live, remote, remote_issuer, settled
from tests.team_helpers import award

SUBSCRIBE = """subscription($since: Int) { notifications(since: $since) {
  id sequence kind subject { id } } }"""
CATCH_UPS = 3  # per account per minute, in this module's server


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var: Path = tmp_path_factory.mktemp("catch-up")
    with api_process(settings, var, CATCH_UP_MAX_PER_MINUTE=str(CATCH_UPS)) as base:
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


async def test_catch_ups_are_read_by_the_accounts_key() -> None:
    """`notifications(since:)` reads the account's own live messages by the key of
    notification_pushes, never through every account's messages in the outbox."""
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            statement = pushed_since_statement("someone", 7, 500)
            compiled = statement.compile(conn.engine, compile_kwargs={"literal_binds": True})
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
            plan = [str(row[-1]) for row in rows]
    finally:
        await engine.dispose()
    assert any(
        step.startswith("SEARCH notification_pushes")
        and step.endswith("(account_id=? AND outbox_id>?)")
        for step in plan
    ), plan
    assert any("outbox USING INTEGER PRIMARY KEY (rowid=?)" in step for step in plan), plan
    assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in plan), plan


async def test_too_many_catch_ups_are_refused_with_a_retry_hint(server: str) -> None:
    async with remote(server) as http:
        learner = await register(http)
        async with live(server, learner.token) as client:
            for n in range(CATCH_UPS):
                await client.subscribe(f"ok{n}", SUBSCRIBE, {"since": 0})
            await client.subscribe("more", SUBSCRIBE, {"since": 0})
            refused = await client.message("more")
            await client.subscribe("plain", SUBSCRIBE, {})  # without `since`: still fine
            plain = await client.quiet("plain", 1)
            accepted = [await client.quiet(f"ok{n}", 0.2) for n in range(CATCH_UPS)]

    assert refused["type"] == "next" and refused["payload"]["data"] is None, refused
    [error] = refused["payload"]["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED", error
    assert 1 <= error["extensions"]["retryAfterSeconds"] <= 60, error
    assert plain == [] and accepted == [[]] * CATCH_UPS  # nothing missed: nothing sent
