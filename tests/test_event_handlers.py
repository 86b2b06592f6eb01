"""Event handlers: one that keeps failing on one event is parked with its error, visible in
/metrics and to the CLI, while later events and the other handlers go on; replayed, it
finishes, and nothing is done twice."""

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from odznaka_graph import cli
from odznaka_graph.effects import EventHandler, Finish
from odznaka_graph.ids import local_id
from odznaka_graph.ledger import handling
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.ledger.tables import event_handling, handler_floors, notifications
from odznaka_graph.observability import RoundTrips, round_trips_var
from odznaka_graph.projection import Projector
from tests.helpers import Api, published_badge, register, verified_issuer
from tests.team_helpers import award

NAME = "test-stubborn"


class Stubborn:
    """A handler that refuses awards to the recipients it is told to, and notes the rest."""

    def __init__(self) -> None:
        self.refuse: set[str] = set()
        self.seen: list[str] = []

    async def handle(self, events: list[OutboxEvent], finish: Finish) -> None:
        for event in events:
            if event.payload["recipientId"] in self.refuse:
                raise RuntimeError(f"cannot take award {event.payload['id']}")
        self.seen += [event.payload["id"] for event in events]
        await finish(None)


@pytest.fixture
async def stubborn(api: Api) -> AsyncIterator[tuple[Stubborn, Projector]]:
    projector = api.runtime.services.stores.projector
    effects, policy = projector.effects, projector.effects.policy
    handler = Stubborn()
    effects.register(EventHandler(NAME, ("award.issued",), handler.handle))
    effects.policy = replace(policy, park_after=2)
    try:
        yield handler, projector
    finally:
        del effects.handlers[NAME]
        effects.policy = policy


async def _notified(api: Api) -> int:
    async with api.runtime.services.stores.ledger.reading() as conn:
        return int(
            await conn.scalar(
                sa.select(sa.func.count())
                .select_from(notifications)
                .where(notifications.c.kind == "AWARD_RECEIVED")
            )
            or 0
        )


async def _parked(api: Api) -> list[handling.Parked]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        return await handling.parked(conn, 2)


async def _metric(api: Api, name: str) -> float:
    text = (await api.client.get("/metrics")).text
    found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert found, name
    return float(found.group(1))


async def test_a_failing_handler_is_parked_and_later_events_still_flow(
    api: Api, stubborn: tuple[Stubborn, Projector], capsys: pytest.CaptureFixture[str]
) -> None:
    handler, projector = stubborn
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    first, *later = [await register(api) for _ in range(3)]
    handler.refuse = {str(local_id(first.id, "User"))}
    refused_id = await award(api, issuer, badge_id, first)
    for _ in range(20):  # failed, then after its back-off (1 s) failed again: parked
        if await _parked(api):
            break
        await asyncio.sleep(0.5)
        await projector.drain()
    [parked] = await _parked(api)
    assert (parked.handler, parked.topic, parked.attempts) == (NAME, "award.issued", 2)
    assert parked.last_error and "cannot take award" in parked.last_error

    later_ids = [await award(api, issuer, badge_id, person) for person in later]
    assert sorted(handler.seen) == sorted(str(local_id(a, "Award")) for a in later_ids)
    assert await _notified(api) == 3  # the other handlers took every award, the refused too
    assert await _metric(api, "odznaka_events_parked") == 1

    await cli._handlers(api.runtime.settings, "parked", None, None)
    assert f"\t{NAME}\t2\t" in capsys.readouterr().out

    handler.refuse.clear()
    await cli._handlers(api.runtime.settings, "replay", NAME, None)
    await projector.drain()
    assert await _parked(api) == []
    assert await _metric(api, "odznaka_events_parked") == 0
    assert handler.seen.count(str(local_id(refused_id, "Award"))) == 1
    await projector.drain()
    assert len(handler.seen) == 3 and await _notified(api) == 3


async def test_nothing_due_costs_one_read_and_no_write(api: Api) -> None:
    """An idle pass finds nothing due from the handling table's index: it writes nothing
    (so caches keyed on this process's writes stay warm) and reads once per store."""
    projector = api.runtime.services.stores.projector
    ledger = api.runtime.services.stores.ledger
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    await award(api, issuer, badge_id, await register(api))
    await projector.drain()
    writes = ledger.writes
    trips = RoundTrips()
    token = round_trips_var.set(trips)
    try:
        for _ in range(5):
            await projector.drain()
    finally:
        round_trips_var.reset(token)
    assert ledger.writes == writes
    assert trips.sql <= 5 * 2, trips.sql  # what the graph has yet to get; what is due


async def test_the_sweep_gives_a_handler_the_events_it_missed(
    api: Api, stubborn: tuple[Stubborn, Projector]
) -> None:
    """An event projected by a process without the handler gets its row from the sweep,
    from the handler's floor up, and is handled once."""
    handler, projector = stubborn
    effects = projector.effects
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    registration = effects.handlers.pop(NAME)  # this process does not have it yet
    missed = await award(api, issuer, badge_id, await register(api))
    await projector.drain()
    assert handler.seen == []
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await conn.execute(sa.delete(handler_floors).where(handler_floors.c.handler == NAME))
        await conn.execute(handler_floors.insert().values(handler=NAME, above=0))
    effects.register(registration)
    effects._swept_at = None  # the next pass sweeps, as a process does when it starts
    await projector.drain()
    await projector.drain()
    assert handler.seen == [str(local_id(missed, "Award"))]


async def _rows(api: Api, handler: str) -> dict[str, int]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(
            sa.select(event_handling.c.state, sa.func.count())
            .where(event_handling.c.handler == handler)
            .group_by(event_handling.c.state)
        )
        return {state: int(count) for state, count in rows}


async def test_done_rows_are_purged_after_the_retention_and_never_redone(
    api: Api, stubborn: tuple[Stubborn, Projector]
) -> None:
    """The sweep purges done rows older than the retention, oldest first in batches, and
    only at or below the handler's floor: the sweep never writes them again, so nothing
    runs twice."""
    handler, projector = stubborn
    effects = projector.effects
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    for _ in range(3):
        await award(api, issuer, badge_id, await register(api))
    await projector.drain()
    assert len(handler.seen) == 3 and await _rows(api, NAME) == {"done": 3}

    effects.policy = replace(effects.policy, keep_done=timedelta(0), purge_batch=7)
    effects.policy = replace(effects.policy, purge_batches=1000)
    effects._swept_at = None  # the next pass sweeps (and purges, in batches)
    await projector.drain()
    assert await _rows(api, NAME) == {}

    late = await award(api, issuer, badge_id, await register(api))
    await projector.drain()
    assert await _rows(api, NAME) == {"done": 1}
    async with api.runtime.services.stores.ledger.transaction() as conn:
        # done, but above the floor (projected after the last sweep): kept
        assert await handling.purge_done(conn, datetime.now(UTC) + timedelta(days=1), 10) == 0

    for _ in range(2):  # sweeps from the floor: nothing purged comes back
        effects._swept_at = None
        await projector.drain()
    assert await _rows(api, NAME) == {}
    assert len(handler.seen) == len(set(handler.seen)) == 4
    assert str(local_id(late, "Award")) in handler.seen
    assert await _notified(api) == 4
