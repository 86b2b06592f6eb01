"""Events hosted by a class or a club (issue 15): their teachers, leaders, owners and
moderators host them; only members see them, through every read path, and a removed
member loses them at once; a geofenced check-in takes only attendees at the place."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.check_in_helpers import CODE, awards_of, check_in
from tests.club_helpers import club_of
from tests.event_helpers import create_event, event_input, place
from tests.helpers import Api, Issuer, Person, published_badge, register, tx, verified_issuer
from tests.team_helpers import create_team, pupils

EVENT = "... on Event { id visibility geofenceMetres host { __typename } }"
SEEN = """query($id: ID!, $host: ID!) {
  node(id: $id) { id }
  nodes(ids: [$id]) { id }
  event(id: $id) { id }
  events { edges { node { id } } }
  byHost: events(filter: {hostId: $host}) { totalCount edges { node { id } } }
}"""
COUNT = "query($id: ID!) { event(id: $id) { attendeeCount checkedInCount } }"
NEAR = {"latitude": 52.2299, "longitude": 21.0125}  # some 30 m from pl. Defilad 1
FAR = {"latitude": 52.2370, "longitude": 21.0122}  # some 800 m north


async def _hosted(api: Api, token: str, host_id: str, **extra: Any) -> dict[str, Any]:
    starts = extra.pop("starts", datetime.now(UTC) + timedelta(days=3))
    data = {
        "hostId": host_id,
        "title": tx("Wycieczka", "Trip"),
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=3)).isoformat(),
        "place": place("warszawa"),
    }
    return await api.mutate("createEvent", data | extra, EVENT, token)


async def _seen(api: Api, event_id: str, host_id: str, token: str | None) -> dict[str, bool]:
    data = await api.query(SEEN, {"id": event_id, "host": host_id}, token)
    on_map = [edge["node"]["id"] for edge in data["events"]["edges"]]
    by_host = [edge["node"]["id"] for edge in data["byHost"]["edges"]]
    assert data["byHost"]["totalCount"] == len(by_host)
    return {
        "node": data["node"] is not None,
        "nodes": data["nodes"][0] is not None,
        "event": data["event"] is not None,
        "map": event_id in on_map,
        "host filter": event_id in by_host,
    }


ALL = {"node": True, "nodes": True, "event": True, "map": True, "host filter": True}
NONE = dict.fromkeys(ALL, False)


async def _class(api: Api) -> tuple[Issuer, dict[str, Any], list[Person]]:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    return issuer, team, await pupils(api, team["joinCode"], 2)


async def test_a_class_event_is_for_its_members_and_leaves_a_removed_pupil_at_once(
    api: Api,
) -> None:
    issuer, team, (ola, jan) = await _class(api)
    stranger = await register(api)
    refused = await _hosted(api, ola.token, team["id"])
    assert refused["__typename"] == "PermissionDeniedError", refused
    outsider = await _hosted(api, stranger.token, team["id"])
    assert outsider["__typename"] == "NotFoundError", outsider
    created = await _hosted(api, issuer.owner.token, team["id"])
    assert created["__typename"] == "Event", created
    assert (created["visibility"], created["host"]["__typename"]) == ("MEMBERS", "Team")
    event_id = created["id"]
    for person in (issuer.owner, ola, jan):
        assert await _seen(api, event_id, team["id"], person.token) == ALL
    for token in (stranger.token, None):
        assert await _seen(api, event_id, team["id"], token) == NONE

    attend = {"eventId": event_id}
    assert (await api.mutate("attendEvent", attend, EVENT, ola.token))["__typename"] == "Event"
    sneaked = await api.mutate("attendEvent", attend, EVENT, stranger.token)
    assert sneaked["__typename"] == "NotFoundError", sneaked

    removed = await api.mutate(
        "removeTeamMember", {"teamId": team["id"], "userId": ola.id}, "", issuer.owner.token
    )
    assert removed["__typename"] == "Team", removed
    assert await _seen(api, event_id, team["id"], ola.token) == NONE
    again = await api.mutate("cancelAttendance", attend, EVENT, ola.token)
    assert again["__typename"] == "NotFoundError", again
    counted = await api.query(COUNT, {"id": event_id}, issuer.owner.token)
    assert counted["event"]["attendeeCount"] == 1  # refused: her registration stands
    assert await _seen(api, event_id, team["id"], jan.token) == ALL


async def test_a_club_event_is_for_its_members_and_hosted_by_its_moderators(api: Api) -> None:
    owner, member, outsider = [await register(api) for _ in range(3)]
    club_id = await club_of(api, owner, [member])  # a PUBLIC club: its events still are not
    refused = await _hosted(api, member.token, club_id)
    assert refused["__typename"] == "PermissionDeniedError", refused
    created = await _hosted(api, owner.token, club_id)
    assert (created["visibility"], created["host"]["__typename"]) == ("MEMBERS", "Club")
    assert await _seen(api, created["id"], club_id, member.token) == ALL
    assert await _seen(api, created["id"], club_id, outsider.token) == NONE
    assert await _seen(api, created["id"], club_id, None) == NONE


async def test_the_class_teacher_runs_check_in_and_sees_the_count(api: Api) -> None:
    issuer, team, (ola, jan) = await _class(api)
    starts = datetime.now(UTC) - timedelta(minutes=5)
    event_id = (await _hosted(api, issuer.owner.token, team["id"], starts=starts))["id"]
    assert (await api.query(CODE, {"id": event_id}, ola.token))["eventCheckInCode"] is None
    shown = (await api.query(CODE, {"id": event_id}, issuer.owner.token))["eventCheckInCode"]
    stranger = await register(api)
    sneaked = await check_in(api, event_id, shown["code"], stranger)
    assert sneaked["__typename"] == "NotFoundError", sneaked
    both = await asyncio.gather(*(check_in(api, event_id, shown["code"], ola) for _ in range(2)))
    assert {row["status"] for row in both} == {"CONFIRMED"}, both
    counted = await api.query(COUNT, {"id": event_id}, issuer.owner.token)
    assert counted["event"] == {"attendeeCount": 1, "checkedInCount": 1}
    to_pupil = await api.query(COUNT, {"id": event_id}, jan.token)
    assert to_pupil["event"] == {"attendeeCount": 1, "checkedInCount": None}


async def test_a_geofenced_check_in_takes_only_attendees_at_the_place(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    no_place = await api.mutate(
        "createEvent",
        event_input(issuer, "Online", datetime.now(UTC), where=None)
        | {"onlineUrl": "https://example.org/live", "geofenceMetres": 200},
        EVENT,
        issuer.owner.token,
    )
    assert no_place["__typename"] == "ValidationError", no_place
    assert no_place["fields"] == [
        {"field": "geofenceMetres", "message": "A check-in geofence needs the event's place."}
    ]
    starts = datetime.now(UTC) - timedelta(minutes=5)
    event_id = await create_event(
        api, issuer, "Sprzątanie parku", starts, badgeId=badge_id, geofenceMetres=200
    )
    code = (await api.query(CODE, {"id": event_id}, issuer.owner.token))["eventCheckInCode"]
    attendee = await register(api)
    missing = await check_in(api, event_id, code["code"], attendee)
    assert (missing["__typename"], missing["reason"]) == (
        "ValidationError",
        "CHECK_IN_POSITION_NEEDED",
    )
    far = await check_in(api, event_id, code["code"], attendee, FAR)
    assert (far["__typename"], far["reason"]) == ("ConflictError", "CHECK_IN_TOO_FAR")
    assert await awards_of(api, badge_id) == 0
    counted = await api.query(COUNT, {"id": event_id}, issuer.owner.token)
    assert counted["event"] == {"attendeeCount": 0, "checkedInCount": 0}
    near = await asyncio.gather(
        *(check_in(api, event_id, code["code"], attendee, NEAR) for _ in range(3))
    )
    assert {row["status"] for row in near} == {"CONFIRMED_AND_AWARDED"}, near
    assert len({row["awardId"] for row in near}) == 1
    assert await awards_of(api, badge_id) == 1
