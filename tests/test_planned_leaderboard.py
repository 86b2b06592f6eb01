"""The planned class leaderboard (issue 13): it answers exactly what the executor answers —
for the teacher, a learner who sees only some classmates, the organisation's admin from
outside, a stranger (refused alike), every window, a challenge's board, pages after a
cursor — through the same leaderboard service, with the same round trips for a class of
2 and of 30, and without the field-by-field executor."""

from datetime import UTC, datetime, timedelta
from typing import Any

from odznaka_graph.observability import PLANNED_READS, RoundTrips
from tests.helpers import Api, Person, published_badge, register, verified_issuer
from tests.planner_helpers import both
from tests.profile_helpers import set_visibility
from tests.social_helpers import act
from tests.team_helpers import award, class_with_two_awarded, create_team, pupils

BOARD = """query Board($t: ID!, $c: ID, $w: LeaderboardWindow!, $n: Int, $after: String) {
  leaderboard(teamId: $t, challengeId: $c, window: $w) { __typename window since until
    entries(first: $n, after: $after) { totalCount __typename
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { rank score target completedAt userId handle displayName
        __typename } } }
    viewerEntry { rank score handle } } }"""
SHORT = """query Board($t: ID!) { leaderboard(teamId: $t, window: ALL_TIME) {
  entries(first: 20) { totalCount edges { node { rank score handle displayName } } } } }"""
SETTINGS = "... on GamificationSettings { hideRankOutsideClass }"


def _planned() -> float:
    return PLANNED_READS.labels("planned")._value.get()  # type: ignore[no-any-return]


async def _same(api: Api, unplanned: Api, who: Person, **variables: Any) -> Any:
    given = {"c": None, "w": "ALL_TIME", "n": 20, "after": None} | variables
    before = _planned()
    answer = await both(api, unplanned, BOARD, given, who)
    return answer, _planned() - before


async def test_a_board_answers_as_the_executor_does_for_every_viewer(
    api: Api, unplanned: Api
) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ala, bartek, cyryl, daria, ewa = await pupils(api, team["joinCode"], 5)
    badge = await published_badge(api, issuer)
    for learner in (bartek, cyryl, daria):
        await award(api, issuer, badge, learner)
    await set_visibility(api, daria, awards="PRIVATE")  # her classmates do not see her
    shy = {"hideRankOutsideClass": True}
    await api.mutate("updateGamificationSettings", shy, SETTINGS, ewa.token)
    await act(api, "blockUser", cyryl, ala)  # Ala does not see Cyryl
    admin = await register(api)
    staff = {"organizationId": issuer.org_id, "userId": admin.id, "role": "ADMIN"}
    await api.mutate(
        "addOrganizationStaff", staff, "... on Organization { id }", issuer.owner.token
    )

    seen = {}
    for who in (issuer.owner, ala, bartek, admin):
        for window in ("WEEK", "TERM", "ALL_TIME"):
            answer, planned = await _same(api, unplanned, who, t=team["id"], w=window)
            assert planned == 1, answer
            entries = answer["data"]["leaderboard"]["entries"]
            seen[(who.handle, window)] = [e["node"]["handle"] for e in entries["edges"]]
    everyone = {p.handle for p in (ala, bartek, cyryl, daria, ewa)}
    assert set(seen[(issuer.owner.handle, "ALL_TIME")]) == everyone
    assert cyryl.handle not in seen[(ala.handle, "ALL_TIME")]
    assert daria.handle not in seen[(bartek.handle, "ALL_TIME")]
    assert ewa.handle not in seen[(admin.handle, "ALL_TIME")]

    stranger = await register(api)
    refused, planned = await _same(api, unplanned, stranger, t=team["id"])
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND" and planned == 0


async def test_pages_after_a_cursor_and_a_challenge_s_board(api: Api, unplanned: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    learners = await pupils(api, team["joinCode"], 5)
    badge = await published_badge(api, issuer)
    for learner in learners[:3]:
        await award(api, issuer, badge, learner)
    first, _ = await _same(api, unplanned, issuer.owner, t=team["id"], n=2)
    cursor = first["data"]["leaderboard"]["entries"]["pageInfo"]["endCursor"]
    rest, planned = await _same(api, unplanned, issuer.owner, t=team["id"], n=2, after=cursor)
    assert planned == 1
    assert rest["data"]["leaderboard"]["entries"]["pageInfo"]["hasPreviousPage"] is True
    ends = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    goal = {"kind": "BADGES", "badgeIds": [badge]}
    data = {"teamId": team["id"], "title": "Odznaka", "endsAt": ends, "goal": goal}
    created = await api.mutate(
        "createChallenge", data, "... on Challenge { id }", issuer.owner.token
    )
    board, planned = await _same(api, unplanned, learners[0], t=team["id"], c=created["id"])
    assert created["__typename"] == "Challenge", created
    assert planned == 1
    assert board["data"]["leaderboard"]["viewerEntry"]["handle"] == learners[0].handle


async def test_the_same_round_trips_for_a_class_of_2_and_of_30(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    badge = await published_badge(api, issuer)
    counts = []
    for size in (2, 30):
        team, _ = await class_with_two_awarded(api, issuer, badge, size)
        round_trips.neo4j = round_trips.sql = 0
        board = (await api.query(SHORT, {"t": team["id"]}, issuer.owner.token))["leaderboard"]
        assert board["entries"]["totalCount"] == size
        counts.append((round_trips.neo4j, round_trips.sql))
    assert counts[0] == counts[1] == (1, 2), counts  # the team; the viewer, the scores
