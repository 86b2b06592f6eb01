"""Quests (issue 15): a challenge can require a previous challenge of its team completed
and/or a badge held (named or as a path step). Locked, a learner's progress does not count,
nothing completes and its board leaves them out; completing the required challenge unlocks
the next (in the completion handler, once); requirements form no circle and name only
challenges of the same team."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from odznaka_graph.ids import local_id, to_global
from odznaka_graph.ledger.tables import challenge_completions, point_events
from odznaka_graph.observability import RoundTrips
from tests.helpers import Api, Issuer, Person, published_badge, verified_issuer
from tests.team_helpers import award, create_path, create_team, pupils, step

QUEST = """... on Challenge { id viewerLocked
  requires { challenge { id } badge { id } path { id } } }"""
BOARD = """query($id: ID!) { challenge(id: $id) { viewerLocked
  viewerProgress { score completedAt }
  leaderboard { entries(first: 50) { edges { node { handle score completedAt } } } } } }"""


def _deadline(days: int = 7) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _challenge(
    api: Api, issuer: Issuer, team_id: str, goal: dict[str, Any], **more: Any
) -> dict[str, Any]:
    data = {"teamId": team_id, "title": "Etap", "endsAt": _deadline(), "goal": goal} | more
    return await api.mutate("createChallenge", data, QUEST, issuer.owner.token)


async def _points(api: Api, issuer: Issuer, team_id: str, person: Person, amount: int) -> None:
    data = {"teamId": team_id, "recipientIds": [person.id], "amount": amount, "note": "Zadanie"}
    given = await api.mutate("awardPoints", data, "", issuer.owner.token)
    assert given["__typename"] == "PointsAwarded", given
    await api.runtime.services.stores.projector.flush()


async def _seen(api: Api, person: Person, challenge_id: str) -> dict[str, Any]:
    return (await api.query(BOARD, {"id": challenge_id}, person.token))["challenge"]  # type: ignore[no-any-return]


def _board(seen: dict[str, Any]) -> list[tuple[str, int, bool]]:
    edges = seen["leaderboard"]["entries"]["edges"]
    return [
        (e["node"]["handle"], e["node"]["score"], bool(e["node"]["completedAt"])) for e in edges
    ]


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_completing_a_challenge_unlocks_the_next_which_counts_from_then(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ala, bartek = await pupils(api, team["joinCode"], 2)
    first = await _challenge(api, issuer, team["id"], {"kind": "POINTS", "points": 5})
    second = await _challenge(
        api,
        issuer,
        team["id"],
        {"kind": "POINTS", "points": 5},
        requires={"challengeId": first["id"]},
        rewardPoints=3,
    )
    assert second["requires"] == {"challenge": {"id": first["id"]}, "badge": None, "path": None}
    assert second["viewerLocked"] is None  # the teacher is no learner
    assert first["requires"] is None

    seen = await _seen(api, ala, second["id"])
    assert (seen["viewerLocked"], seen["viewerProgress"], _board(seen)) == (True, None, [])
    await _points(api, issuer, team["id"], ala, 6)  # completes the first: unlocks the second
    seen = await _seen(api, ala, second["id"])
    assert seen["viewerLocked"] is False
    # the 6 points came before the unlocking: they don't count towards the second
    assert _board(seen) == [(ala.handle, 0, False)]
    await _points(api, issuer, team["id"], bartek, 4)  # the first is not done: still locked
    assert (await _seen(api, bartek, second["id"]))["viewerLocked"] is True
    await _points(api, issuer, team["id"], ala, 5)
    seen = await _seen(api, ala, second["id"])
    assert seen["viewerProgress"]["score"] == 5 and seen["viewerProgress"]["completedAt"]
    await _points(api, issuer, team["id"], bartek, 1)  # now he has the first
    seen = await _seen(api, ala, second["id"])
    assert sorted(_board(seen)) == sorted([(ala.handle, 5, True), (bartek.handle, 0, False)])


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_a_quest_can_require_a_badge_or_a_path_step(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ala, bartek = await pupils(api, team["joinCode"], 2)
    key, goal = await published_badge(api, issuer), await published_badge(api, issuer)
    quest = await _challenge(
        api, issuer, team["id"], {"kind": "BADGES", "badgeIds": [goal]}, requires={"badgeId": key}
    )
    assert quest["requires"]["badge"] == {"id": key}
    await award(api, issuer, goal, ala)  # while locked: does not count
    await award(api, issuer, key, ala)
    await api.runtime.services.stores.projector.flush()
    seen = await _seen(api, ala, quest["id"])
    assert (seen["viewerLocked"], seen["viewerProgress"]) == (
        False,
        {"score": 0, "completedAt": None},
    )
    await award(api, issuer, key, bartek)
    await award(api, issuer, goal, bartek)
    await api.runtime.services.stores.projector.flush()
    seen = await _seen(api, bartek, quest["id"])
    assert seen["viewerProgress"]["score"] == 1 and seen["viewerProgress"]["completedAt"]

    path = await create_path(
        api, issuer.owner.token, organizationId=issuer.org_id, steps=[step("s1", key)]
    )
    assert path["__typename"] == "Path", path
    by_step = await _challenge(
        api,
        issuer,
        team["id"],
        {"kind": "POINTS", "points": 1},
        requires={"pathId": path["id"], "stepKey": "s1"},
    )
    assert by_step["requires"] == {
        "challenge": None,
        "badge": {"id": key},
        "path": {"id": path["id"]},
    }
    assert (await _seen(api, ala, by_step["id"]))["viewerLocked"] is False
    wrong = await _challenge(
        api,
        issuer,
        team["id"],
        {"kind": "POINTS", "points": 1},
        requires={"pathId": path["id"], "stepKey": "s9"},
    )
    assert (wrong["__typename"], wrong["reason"]) == (
        "ValidationError",
        "QUEST_REQUIREMENT_INVALID",
    )
    assert [f["field"] for f in wrong["fields"]] == ["requires.stepKey"]


async def test_bad_requirements_and_circles_are_refused_and_change_nothing(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    other = await create_team(api, issuer, name="4c")
    points = {"kind": "POINTS", "points": 5}
    a = await _challenge(api, issuer, team["id"], points)
    b = await _challenge(api, issuer, team["id"], points, requires={"challengeId": a["id"]})
    c = await _challenge(api, issuer, team["id"], points, requires={"challengeId": b["id"]})
    elsewhere = await _challenge(api, issuer, other["id"], points)
    badge = await published_badge(api, issuer)

    def change(challenge: dict[str, Any], requires: dict[str, Any]) -> dict[str, Any]:
        return {"challengeId": challenge["id"], "requires": requires}

    cases = [
        (change(a, {"challengeId": c["id"]}), "QUEST_CYCLE", "requires.challengeId"),
        (change(a, {"challengeId": b["id"]}), "QUEST_CYCLE", "requires.challengeId"),
        (change(a, {"challengeId": a["id"]}), "QUEST_REQUIREMENT_INVALID", "requires.challengeId"),
        (
            change(a, {"challengeId": elsewhere["id"]}),
            "QUEST_REQUIREMENT_INVALID",
            "requires.challengeId",
        ),
    ]
    for data, reason, field in cases:
        refused = await api.mutate("updateChallenge", data, QUEST, issuer.owner.token)
        assert (refused["__typename"], refused["reason"]) == ("ValidationError", reason), refused
        assert [f["field"] for f in refused["fields"]] == [field]
    created = await _challenge(
        api, issuer, team["id"], points, requires={"challengeId": elsewhere["id"]}
    )
    assert created["reason"] == "QUEST_REQUIREMENT_INVALID"
    assert [f["field"] for f in created["fields"]] == ["requires.challengeId"]
    path = await create_path(
        api, issuer.owner.token, organizationId=issuer.org_id, steps=[step("s1", badge)]
    )
    both = await _challenge(
        api,
        issuer,
        team["id"],
        points,
        requires={"badgeId": badge, "pathId": path["id"], "stepKey": "s1"},
    )
    assert (both["reason"], [f["field"] for f in both["fields"]]) == (
        "QUEST_REQUIREMENT_INVALID",
        ["requires.badgeId"],
    )
    missing = {"badgeId": to_global("Badge", str(uuid.uuid4()))}
    unknown = await _challenge(api, issuer, team["id"], points, requires=missing)
    assert [f["field"] for f in unknown["fields"]] == ["requires.badgeId"], unknown
    listed = await api.query(
        "query($id: ID!) { team(id: $id) { challenges { totalCount edges { node { "
        "requires { challenge { id } } } } } } }",
        {"id": team["id"]},
        issuer.owner.token,
    )
    found = [e["node"]["requires"] for e in listed["team"]["challenges"]["edges"]]
    assert listed["team"]["challenges"]["totalCount"] == 3
    assert None in found  # the first still needs nothing
    # a change of what unlocks it is allowed while no circle forms; {} clears it
    moved = await api.mutate(
        "updateChallenge", change(c, {"challengeId": a["id"]}), QUEST, issuer.owner.token
    )
    assert moved["requires"]["challenge"] == {"id": a["id"]}
    cleared = await api.mutate("updateChallenge", change(c, {}), QUEST, issuer.owner.token)
    assert cleared["requires"] is None


async def test_concurrent_passes_complete_a_quest_once(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    learners = await pupils(api, team["joinCode"], 3)
    first = await _challenge(api, issuer, team["id"], {"kind": "POINTS", "points": 2})
    path = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[step("s1", await published_badge(api, issuer))],
    )
    second = await _challenge(
        api,
        issuer,
        team["id"],
        {"kind": "PATH", "pathId": path["id"]},
        requires={"challengeId": first["id"]},
        rewardPoints=4,
    )
    badge = path["steps"][0]["badge"]["id"]
    await asyncio.gather(*(award(api, issuer, badge, p) for p in learners))  # path done, locked
    projector = api.runtime.services.stores.projector
    await asyncio.gather(*(projector.flush() for _ in range(3)))
    for p in learners:
        assert (await _seen(api, p, second["id"]))[
            "viewerLocked"
        ] is False  # the badge's points did it
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = (await conn.execute(sa.select(challenge_completions))).all()
        rewards = (
            await conn.execute(
                sa.select(point_events).where(
                    point_events.c.reason == "CHALLENGE_COMPLETED",
                    point_events.c.source_id == local_id(second["id"], "Challenge"),
                )
            )
        ).all()
    by_challenge = {local_id(c["id"], "Challenge"): 0 for c in (first, second)}
    for row in rows:
        by_challenge[row.challenge_id] += 1
    assert list(by_challenge.values()) == [3, 3]  # each learner completed each once
    assert len(rewards) == 3


async def test_what_unlocks_each_challenge_costs_the_same_for_2_and_6_quests(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    key = await published_badge(api, issuer)
    query = """query($id: ID!) { team(id: $id) { challenges(first: 20) { edges { node {
      viewerLocked requires { challenge { id } badge { id } } } } } } }"""
    costs = []
    for count in (2, 6):
        team = await create_team(api, issuer, name=f"{count}q")
        [pupil] = await pupils(api, team["joinCode"], 1)
        previous = await _challenge(api, issuer, team["id"], {"kind": "POINTS", "points": 1})
        for _ in range(count):
            requires = {"challengeId": previous["id"], "badgeId": key}
            previous = await _challenge(
                api, issuer, team["id"], {"kind": "POINTS", "points": 1}, requires=requires
            )
        round_trips.neo4j = round_trips.sql = 0
        found = (await api.query(query, {"id": team["id"]}, pupil.token))["team"]
        costs.append((round_trips.neo4j, round_trips.sql))
        nodes = [e["node"] for e in found["challenges"]["edges"]]
        assert [n["viewerLocked"] for n in nodes] == [True] * count + [False]
    print("quest list round trips (neo4j, sql) for 2 and 6 quests:", costs)
    assert costs[0] == costs[1], costs
