"""The services' own messages answer in the caller's language: a mutation's every field
fault (the input's shape, a validator's check and a service's look-up), a missing team and
a refused action in Polish with Accept-Language: pl, in English without it; a refused
query argument (a GraphQL error) and a refused row of a result likewise."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from odznaka_graph.ids import to_global
from tests.event_helpers import attend, create_event
from tests.helpers import Api, Person, published_badge, register, verified_issuer
from tests.team_helpers import create_team, pupils

CREATE = """mutation($input: CreateChallengeInput!) { createChallenge(input: $input) {
  __typename ... on MutationError { code message }
  ... on ValidationError { fields { field message } } } }"""
CHALLENGES = """query($id: ID!) { team(id: $id) { challenges(first: 1, last: 1) {
  totalCount } } }"""
POLISH = {"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}


def _deadline(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _create(
    api: Api, person: Person, data: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    answer = await api.query(CREATE, {"input": data}, person.token, headers)
    return answer["createChallenge"]  # type: ignore[no-any-return]


def _fields(result: dict[str, Any]) -> dict[str, str]:
    assert result["__typename"] == "ValidationError", result
    return {item["field"]: item["message"] for item in result["fields"]}


async def test_a_mutation_answers_in_the_callers_language(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [pupil] = await pupils(api, team["joinCode"], 1)
    outsider = await register(api)
    missing_badge = to_global("Badge", str(uuid.uuid4()))
    faulty = {
        "teamId": team["id"],
        "title": "",
        "endsAt": _deadline(-1),
        "goal": {"kind": "BADGES", "badgeIds": [missing_badge]},
    }
    fine = {"teamId": team["id"], "title": "Tydzień", "endsAt": _deadline(7)}
    fine["goal"] = {"kind": "POINTS", "points": 5}

    polish = await _create(api, issuer.owner, faulty, POLISH)
    assert polish["message"] == "Niektóre pola są nieprawidłowe."
    fields = _fields(polish)
    assert fields["endsAt"] == "Termin musi przypadać po rozpoczęciu."  # a validator's check
    assert fields["goal.badgeIds.0"] == "Nie ma takiej opublikowanej odznaki."  # the service's
    assert set(fields) == {"title", "endsAt", "goal.badgeIds.0"}
    assert fields["title"].startswith("Co najmniej")  # pydantic's, in the house voice

    english = await _create(api, issuer.owner, faulty)
    assert english["message"] == "The input is not valid."
    assert _fields(english) == {
        "title": "At least 1 characters.",
        "endsAt": "The deadline must come after the start.",
        "goal.badgeIds.0": "No such published badge.",
    }

    hidden = await _create(api, outsider, fine, POLISH)
    assert (hidden["__typename"], hidden["message"]) == ("NotFoundError", "Nie ma takiego zespołu.")
    assert (await _create(api, outsider, fine))["message"] == "No such team."

    refused = await _create(api, pupil, fine, POLISH)
    assert refused["__typename"] == "PermissionDeniedError", refused
    assert refused["message"] == "Nie możesz wyznaczać wyzwań zespołowi."
    assert (await _create(api, pupil, fine))["message"] == "You may not set the team's challenges."


async def test_a_refused_argument_answers_in_the_callers_language(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    variables = {"id": team["id"]}
    for headers, text in [
        (POLISH, "Podaj `first` albo `last`, nie oba naraz."),
        ({"Accept-Language": "de"}, "Ask for `first` or `last`, not both."),
        ({}, "Ask for `first` or `last`, not both."),
    ]:
        response = await api.raw(CHALLENGES, variables, issuer.owner.token, headers)
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"] == text


CONFIRM = """mutation($input: ConfirmAttendanceInput!) { confirmAttendance(input: $input) {
  __typename ... on AttendanceConfirmation { rows { status message } } } }"""


async def test_a_refused_row_of_a_result_answers_in_the_callers_language(api: Api) -> None:
    """confirmAttendance reports an award it could not make on the attendee's row."""
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    started = datetime.now(UTC) - timedelta(hours=1)
    event_id = await create_event(api, issuer, "Warsztat", started, badgeId=badge_id)
    await attend(api, event_id, issuer.owner.token)
    data = {"input": {"eventId": event_id, "userIds": [issuer.owner.id]}}
    answer = await api.query(CONFIRM, data, issuer.owner.token, POLISH)
    [row] = answer["confirmAttendance"]["rows"]
    assert (row["status"], row["message"]) == (
        "AWARD_REFUSED",
        "Nie można przyznać odznaki samemu sobie.",
    )
