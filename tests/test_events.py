"""Events on the map: area and radius, distances, time windows, filters, pages, rules."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from odznaka_graph.observability import RoundTrips
from tests.event_helpers import EVENT, WARSAW, attend, create_event, event_input, next_month
from tests.helpers import Api, GraphQLErrors, published_badge, register, verified_issuer

EVENTS = """
query($filter: EventFilter, $sort: EventSort, $first: Int, $after: String, $last: Int,
      $before: String) {
  events(filter: $filter, sort: $sort, first: $first, after: $after, last: $last,
         before: $before) {
    totalCount
    edges { cursor node { title distanceKm } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
NEAR_WARSAW = {"latitude": WARSAW[0], "longitude": WARSAW[1]}


async def _events(api: Api, **variables: Any) -> dict[str, Any]:
    return (await api.query(EVENTS, variables))["events"]  # type: ignore[no-any-return]


def _titles(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in page["edges"]]


def _error(response: Any) -> str:
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    return body["errors"][0]["message"]  # type: ignore[no-any-return]


async def _map(api: Api) -> datetime:
    """Events around Warsaw and further away, next month and later; returns next month."""
    issuer = await verified_issuer(api)
    start, _ = next_month()
    for title, where, day in [
        ("Centrum", "warszawa", 3),
        ("Piaseczno", "piaseczno", 5),
        ("Legionowo", "legionowo", 7),
        ("Żyrardów", "zyrardow", 9),
        ("Łódź", "lodz", 11),
        ("Kraków", "krakow", 13),
    ]:
        await create_event(api, issuer, title, start + timedelta(days=day), where=where)
    await create_event(
        api,
        issuer,
        "Webinar",
        start + timedelta(days=4),
        where=None,
        onlineUrl="https://meet.example.org/webinar",
    )
    await create_event(api, issuer, "Za trzy miesiące", start + timedelta(days=70))
    return start


async def test_within_25_km_of_warsaw_next_month(api: Api) -> None:
    start, end = next_month()
    await _map(api)
    window = {"from": start.isoformat(), "to": end.isoformat()}
    near = NEAR_WARSAW | {"radiusKm": 25}
    page = await _events(api, filter={"near": near, "window": window})
    assert _titles(page) == ["Centrum", "Piaseczno", "Legionowo"]  # soonest first
    assert page["totalCount"] == 3

    by_distance = await _events(api, filter={"near": near, "window": window}, sort="DISTANCE")
    assert _titles(by_distance) == ["Centrum", "Piaseczno", "Legionowo"]
    distances = [edge["node"]["distanceKm"] for edge in by_distance["edges"]]
    assert distances[0] == pytest.approx(0, abs=0.01)
    assert distances[1] == pytest.approx(16.5, abs=1)
    assert distances[2] == pytest.approx(20.4, abs=1)

    close = await _events(api, filter={"near": NEAR_WARSAW | {"radiusKm": 5}})
    assert _titles(close) == ["Centrum", "Za trzy miesiące"]


async def test_distances_without_a_radius_and_outside_it(api: Api) -> None:
    await _map(api)
    page = await _events(api, filter={"near": NEAR_WARSAW}, sort="DISTANCE", first=20)
    distances = {e["node"]["title"]: e["node"]["distanceKm"] for e in page["edges"]}
    assert "Webinar" not in distances  # no place, no distance
    assert distances["Kraków"] == pytest.approx(252, abs=3)
    assert distances["Łódź"] == pytest.approx(119, abs=3)
    assert distances["Żyrardów"] > 25
    assert list(distances.values()) == sorted(distances.values())
    soonest = await _events(api, filter={"near": NEAR_WARSAW}, first=20)
    webinar = next(e for e in soonest["edges"] if e["node"]["title"] == "Webinar")
    assert webinar["node"]["distanceKm"] is None
    outside = await _events(
        api, filter={"near": {"latitude": 54.35, "longitude": 18.65, "radiusKm": 25}}
    )  # Gdańsk
    assert outside["totalCount"] == 0 and outside["edges"] == []


async def test_bounding_box(api: Api) -> None:
    await _map(api)
    area = {"south": 52.0, "west": 20.8, "north": 52.5, "east": 21.3}
    page = await _events(api, filter={"area": area}, first=20)
    assert _titles(page) == ["Centrum", "Piaseczno", "Legionowo", "Za trzy miesiące"]
    assert all(edge["node"]["distanceKm"] is None for edge in page["edges"])
    south = {"south": 49.0, "west": 19.0, "north": 51.0, "east": 21.0}
    assert _titles(await _events(api, filter={"area": south})) == ["Kraków"]


async def test_bad_map_arguments_are_clear(api: Api) -> None:
    query = "query($f: EventFilter, $s: EventSort) { events(filter: $f, sort: $s) { totalCount } }"
    cases = [
        ({"area": {"south": 53, "west": 20, "north": 52, "east": 21}}, None, "south"),
        ({"area": {"south": 52, "west": 20, "north": 95, "east": 21}}, None, "latitude"),
        ({"near": {"latitude": 52, "longitude": 200}}, None, "longitude"),
        ({"near": NEAR_WARSAW | {"radiusKm": 0}}, None, "radiusKm"),
        ({}, "DISTANCE", "filter.near"),
        ({"window": {"from": "2027-01-02T00:00:00Z", "to": "2027-01-01T00:00:00Z"}}, None, "to"),
        ({"hostId": "bogus"}, None, "hostId"),
        ({"window": {"from": "2027-01-01T00:00:00"}}, None, "time zone"),
        ({"skillId": "bogus"}, None, "skillId"),
    ]
    for filter, sort, words in cases:
        variables = {"f": filter} | ({"s": sort} if sort else {})
        message = _error(await api.raw(query, variables))
        assert words in message, (filter, message)


async def test_time_window_picks_overlapping_events(api: Api) -> None:
    issuer = await verified_issuer(api)
    start, _ = next_month()
    await create_event(api, issuer, "Trzydniowe", start + timedelta(days=10), hours=72)
    await create_event(api, issuer, "Później", start + timedelta(days=20))
    await create_event(api, issuer, "Wczorajsze", datetime.now(UTC) - timedelta(days=1), hours=2)
    window = {
        "from": (start + timedelta(days=11)).isoformat(),
        "to": (start + timedelta(days=15)).isoformat(),
    }
    assert _titles(await _events(api, filter={"window": window})) == ["Trzydniowe"]
    assert _titles(await _events(api)) == ["Trzydniowe", "Później"]  # not ended yet
    since = {"from": (datetime.now(UTC) - timedelta(days=2)).isoformat()}
    assert _titles(await _events(api, filter={"window": since})) == [
        "Wczorajsze",
        "Trzydniowe",
        "Później",
    ]
    until = {"to": (start + timedelta(days=11)).isoformat()}
    assert _titles(await _events(api, filter={"window": until})) == ["Wczorajsze", "Trzydniowe"]


async def test_skill_host_form_and_text_filters(api: Api) -> None:
    first, second = await verified_issuer(api), await verified_issuer(api)
    start, _ = next_month()
    await published_badge(api, first)  # its learning outcome creates the skill
    skill_id = (await api.query('{ skills(search: "analiza") { id } }'))["skills"][0]["id"]
    await create_event(api, first, "Analiza w praktyce", start, skillIds=[skill_id])
    await create_event(
        api,
        second,
        "Spotkanie online",
        start + timedelta(days=1),
        where=None,
        onlineUrl="https://meet.example.org/x",
    )
    await create_event(
        api, second, "Hybryda", start + timedelta(days=2), onlineUrl="https://meet.example.org/y"
    )
    assert _titles(await _events(api, filter={"skillId": skill_id})) == ["Analiza w praktyce"]
    assert _titles(await _events(api, filter={"hostId": second.org_id})) == [
        "Spotkanie online",
        "Hybryda",
    ]
    assert _titles(await _events(api, filter={"form": "ONLINE"})) == ["Spotkanie online", "Hybryda"]
    assert _titles(await _events(api, filter={"form": "ON_SITE"})) == [
        "Analiza w praktyce",
        "Hybryda",
    ]
    assert _titles(await _events(api, filter={"form": "HYBRID"})) == ["Hybryda"]
    assert _titles(await _events(api, filter={"text": "SPOTKANIE"})) == ["Spotkanie online"]
    assert _titles(await _events(api, filter={"text": "hybryda (en)"})) == ["Hybryda"]
    other = await api.query(
        "query($id: ID!) { event(id: $id) { teaches { id name } host { ... on Organization "
        "{ id } } form } }",
        {"id": (await _ids(api))[0]},
    )
    assert other["event"]["teaches"][0]["id"] == skill_id
    assert other["event"]["host"]["id"] == first.org_id


async def _ids(api: Api) -> list[str]:
    data = await api.query("{ events(first: 100) { edges { node { id } } } }")
    return [edge["node"]["id"] for edge in data["events"]["edges"]]


async def test_pages_forward_and_back(api: Api) -> None:
    issuer = await verified_issuer(api)
    start, _ = next_month()
    for day, title in enumerate(["A", "B", "C", "D", "E"]):
        await create_event(api, issuer, title, start + timedelta(days=day))
    first = await _events(api, first=2)
    assert (_titles(first), first["totalCount"]) == (["A", "B"], 5)
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = await _events(api, first=2, after=first["pageInfo"]["endCursor"])
    assert _titles(second) == ["C", "D"]
    last = await _events(api, first=2, after=second["pageInfo"]["endCursor"])
    assert _titles(last) == ["E"] and not last["pageInfo"]["hasNextPage"]
    back = await _events(api, last=2, before=last["pageInfo"]["startCursor"])
    assert _titles(back) == ["C", "D"]
    assert back["pageInfo"]["hasNextPage"] and back["pageInfo"]["hasPreviousPage"]
    assert _titles(await _events(api, last=2)) == ["D", "E"]
    assert (await _events(api, first=0))["edges"] == []
    # the same cursor gives the same page again (stable), and distance pages work too
    assert _titles(await _events(api, first=2, after=first["pageInfo"]["endCursor"])) == ["C", "D"]
    near = {"filter": {"near": NEAR_WARSAW}, "sort": "DISTANCE"}
    one = await _events(api, first=3, **near)
    rest = await _events(api, first=3, after=one["pageInfo"]["endCursor"], **near)
    assert len(set(_titles(one) + _titles(rest))) == 5


async def test_page_size_and_cursor_errors(api: Api) -> None:
    assert "between 0 and 100" in _error(await api.raw("{ events(first: 101) { totalCount } }"))
    assert "not both" in _error(await api.raw("{ events(first: 1, last: 1) { totalCount } }"))
    bogus = _error(await api.raw('{ events(after: "bogus!") { totalCount } }'))
    assert bogus == "That cursor is not one this list gave out."


async def test_only_host_staff_create_and_see_attendees(api: Api) -> None:
    issuer = await verified_issuer(api)
    stranger = await register(api)
    start, _ = next_month()
    data = event_input(issuer, "Cudze", start)
    refused = await api.mutate("createEvent", data, EVENT, stranger.token)
    assert refused["__typename"] == "PermissionDeniedError", refused
    anonymous = await api.mutate("createEvent", data, EVENT)
    assert anonymous["code"] == "UNAUTHENTICATED"

    event_id = await create_event(api, issuer, "Nasze", start)
    await attend(api, event_id, stranger.token)
    query = """query($id: ID!) { node(id: $id) { ... on Event { attendeeCount viewerIsAttending
      attendees { totalCount edges { node { handle userId confirmedAt } } } } } }"""
    staff = (await api.query(query, {"id": event_id}, issuer.owner.token))["node"]
    assert staff["attendees"]["totalCount"] == 1
    assert staff["attendees"]["edges"][0]["node"]["userId"] == stranger.id
    assert not staff["viewerIsAttending"]
    for token in (stranger.token, None):
        seen = (await api.query(query, {"id": event_id}, token))["node"]
        assert seen["attendees"] is None and seen["attendeeCount"] == 1
    mine = (await api.query(query, {"id": event_id}, stranger.token))["node"]
    assert mine["viewerIsAttending"]


async def test_validation_errors_name_the_field(api: Api) -> None:
    issuer = await verified_issuer(api)
    other = await verified_issuer(api)
    foreign_badge = await published_badge(api, other)
    start, _ = next_month()
    base = event_input(issuer, "Walidacja", start)
    cases = [
        ({"place": None}, "place"),
        ({"place": {"latitude": 91, "longitude": 21, "address": "Nigdzie 1"}}, "place.latitude"),
        ({"place": {"latitude": 52, "longitude": -181, "address": "Nigdzie 1"}}, "place.longitude"),
        ({"endsAt": (start - timedelta(hours=1)).isoformat()}, "endsAt"),
        ({"startsAt": "2026-12-01T10:00:00"}, "startsAt"),  # no time zone
        ({"onlineUrl": "not a url", "place": None}, "onlineUrl"),
        ({"title": []}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"badgeId": foreign_badge}, "badgeId"),
        ({"skillIds": ["bogus"]}, "skillIds.0"),
        ({"hostId": "bogus"}, "hostId"),
    ]
    for change, field in cases:
        result = await api.mutate("createEvent", base | change, EVENT, issuer.owner.token)
        assert result["__typename"] == "ValidationError", (change, result)
        assert field in [f["field"] for f in result["fields"]], (change, result)


async def test_events_are_nodes_and_unknown_ids_are_null(api: Api) -> None:
    issuer = await verified_issuer(api)
    event_id = await create_event(api, issuer, "Węzeł", next_month()[0])
    query = "query($id: ID!) { node(id: $id) { id ... on Event { title } } }"
    assert (await api.query(query, {"id": event_id}))["node"] == {"id": event_id, "title": "Węzeł"}
    english = await api.query(query, {"id": event_id}, headers={"Accept-Language": "en"})
    assert english["node"]["title"] == "Węzeł (EN)"
    assert (await api.query('{ event(id: "bogus") { id } }'))["event"] is None


async def test_round_trips_do_not_grow_with_the_events_returned(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    skill_id = (await api.query('{ skills(search: "analiza") { id } }'))["skills"][0]["id"]
    learner = await register(api)
    start, _ = next_month()
    query = """query($f: EventFilter) { events(filter: $f, sort: DISTANCE, first: 50) {
      totalCount edges { node { title distanceKm attendeeCount viewerIsAttending seatsLeft
        host { ... on Organization { name } } teaches { name } badge { name } } } } }"""
    counts = []
    for size in (2, 8):
        while len(await _ids(api)) < size:
            event_id = await create_event(
                api,
                issuer,
                "Wydarzenie",
                start,
                skillIds=[skill_id],
                badgeId=badge_id,
                capacity=10,
            )
            await attend(api, event_id, learner.token)
        round_trips.neo4j = round_trips.sql = 0
        page = await api.query(query, {"f": {"near": NEAR_WARSAW}}, learner.token)
        assert len(page["events"]["edges"]) == size
        assert all(e["node"]["viewerIsAttending"] for e in page["events"]["edges"])
        counts.append((round_trips.neo4j, round_trips.sql))
    assert counts[0] == counts[1]
    # page+count, organisations, skills, badges; SQL: the session read
    assert counts[1] == (4, 1)  # one SQL read: the viewer's role and session


async def test_events_query_needs_no_sign_in(api: Api) -> None:
    data = await api.query("{ events(first: 5) { totalCount edges { cursor node { id } } } }")
    assert data["events"] == {"totalCount": 0, "edges": []}
    with pytest.raises(GraphQLErrors):
        await api.query("{ events(first: -1) { totalCount } }")


async def test_an_explicit_null_sort_means_the_default(api: Api) -> None:
    query = (
        "query($s: EventSort, $b: BadgeSort) { events(sort: $s) { totalCount } "
        "badges(sort: $b) { totalCount } }"
    )
    data = await api.query(query, {"s": None, "b": None})
    assert data == {"events": {"totalCount": 0}, "badges": {"totalCount": 0}}
