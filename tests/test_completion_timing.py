"""A challenge completion is judged as of the award that moved the learner, not when the
handler happens to run (issue 17): a challenge cancelled between the award and the
handler's run still counts the award made while it ran, and so does a revocation of the
award; the completion is stamped just after that award; an award after the cancellation
completes nothing."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from odznaka_graph.effects import Finish
from odznaka_graph.ids import local_id
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.ledger.tables import awards, challenge_completions, point_events
from tests.helpers import Api, Issuer, Person, published_badge, verified_issuer
from tests.team_helpers import create_team, pupils

CHALLENGE = "... on Challenge { id status }"
AWARD = """mutation($i: AwardBadgeInput!) { awardBadge(input: $i) {
  __typename ... on Award { id } } }"""
REVOKE = """mutation($i: RevokeAwardInput!) { revokeAward(input: $i) { __typename } }"""
TICK = timedelta(microseconds=1)
CANCEL = """mutation($i: CancelChallengeInput!) { cancelChallenge(input: $i) {
  __typename ... on Challenge { status } } }"""


class Gate:
    """Holds the challenges handler back until opened."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.open = asyncio.Event()

    async def __call__(self, events: list[OutboxEvent], finish: Finish) -> None:
        await self.open.wait()
        await self.handle(events, finish)


@pytest.fixture
async def gate(api: Api) -> AsyncIterator[Gate]:
    effects = api.runtime.services.stores.projector.effects
    original = effects.handlers["challenges"]
    held = Gate(original.handle)
    effects.handlers["challenges"] = replace(original, handle=held)
    try:
        yield held
    finally:
        held.open.set()
        await api.runtime.services.stores.projector.settle()
        effects.handlers["challenges"] = original


async def _badge_challenge(api: Api) -> tuple[Issuer, Person, str, str]:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [ala] = await pupils(api, team["joinCode"], 1)
    badge = await published_badge(api, issuer)
    ends = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    data = {
        "teamId": team["id"],
        "title": "Pierwsza odznaka",
        "endsAt": ends,
        "goal": {"kind": "BADGES", "badgeIds": [badge]},
        "rewardPoints": 25,
    }
    created = await api.mutate("createChallenge", data, CHALLENGE, issuer.owner.token)
    assert created["status"] == "OPEN", created
    return issuer, ala, badge, created["id"]


async def _award(api: Api, issuer: Issuer, badge: str, ala: Person) -> str:
    """Answered at the ledger commit; nobody settles the projection or the handlers."""
    given = {"badgeId": badge, "recipientId": ala.id}
    answer = (await api.raw(AWARD, {"i": given}, issuer.owner.token)).json()
    assert answer["data"]["awardBadge"]["__typename"] == "Award", answer
    return str(answer["data"]["awardBadge"]["id"])


async def _cancel(api: Api, issuer: Issuer, challenge_id: str) -> None:
    cancel = {"challengeId": challenge_id, "reason": "Zmiana planu"}
    answer = (await api.raw(CANCEL, {"i": cancel}, issuer.owner.token)).json()
    assert answer["data"]["cancelChallenge"]["status"] == "CANCELLED", answer


async def _completions(api: Api) -> list[tuple[str, datetime]]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(
            sa.select(challenge_completions.c.account_id, challenge_completions.c.completed_at)
        )
        return [(row[0], row[1]) for row in rows]


async def _rewards(api: Api) -> int:
    async with api.runtime.services.stores.ledger.reading() as conn:
        found = await conn.scalar(
            sa.select(sa.func.count())
            .select_from(point_events)
            .where(point_events.c.reason == "CHALLENGE_COMPLETED")
        )
        return int(found or 0)


async def _issued_at(api: Api, award_id: str) -> datetime:
    async with api.runtime.services.stores.ledger.reading() as conn:
        found = await conn.scalar(
            sa.select(awards.c.issued_at).where(awards.c.id == local_id(award_id, "Award"))
        )
    assert found is not None
    return found


async def test_a_cancellation_after_the_award_keeps_its_completion(api: Api, gate: Gate) -> None:
    issuer, ala, badge, challenge_id = await _badge_challenge(api)
    award_id = await _award(api, issuer, badge, ala)  # completes it, while it runs
    await _cancel(api, issuer, challenge_id)  # before the handler judges the award
    assert await _completions(api) == []

    gate.open.set()
    await api.runtime.services.stores.projector.settle()

    [(account, at)] = await _completions(api)
    assert account == local_id(ala.id, "User")
    assert at == await _issued_at(api, award_id) + TICK
    assert await _rewards(api) == 1


async def test_an_award_after_the_cancellation_completes_nothing(api: Api, gate: Gate) -> None:
    issuer, ala, badge, challenge_id = await _badge_challenge(api)
    await _cancel(api, issuer, challenge_id)
    await _award(api, issuer, badge, ala)
    gate.open.set()
    await api.runtime.services.stores.projector.settle()
    assert await _completions(api) == []
    assert await _rewards(api) == 0


async def test_a_revocation_after_the_award_keeps_its_completion(api: Api, gate: Gate) -> None:
    """What the learner held when the award came is what counts: the completion comes out
    as it would have had the handler run at once (and as a replay after a crash judges)."""
    issuer, ala, badge, _ = await _badge_challenge(api)
    award_id = await _award(api, issuer, badge, ala)
    revoke = {"awardId": award_id, "reason": "Pomyłka"}
    answer = (await api.raw(REVOKE, {"i": revoke}, issuer.owner.token)).json()
    assert answer["data"]["revokeAward"]["__typename"] == "Award", answer
    gate.open.set()
    await api.runtime.services.stores.projector.settle()

    [(account, at)] = await _completions(api)
    assert (account, at) == (local_id(ala.id, "User"), await _issued_at(api, award_id) + TICK)
    assert await _rewards(api) == 1
