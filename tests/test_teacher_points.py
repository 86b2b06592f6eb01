"""Points given by hand (issue 15): a teacher gives or takes points with a note, to some
learners of the class or all of them, once per call and learner; a correction takes them
back by a new entry, once; nobody else can, and refusals change nothing."""

import uuid
from typing import Any

from odznaka_graph.ids import to_global
from odznaka_graph.observability import RoundTrips, round_trips_var
from tests.helpers import Api, Person, register, verified_issuer
from tests.team_helpers import create_team, pupils

ENTRIES = "... on PointsAwarded { entries { id amount note why: reason sourceId } }"
ENTRY = "... on PointEvent { id amount note why: reason sourceId }"
ME = "{ me { xp pointHistory(first: 10) { edges { node { amount note reason } } } } }"


async def _me(api: Api, person: Person) -> dict[str, Any]:
    return (await api.query(ME, token=person.token))["me"]  # type: ignore[no-any-return]


async def test_a_teacher_gives_points_once_per_call_and_corrects_them_once(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    ala, bartek, cezary = await pupils(api, team["joinCode"], 3)
    give = {"teamId": team["id"], "recipientIds": [ala.id], "amount": 5, "note": "Aktywność"}
    key = {"idempotencyKey": "lekcja-1"}
    first, again = [
        await api.mutate("awardPoints", give | key, ENTRIES, issuer.owner.token) for _ in range(2)
    ]
    assert first["__typename"] == "PointsAwarded", first
    [entry] = first["entries"]
    assert again["entries"] == first["entries"]  # the retry made nothing new
    assert (entry["amount"], entry["note"], entry["why"]) == (5, "Aktywność", "GIVEN_BY_TEACHER")
    assert entry["sourceId"] == team["id"]
    me = await _me(api, ala)
    assert me["xp"] == 5
    assert me["pointHistory"]["edges"][0]["node"] == {
        "amount": 5,
        "note": "Aktywność",
        "reason": "GIVEN_BY_TEACHER",
    }

    everyone = {"teamId": team["id"], "everyone": True, "amount": 2, "note": "Wycieczka"}
    given = await api.mutate("awardPoints", everyone, ENTRIES, issuer.owner.token)
    assert len(given["entries"]) == 3 and {e["amount"] for e in given["entries"]} == {2}
    late = {"teamId": team["id"], "recipientIds": [bartek.id], "amount": -1, "note": "Spóźnienie"}
    await api.mutate("awardPoints", late, ENTRIES, issuer.owner.token)
    assert [(await _me(api, p))["xp"] for p in (ala, bartek, cezary)] == [7, 1, 2]

    fix = {"pointEventId": entry["id"], "note": "Pomyłka"}
    by_pupil = await api.mutate("correctPoints", fix, ENTRY, bartek.token)
    assert by_pupil["__typename"] == "PermissionDeniedError", by_pupil
    corrected = await api.mutate("correctPoints", fix, ENTRY, issuer.owner.token)
    assert (corrected["amount"], corrected["why"]) == (-5, "CORRECTED_BY_TEACHER")
    assert corrected["sourceId"] == entry["id"]
    twice = await api.mutate("correctPoints", fix, ENTRY, issuer.owner.token)
    assert (twice["__typename"], twice["reason"]) == ("ConflictError", "POINTS_CORRECTED_ALREADY")
    me = await _me(api, ala)
    assert me["xp"] == 2
    assert me["pointHistory"]["edges"][0]["node"]["note"] == "Pomyłka"


async def test_points_by_hand_are_refused_to_others_and_change_nothing(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [pupil] = await pupils(api, team["joinCode"], 1)
    stranger = await register(api)
    give = {"teamId": team["id"], "recipientIds": [pupil.id], "amount": 5, "note": "Brawo"}
    cases = [
        (give, pupil.token, "PermissionDeniedError", None),
        (give, stranger.token, "NotFoundError", None),
        (
            give | {"recipientIds": [stranger.id]},
            issuer.owner.token,
            "ValidationError",
            "NOT_A_LEARNER",
        ),
        (
            give | {"recipientIds": [issuer.owner.id]},
            issuer.owner.token,
            "ValidationError",
            "NOT_A_LEARNER",
        ),
        (give | {"amount": 0}, issuer.owner.token, "ValidationError", "INVALID_INPUT"),
        (
            give | {"amount": 101, "note": ""},
            issuer.owner.token,
            "ValidationError",
            "INVALID_INPUT",
        ),
        (give | {"everyone": True}, issuer.owner.token, "ValidationError", "INVALID_INPUT"),
    ]
    for data, token, kind, reason in cases:
        refused = await api.mutate("awardPoints", data, ENTRIES, token)
        assert refused["__typename"] == kind, (data, refused)
        assert reason is None or refused["reason"] == reason, (data, refused)
    both = await api.mutate(
        "awardPoints", give | {"amount": 101, "note": ""}, ENTRIES, issuer.owner.token
    )
    assert {f["field"] for f in both["fields"]} == {"amount", "note"}
    missing = {"pointEventId": to_global("PointEvent", str(uuid.uuid4())), "note": "x"}
    unknown = await api.mutate("correctPoints", missing, ENTRY, issuer.owner.token)
    assert unknown["__typename"] == "NotFoundError", unknown
    assert (await _me(api, pupil))["xp"] == 0


async def test_points_for_everyone_cost_the_same_for_2_and_8_learners(api: Api) -> None:
    issuer = await verified_issuer(api)
    costs = []
    for size in (2, 8):
        team = await create_team(api, issuer, name=f"{size}a")
        await pupils(api, team["joinCode"], size)
        data = {"teamId": team["id"], "everyone": True, "amount": 1, "note": "Za udział"}
        trips = RoundTrips()
        token = round_trips_var.set(trips)
        try:
            given = await api.mutate("awardPoints", data, ENTRIES, issuer.owner.token)
        finally:
            round_trips_var.reset(token)
        assert len(given["entries"]) == size
        costs.append((trips.neo4j, trips.sql))
    assert costs[0] == costs[1], costs
