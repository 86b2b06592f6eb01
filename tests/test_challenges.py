"""Challenges in a class: creation rules, progress, completion once with its reward, and
leaderboards with ties, windows and learners who keep their rank inside the class."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from odznaka_graph.ids import local_id, to_global
from odznaka_graph.ledger.tables import challenge_completions, point_events
from odznaka_graph.observability import RoundTrips
from tests.helpers import Api, Issuer, Person, published_badge, register, verified_issuer
from tests.team_helpers import (
    award,
    class_with_two_awarded,
    create_path,
    create_team,
    pupils,
    step,
)

CHALLENGE = """... on Challenge { id title status rewardPoints goal { kind points
  badges { id } } rewardBadge { id } team { id } }"""
BOARD = """query($team: ID!, $challenge: ID, $window: LeaderboardWindow!) {
  leaderboard(teamId: $team, challengeId: $challenge, window: $window) {
    since until challenge { id }
    entries(first: 50) { totalCount edges { node { rank score target completedAt handle } } }
    viewerEntry { rank score } } }"""
CREDENTIAL = 34  # complete_badge(): 12 hours


def _deadline(days: int = 7) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _class(api: Api, size: int) -> tuple[Issuer, dict[str, Any], list[Person]]:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    return issuer, team, await pupils(api, team["joinCode"], size)


async def _challenge(api: Api, issuer: Issuer, team_id: str, **input: Any) -> dict[str, Any]:
    data = {"teamId": team_id, "title": "Tydzień danych", "endsAt": _deadline()} | input
    return await api.mutate("createChallenge", data, CHALLENGE, issuer.owner.token)


async def _board(api: Api, person: Person, team_id: str, **args: Any) -> dict[str, Any]:
    variables = {"team": team_id, "challenge": None, "window": "ALL_TIME"} | args
    return (await api.query(BOARD, variables, person.token))["leaderboard"]  # type: ignore[no-any-return]


def _ranks(board: dict[str, Any]) -> list[tuple[int, int, str]]:
    return [
        (e["node"]["rank"], e["node"]["score"], e["node"]["handle"])
        for e in board["entries"]["edges"]
    ]


async def test_bad_challenges_are_refused_and_change_nothing(api: Api) -> None:
    issuer, team, [pupil] = await _class(api, 1)
    badge = await published_badge(api, issuer)
    cases = [
        ({"goal": {"kind": "BADGES"}}, "goal"),
        ({"goal": {"kind": "POINTS", "points": 0}}, "goal.points"),
        ({"goal": {"kind": "POINTS", "points": 5}, "endsAt": _deadline(-1)}, "endsAt"),
        ({"goal": {"kind": "POINTS", "points": 5}, "endsAt": _deadline(400)}, "endsAt"),
        ({"goal": {"kind": "BADGES", "badgeIds": ["nope"]}}, "goal.badgeIds.0"),
        ({"goal": {"kind": "POINTS", "points": 5}, "title": ""}, "title"),
    ]
    for data, field in cases:
        result = await _challenge(api, issuer, team["id"], **data)
        assert result["__typename"] == "ValidationError", (data, result)
        assert field in [f["field"] for f in result["fields"]], (data, result)
    # every fault at once: the shape, the dates and what the goal names
    missing = to_global("Badge", str(uuid.uuid4()))
    many = {"title": "", "endsAt": _deadline(-1), "goal": {"kind": "BADGES", "badgeIds": [missing]}}
    result = await _challenge(api, issuer, team["id"], **many)
    assert {f["field"] for f in result["fields"]} == {"title", "endsAt", "goal.badgeIds.0"}
    by_pupil = await api.mutate(
        "createChallenge",
        {
            "teamId": team["id"],
            "title": "x",
            "endsAt": _deadline(),
            "goal": {"kind": "BADGES", "badgeIds": [badge]},
        },
        CHALLENGE,
        pupil.token,
    )
    assert by_pupil["__typename"] == "PermissionDeniedError", by_pupil
    outsider = await register(api)
    by_outsider = await api.mutate(
        "createChallenge",
        {
            "teamId": team["id"],
            "title": "x",
            "endsAt": _deadline(),
            "goal": {"kind": "POINTS", "points": 1},
        },
        CHALLENGE,
        outsider.token,
    )
    assert by_outsider["__typename"] == "NotFoundError", by_outsider
    listed = await api.query(
        "query($id: ID!) { team(id: $id) { challenges { totalCount } } }",
        {"id": team["id"]},
        issuer.owner.token,
    )
    assert listed["team"]["challenges"]["totalCount"] == 0


async def test_a_badge_challenge_completes_once_with_its_reward(api: Api) -> None:
    issuer, team, [ala, bartek] = await _class(api, 2)
    goal = [await published_badge(api, issuer) for _ in range(2)]
    reward = await published_badge(api, issuer)
    created = await _challenge(
        api,
        issuer,
        team["id"],
        goal={"kind": "BADGES", "badgeIds": goal},
        rewardPoints=50,
        rewardBadgeId=reward,
        idempotencyKey="week-1",
    )
    assert created["__typename"] == "Challenge", created
    assert created["status"] == "OPEN"
    again = await _challenge(
        api, issuer, team["id"], goal={"kind": "BADGES", "badgeIds": goal}, idempotencyKey="week-1"
    )
    assert again["id"] == created["id"]

    await award(api, issuer, goal[0], ala)
    await award(api, issuer, goal[0], bartek)
    board = await _board(api, ala, team["id"], challenge=created["id"])
    assert [(r, s) for r, s, _ in _ranks(board)] == [(1, 1), (1, 1)]  # a tie shares the rank
    await award(api, issuer, goal[1], ala)
    # the completion check runs after projection; a second pass must not repeat it
    runtime = api.runtime
    await runtime.services.stores.projector.flush()
    await asyncio.gather(*(runtime.services.stores.projector.flush() for _ in range(3)))

    board = await _board(api, bartek, team["id"], challenge=created["id"])
    assert [(r, s) for r, s, _ in _ranks(board)] == [(1, 2), (2, 1)]
    top = board["entries"]["edges"][0]["node"]
    assert (top["handle"], top["target"]) == (ala.handle, 2) and top["completedAt"]
    me = await api.query("{ me { xp awards(first: 10) { totalCount } } }", token=ala.token)
    # two goal badges, the reward badge, the reward points; no streak in the first week
    assert me["me"]["xp"] == 3 * CREDENTIAL + 50
    assert me["me"]["awards"]["totalCount"] == 3
    async with runtime.services.stores.ledger.reading() as conn:
        completions = (await conn.execute(sa.select(challenge_completions))).all()
        rewards = (
            await conn.execute(
                sa.select(point_events).where(point_events.c.reason == "CHALLENGE_COMPLETED")
            )
        ).all()
    assert len(completions) == 1 and len(rewards) == 1


async def test_concurrent_completions_of_a_points_challenge_are_exact(api: Api) -> None:
    issuer, team, learners = await _class(api, 5)
    badges = [await published_badge(api, issuer) for _ in range(2)]
    created = await _challenge(
        api, issuer, team["id"], goal={"kind": "POINTS", "points": 2 * CREDENTIAL}, rewardPoints=7
    )
    # everyone earns both badges at once
    await asyncio.gather(*(award(api, issuer, b, p) for b in badges for p in learners))
    projector = api.runtime.services.stores.projector
    await asyncio.gather(*(projector.flush() for _ in range(4)))
    board = await _board(api, learners[0], team["id"], challenge=created["id"])
    assert {(r, s) for r, s, _ in _ranks(board)} == {(1, 2 * CREDENTIAL)}
    assert all(e["node"]["completedAt"] for e in board["entries"]["edges"])
    totals = await _board(api, learners[0], team["id"])
    assert {s for _, s, _ in _ranks(totals)} == {2 * CREDENTIAL + 7}
    async with api.runtime.services.stores.ledger.reading() as conn:
        count = (
            await conn.execute(sa.select(sa.func.count()).select_from(challenge_completions))
        ).scalar_one()
    assert count == 5


async def test_leaderboard_windows_ties_and_names(api: Api) -> None:
    issuer, team, [a, b, c] = await _class(api, 3)
    badge = await published_badge(api, issuer)
    await award(api, issuer, badge, b)
    await award(api, issuer, badge, c)
    board = await _board(api, a, team["id"], window="WEEK")
    ranks = _ranks(board)
    assert [r for r, _, _ in ranks] == [1, 1, 3]
    assert [s for _, s, _ in ranks] == [CREDENTIAL, CREDENTIAL, 0]
    tied = sorted([b, c], key=lambda p: p.handle)  # display names follow handles here
    assert [h for _, _, h in ranks[:2]] == [p.handle for p in tied]
    assert board["viewerEntry"] == {"rank": 3, "score": 0}
    assert board["since"] is not None
    term = await _board(api, a, team["id"], window="TERM")
    assert _ranks(term) == ranks
    # paging keeps the order
    second = await api.query(
        """query($team: ID!) { leaderboard(teamId: $team) { entries(first: 2) {
             pageInfo { endCursor hasNextPage } } } }""",
        {"team": team["id"]},
        a.token,
    )
    cursor = second["leaderboard"]["entries"]["pageInfo"]
    assert cursor["hasNextPage"]
    rest = await api.query(
        """query($team: ID!, $after: String) { leaderboard(teamId: $team) {
             entries(first: 2, after: $after) { edges { node { rank handle } } } } }""",
        {"team": team["id"], "after": cursor["endCursor"]},
        a.token,
    )
    assert [e["node"]["handle"] for e in rest["leaderboard"]["entries"]["edges"]] == [a.handle]


async def test_ranks_can_be_kept_inside_the_class(api: Api) -> None:
    issuer, team, [shy, open_] = await _class(api, 2)
    saved = await api.mutate(
        "updateGamificationSettings",
        {"hideRankOutsideClass": True},
        "... on GamificationSettings { hideRankOutsideClass }",
        shy.token,
    )
    assert saved == {"__typename": "GamificationSettings", "hideRankOutsideClass": True}
    inside = await _board(api, open_, team["id"])
    assert {h for _, _, h in _ranks(inside)} == {shy.handle, open_.handle}
    # the school's owner is not in the class: they see it without the shy pupil
    admin = await register(api)
    await api.mutate(
        "addOrganizationStaff",
        {"organizationId": issuer.org_id, "userId": admin.id, "role": "ADMIN"},
        "... on Organization { id }",
        issuer.owner.token,
    )
    outside = await _board(api, admin, team["id"])
    assert [h for _, _, h in _ranks(outside)] == [open_.handle]
    stranger = await register(api)
    response = await api.raw(
        BOARD, {"team": team["id"], "challenge": None, "window": "ALL_TIME"}, stranger.token
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_teachers_view_costs_the_same_for_any_class_size(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    badge = await published_badge(api, issuer)
    query = """query($id: ID!) { challenge(id: $id) { title leaderboard { entries(first: 100) {
      edges { node { rank score target completedAt user { handle level { number } } } } } } } }"""
    counts = []
    for size in (3, 12):
        team, _ = await class_with_two_awarded(api, issuer, badge, size)
        created = await _challenge(
            api, issuer, team["id"], goal={"kind": "BADGES", "badgeIds": [badge]}
        )
        round_trips.neo4j = round_trips.sql = 0
        data = await api.query(query, {"id": created["id"]}, issuer.owner.token)
        assert len(data["challenge"]["leaderboard"]["entries"]["edges"]) == size
        counts.append((round_trips.neo4j, round_trips.sql))
    assert counts[0] == counts[1], counts


async def test_a_path_challenge_follows_the_paths_progress(api: Api) -> None:
    issuer, team, [ola] = await _class(api, 1)
    first, second = [await published_badge(api, issuer) for _ in range(2)]
    path = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[step("a", first), step("b", second)],
    )
    created = await _challenge(
        api, issuer, team["id"], goal={"kind": "PATH", "pathId": path["id"]}, rewardPoints=5
    )
    assert created["__typename"] == "Challenge", created
    await award(api, issuer, first, ola)
    board = await _board(api, ola, team["id"], challenge=created["id"])
    assert _ranks(board) == [(1, 50, ola.handle)]  # percent of the path
    await award(api, issuer, second, ola)
    board = await _board(api, ola, team["id"], challenge=created["id"])
    entry = board["entries"]["edges"][0]["node"]
    assert (entry["score"], entry["target"]) == (100, 100) and entry["completedAt"]
    unknown = await _challenge(api, issuer, team["id"], goal={"kind": "PATH", "pathId": team["id"]})
    assert unknown["__typename"] == "ValidationError", unknown


async def test_a_team_s_challenges_page_both_ways(api: Api) -> None:
    issuer, team, _ = await _class(api, 0)
    goal = {"kind": "POINTS", "points": 5}
    made = [
        (await _challenge(api, issuer, team["id"], title=f"Wyzwanie {n}", goal=goal))["id"]
        for n in range(3)
    ]
    query = """query($id: ID!, $c: String) { team(id: $id) {
      challenges(last: 2, before: $c) { edges { cursor node { id } }
        pageInfo { hasNextPage hasPreviousPage } } } }"""

    async def page(cursor: str | None) -> dict[str, Any]:
        found = await api.query(query, {"id": team["id"], "c": cursor}, issuer.owner.token)
        return found["team"]["challenges"]  # type: ignore[no-any-return]

    oldest = await page(None)
    assert [edge["node"]["id"] for edge in oldest["edges"]] == [made[1], made[0]]
    assert oldest["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}
    newest = await page(oldest["edges"][0]["cursor"])
    assert [edge["node"]["id"] for edge in newest["edges"]] == [made[2]]
    assert newest["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False}


async def test_a_challenge_is_edited_and_cancelled_before_it_ends_and_then_frozen(
    api: Api,
) -> None:
    issuer, team, [ala, bartek] = await _class(api, 2)
    badge = await published_badge(api, issuer)
    created = await _challenge(
        api, issuer, team["id"], goal={"kind": "POINTS", "points": CREDENTIAL}, rewardPoints=5
    )
    selection = "... on Challenge { id title status endsAt cancelledAt }"
    later = _deadline(10)
    edit = {"challengeId": created["id"], "title": "Dwa tygodnie danych", "endsAt": later}
    by_pupil = await api.mutate("updateChallenge", edit, selection, ala.token)
    assert by_pupil["__typename"] == "PermissionDeniedError", by_pupil
    bad = await api.mutate(
        "updateChallenge", edit | {"endsAt": _deadline(-1)}, selection, issuer.owner.token
    )
    assert (bad["__typename"], bad["reason"]) == ("ValidationError", "CHALLENGE_WINDOW_INVALID")
    edited = await api.mutate("updateChallenge", edit, selection, issuer.owner.token)
    assert (edited["title"], edited["status"]) == ("Dwa tygodnie danych", "OPEN"), edited
    assert edited["endsAt"][:16] == later[:16]
    await award(api, issuer, badge, ala)  # completes it before the cancellation
    cancel = {"challengeId": created["id"], "reason": "Zmiana planu"}
    cancelled = await api.mutate("cancelChallenge", cancel, selection, issuer.owner.token)
    assert (cancelled["status"], bool(cancelled["cancelledAt"])) == ("CANCELLED", True)
    await award(api, issuer, badge, bartek)  # no completion after it
    for name, data in (("cancelChallenge", cancel), ("updateChallenge", edit)):
        frozen = await api.mutate(name, data, selection, issuer.owner.token)
        assert (frozen["__typename"], frozen["reason"]) == ("ConflictError", "CHALLENGE_CLOSED")
    await api.runtime.services.stores.projector.flush()
    async with api.runtime.services.stores.ledger.reading() as conn:
        done = (await conn.execute(sa.select(challenge_completions.c.account_id))).scalars().all()
    assert [local_id(ala.id, "User")] == list(done)
