"""Houses within a class (issue 15): its teacher creates, renames and deletes them and puts
pupils in them (one house per pupil per class: putting them elsewhere moves them); a
house's score sums its current members' points, the ranking shares equal ranks, every
house is scored in one read; nobody else can change them, and a pupil taken out of the
class is out of their house at once."""

from typing import Any

import pytest

from odznaka_graph.observability import RoundTrips
from tests.helpers import Api, Issuer, Person, register, verified_issuer
from tests.profile_helpers import set_visibility
from tests.team_helpers import create_team, pupils

HOUSE = "... on House { id name colour memberCount team { id } }"
TEAM_HOUSES = """query($id: ID!) { team(id: $id) {
  houses { name memberCount score members { handle } }
  houseRanking { rank score house { name } } } }"""


async def _house(api: Api, issuer: Issuer, team_id: str, name: str, **more: Any) -> dict[str, Any]:
    data = {"teamId": team_id, "name": name} | more
    return await api.mutate("createHouse", data, HOUSE, issuer.owner.token)


async def _assign(
    api: Api, issuer: Issuer, team_id: str, house_id: str | None, people: list[Person]
) -> dict[str, Any]:
    data = {"teamId": team_id, "houseId": house_id, "userIds": [p.id for p in people]}
    return await api.mutate("assignHouse", data, "... on Team { id }", issuer.owner.token)


async def _give(api: Api, issuer: Issuer, team_id: str, person: Person, amount: int) -> None:
    data = {"teamId": team_id, "recipientIds": [person.id], "amount": amount, "note": "Brawo"}
    given = await api.mutate(
        "awardPoints", data, "... on PointsAwarded { __typename }", issuer.owner.token
    )
    assert given["__typename"] == "PointsAwarded", given


async def _houses(api: Api, person: Person, team_id: str) -> dict[str, Any]:
    return (await api.query(TEAM_HOUSES, {"id": team_id}, person.token))["team"]  # type: ignore[no-any-return]


async def test_a_teacher_manages_houses_and_nobody_else_can(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [pupil] = await pupils(api, team["joinCode"], 1)
    other = await verified_issuer(api)
    await create_team(api, other, name="4c")
    stranger = await register(api)

    gryfy = await _house(api, issuer, team["id"], "Gryfy", colour="#C0392B")
    assert (gryfy["__typename"], gryfy["colour"], gryfy["memberCount"]) == ("House", "#C0392B", 0)
    assert gryfy["team"]["id"] == team["id"]
    twice = await _house(api, issuer, team["id"], "Gryfy")
    assert (twice["__typename"], twice["reason"]) == ("ConflictError", "HOUSE_NAME_TAKEN")
    bad = await _house(api, issuer, team["id"], "", colour="red")
    assert {f["field"] for f in bad["fields"]} == {"name", "colour"}, bad
    create = {"teamId": team["id"], "name": "Orły"}
    by_pupil = await api.mutate("createHouse", create, HOUSE, pupil.token)
    assert by_pupil["__typename"] == "PermissionDeniedError", by_pupil
    by_other = await api.mutate("createHouse", create, HOUSE, other.owner.token)
    assert by_other["__typename"] == "NotFoundError", by_other
    rename = {"houseId": gryfy["id"], "name": "Sowy"}
    for token in (pupil.token, other.owner.token, stranger.token):
        refused = await api.mutate("updateHouse", rename, HOUSE, token)
        assert refused["__typename"] in ("PermissionDeniedError", "NotFoundError"), refused
        gone = await api.mutate("deleteHouse", {"houseId": gryfy["id"]}, "", token)
        assert gone["__typename"] in ("PermissionDeniedError", "NotFoundError"), gone
        put = {"teamId": team["id"], "houseId": gryfy["id"], "userIds": [pupil.id]}
        assert (await api.mutate("assignHouse", put, "", token))["__typename"] != "Team"
    strange = await _assign(api, issuer, team["id"], gryfy["id"], [stranger])
    assert (strange["__typename"], strange["reason"]) == ("ValidationError", "NOT_A_LEARNER")
    assert (await _houses(api, issuer.owner, team["id"]))["houses"] == [
        {"name": "Gryfy", "memberCount": 0, "score": 0, "members": []}
    ]

    renamed = await api.mutate(
        "updateHouse", rename | {"colour": "#2E86C1"}, HOUSE, issuer.owner.token
    )
    assert (renamed["name"], renamed["colour"]) == ("Sowy", "#2E86C1")
    orly = await _house(api, issuer, team["id"], "Orły")
    taken = await api.mutate(
        "updateHouse", {"houseId": orly["id"], "name": "Sowy"}, HOUSE, issuer.owner.token
    )
    assert (taken["__typename"], taken["reason"]) == ("ConflictError", "HOUSE_NAME_TAKEN")
    assert (await _assign(api, issuer, team["id"], gryfy["id"], [pupil]))["__typename"] == "Team"
    deleted = await api.mutate(
        "deleteHouse", {"houseId": gryfy["id"]}, "... on Team { id }", issuer.owner.token
    )
    assert deleted == {"__typename": "Team", "id": team["id"]}
    found = await _houses(api, issuer.owner, team["id"])
    assert [h["name"] for h in found["houses"]] == ["Orły"]
    again = await api.mutate("updateHouse", rename, HOUSE, issuer.owner.token)
    assert (again["__typename"], again["reason"]) == ("NotFoundError", "HOUSE_NOT_FOUND")


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_house_scores_rank_move_and_lose_a_removed_pupil(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ala, bartek, cezary, daria = await pupils(api, team["joinCode"], 4)
    h1, h2, h3 = [
        (await _house(api, issuer, team["id"], name))["id"] for name in ("A1", "B2", "C3")
    ]
    await _assign(api, issuer, team["id"], h1, [ala, bartek])
    await _assign(api, issuer, team["id"], h2, [cezary])
    await _assign(api, issuer, team["id"], h3, [daria])
    for person, amount in ((ala, 5), (bartek, 3), (cezary, 8), (daria, 1)):
        await _give(api, issuer, team["id"], person, amount)

    found = await _houses(api, issuer.owner, team["id"])
    assert [(h["name"], h["memberCount"], h["score"]) for h in found["houses"]] == [
        ("A1", 2, 8),
        ("B2", 1, 8),
        ("C3", 1, 1),
    ]
    ranking = [(s["rank"], s["score"], s["house"]["name"]) for s in found["houseRanking"]]
    assert ranking == [(1, 8, "A1"), (1, 8, "B2"), (3, 1, "C3")]  # a tie shares the rank
    assert sorted(m["handle"] for m in found["houses"][0]["members"]) == sorted(
        [ala.handle, bartek.handle]
    )
    mine = await _houses(api, ala, team["id"])
    assert ala.handle in [m["handle"] for m in mine["houses"][0]["members"]]
    assert mine["houseRanking"] == found["houseRanking"]

    await _assign(api, issuer, team["id"], h2, [bartek])  # moves him: one house per class
    found = await _houses(api, issuer.owner, team["id"])
    assert [(h["memberCount"], h["score"]) for h in found["houses"]] == [(1, 5), (2, 11), (1, 1)]
    assert found["houseRanking"][0]["house"]["name"] == "B2"

    removed = await api.mutate(
        "removeTeamMember",
        {"teamId": team["id"], "userId": cezary.id},
        "... on Team { id }",
        issuer.owner.token,
    )
    assert removed["__typename"] == "Team", removed
    found = await _houses(api, issuer.owner, team["id"])  # at once, before any handler runs
    assert [(h["memberCount"], h["score"]) for h in found["houses"]] == [(1, 5), (1, 3), (1, 1)]
    assert [m["handle"] for m in found["houses"][1]["members"]] == [bartek.handle]
    await api.runtime.services.stores.projector.flush()
    back = await api.mutate(
        "addTeamMember",
        {"teamId": team["id"], "userId": cezary.id, "role": "STUDENT"},
        "... on Team { id }",
        issuer.owner.token,
    )
    assert back["__typename"] == "Team", back
    found = await _houses(api, issuer.owner, team["id"])  # back in the class, in no house
    assert [h["memberCount"] for h in found["houses"]] == [1, 1, 1]

    await _assign(api, issuer, team["id"], None, [daria])  # out of her house
    found = await _houses(api, issuer.owner, team["id"])
    assert [(h["memberCount"], h["score"]) for h in found["houses"]] == [(1, 5), (1, 3), (0, 0)]


async def test_every_house_is_scored_in_the_same_round_trips_for_2_and_6_houses(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    costs = []
    for count in (2, 6):
        team = await create_team(api, issuer, name=f"{count}h")
        people = await pupils(api, team["joinCode"], count)
        for index, person in enumerate(people):
            house = await _house(api, issuer, team["id"], f"Dom {index}")
            await _assign(api, issuer, team["id"], house["id"], [person])
            await _give(api, issuer, team["id"], person, index + 1)
        round_trips.neo4j = round_trips.sql = 0
        query = TEAM_HOUSES.replace("score members", "score(window: WEEK) members")
        found = (await api.query(query, {"id": team["id"]}, issuer.owner.token))["team"]
        costs.append((round_trips.neo4j, round_trips.sql))
        assert [s["score"] for s in found["houseRanking"]] == list(range(count, 0, -1))
        assert [h["memberCount"] for h in found["houses"]] == [1] * count
    print("houses round trips (neo4j, sql) for 2 and 6 houses:", costs)
    assert costs[0] == costs[1], costs


async def test_house_members_are_listed_as_the_class_board_shows_them(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ola, hidden, shown = await pupils(api, team["joinCode"], 3)
    await set_visibility(api, hidden, awards="PRIVATE")
    house = await _house(api, issuer, team["id"], "Sowy")
    await _assign(api, issuer, team["id"], house["id"], [ola, hidden, shown])
    await _give(api, issuer, team["id"], hidden, 4)
    board = await api.query(
        "query($id: ID!) { leaderboard(teamId: $id) { entries { edges { node { handle } } } } }",
        {"id": team["id"]},
        ola.token,
    )
    on_board = {e["node"]["handle"] for e in board["leaderboard"]["entries"]["edges"]}
    [seen] = (await _houses(api, ola, team["id"]))["houses"]
    assert {m["handle"] for m in seen["members"]} == on_board == {ola.handle, shown.handle}
    assert (seen["memberCount"], seen["score"]) == (3, 4)  # counted, not named
    [everyone] = (await _houses(api, issuer.owner, team["id"]))["houses"]
    assert len(everyone["members"]) == 3
    outsider = await register(api)
    assert (await api.query(TEAM_HOUSES, {"id": team["id"]}, outsider.token))["team"] is None
