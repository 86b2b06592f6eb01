"""Who sees what, as a table: each kind of private thing x each read path. The rightful
reader sees it; a stranger, a blocked user and an ex-member do not — through GraphQL
(`node`, `nodes`, a profile's award list and its count, verification, export), the public
credential page, the certificate PDF, Open Badges 2.0 and 3.0 hosting, live delivery over
a real WebSocket, and search. All against a real uvicorn process.

A new read path is one entry in PATHS; a new kind of private thing one in KINDS."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from neo4j import AsyncGraphDatabase

from odznaka_graph.ids import local_id, to_global
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.club_helpers import CLUB, create_club, nominate, peer_badge
from tests.club_helpers import join as join_club
from tests.credential_helpers import export
from tests.helpers import Api, Issuer, Person, published_badge, register, tx
from tests.live_helpers import Live, live, remote, remote_issuer, settled
from tests.profile_helpers import set_visibility
from tests.social_helpers import act
from tests.team_helpers import award, create_team
from tests.team_helpers import join as join_team


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A generous operation timeout: the table is about answers, and a loaded test machine
    # must not turn a slow projection into a failure.
    var = tmp_path_factory.mktemp("visibility")
    with api_process(settings, var, OPERATION_TIMEOUT_SECONDS="60") as base:
        yield base


@pytest.fixture(scope="module")
async def api(server: str) -> AsyncIterator[Api]:
    async with remote(server) as client:
        yield client


@dataclass
class Secret:
    """One private award: whose it is, and who may (True) or may not (False) see it."""

    award_id: str  # global id
    holder: Person
    issuer_id: str  # the badge's issuer (organisation or club), plain id
    readers: dict[str, bool]
    hidden: bool  # whether it does not exist at all for those who may not see it


@dataclass
class World:
    people: dict[str, Person] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)


@pytest.fixture(scope="module")
async def world(api: Api) -> World:
    """Built once: the people, and one award of each private kind."""
    w = World()
    names = ("bartek", "ala", "cyd", "dora", "ewa", "fil", "gosia", "hubert")
    for name in names:
        w.people[name] = await register(api)
    p = w.people
    # A members-only club (ala owns it; cyd a member; dora was one) and its peer award to
    # bartek, who blocks fil (a member too: blocking wins over membership).
    club_id = await create_club(api, p["ala"], join_policy="INVITE", visibility="MEMBERS")
    for name in ("bartek", "cyd", "dora", "fil"):
        invited = {"clubId": club_id, "userId": p[name].id}
        await api.mutate("inviteToClub", invited, CLUB, p["ala"].token)
        assert (await join_club(api, club_id, p[name]))["viewerStatus"] == "MEMBER"
    badge_id = await peer_badge(api, club_id, p["ala"], name="Tajny mistrz")
    nomination = await nominate(api, badge_id, p["ala"], p["bartek"], reason="Sekretny powód")
    assert nomination["status"] == "AWARDED", nomination
    await api.mutate("leaveClub", {"clubId": club_id}, "", p["dora"].token)
    assert (await act(api, "blockUser", p["bartek"], p["fil"]))["blocked"] is True
    club_award = nomination["award"]["id"]
    assert (await export(api, club_award, p["bartek"]))["format"] == "DATA_INTEGRITY"
    w.secrets["members-only club peer award"] = Secret(
        club_award,
        p["bartek"],
        local_id(club_id, "Club") or "",
        {"bartek": True, "cyd": True, "ewa": False, "fil": False, "dora": False, "anon": False},
        hidden=True,
    )
    issuer = await remote_issuer(api)
    formal = await published_badge(api, issuer)
    # gosia hides her awards (and blocks fil); hubert shows his, but blocks fil.
    await set_visibility(api, p["gosia"], awards="PRIVATE")
    private_award = await award(api, issuer, formal, p["gosia"])
    await act(api, "blockUser", p["gosia"], p["fil"])
    w.secrets["award in a hidden awards section"] = Secret(
        private_award,
        p["gosia"],
        local_id(issuer.org_id, "Organization") or "",
        {"gosia": True, "ewa": False, "fil": False, "anon": False},
        hidden=False,
    )
    blocker_award = await award(api, issuer, formal, p["hubert"])
    await act(api, "blockUser", p["hubert"], p["fil"])
    assert (await export(api, blocker_award, p["hubert"]))["format"] == "DATA_INTEGRITY"
    w.secrets["blocker's award and profile"] = Secret(
        blocker_award,
        p["hubert"],
        local_id(issuer.org_id, "Organization") or "",
        {"hubert": True, "ewa": True, "fil": False, "anon": True},
        hidden=True,
    )
    return w


def _token(w: World, reader: str) -> str | None:
    return None if reader == "anon" else w.people[reader].token


def _plain(secret: Secret) -> str:
    return local_id(secret.award_id, "Award") or ""


# --- the read paths: each answers whether `reader` got the secret -------------------------

Probe = Callable[[Api, World, Secret, str], Awaitable[bool]]


async def by_node(api: Api, w: World, s: Secret, reader: str) -> bool:
    query = """query($id: ID!) { node(id: $id) { ... on Award { id evidence { narrative }
      recipient { handle awards { totalCount } } } } }"""
    node = (await api.query(query, {"id": s.award_id}, _token(w, reader)))["node"]
    if node is None:
        return False
    assert node["recipient"] is not None, node  # an award seen shows its holder
    return True


async def by_nodes(api: Api, w: World, s: Secret, reader: str) -> bool:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Award { id } } }"
    found = (await api.query(query, {"ids": [s.award_id]}, _token(w, reader)))["nodes"]
    return found[0] is not None


async def by_profile_list(api: Api, w: World, s: Secret, reader: str) -> bool:
    """user(handle:) -> awards: the list and its totalCount agree (each holder has one)."""
    query = """query($h: String!) { user(handle: $h) {
      awards { totalCount edges { node { id evidence { narrative } } } } } }"""
    user = (await api.query(query, {"h": s.holder.handle}, _token(w, reader)))["user"]
    if user is None:
        return False
    listed = [edge["node"]["id"] for edge in user["awards"]["edges"]]
    assert user["awards"]["totalCount"] == len(listed)
    return s.award_id in listed


async def by_verify(api: Api, w: World, s: Secret, reader: str) -> bool:
    query = """query($id: ID!) { verifyCredential(awardId: $id) { status badgeName
      award { id recipient { handle } } } }"""
    found = (await api.query(query, {"id": s.award_id}, _token(w, reader)))["verifyCredential"]
    if found["award"] is not None:
        assert found["award"]["recipient"] is not None
        return True
    if s.hidden:  # as if never issued: nothing about it, not even its badge's name
        assert (found["status"], found["badgeName"]) == ("UNKNOWN", None), found
    return False


async def by_export(api: Api, w: World, s: Secret, reader: str) -> bool:
    person = None if reader == "anon" else w.people[reader]
    done = await export(api, s.award_id, person)
    if done["__typename"] == "SignedCredential":
        return True
    assert done["code"] in {"NOT_FOUND", "UNAUTHENTICATED"}, done
    return False


async def _get(api: Api, path: str, token: str | None = None) -> bool:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.client.get(path, headers=headers)
    assert response.status_code in {200, 404}, (path, response.status_code)
    return response.status_code == 200


async def by_credential_page(api: Api, w: World, s: Secret, reader: str) -> bool:
    return await _get(api, f"/credentials/{_plain(s)}")


async def by_certificate(api: Api, w: World, s: Secret, reader: str) -> bool:
    return await _get(api, f"/awards/{_plain(s)}/certificate.pdf", _token(w, reader))


async def by_ob2_assertion(api: Api, w: World, s: Secret, reader: str) -> bool:
    return await _get(api, f"/ob2/assertions/{_plain(s)}")


async def by_ob3_issuer(api: Api, w: World, s: Secret, reader: str) -> bool:
    """The issuer's DID document behind an exported credential."""
    return await _get(api, f"/issuers/{s.issuer_id}/did.json")


@dataclass(frozen=True)
class ReadPath:
    probe: Probe
    public_only: bool = False  # an anonymous HTTP route: only the anonymous reader asks
    kinds: tuple[str, ...] = ()  # the kinds it applies to (all when empty)


CLUB_KIND = "members-only club peer award"
PRIVATE_KIND = "award in a hidden awards section"
BLOCKER_KIND = "blocker's award and profile"
PATHS: dict[str, ReadPath] = {
    "node(id:)": ReadPath(by_node),
    "nodes(ids:)": ReadPath(by_nodes),
    "user(handle:) awards and totalCount": ReadPath(by_profile_list),
    "verifyCredential(awardId:)": ReadPath(by_verify),
    "exportCredential": ReadPath(by_export),
    "certificate PDF": ReadPath(by_certificate),
    "public credential page": ReadPath(by_credential_page, public_only=True),
    # Hosted assertions answer anyone with the id while the award exists for them (the
    # recipient is only a salted hash), so they apply to the kinds that do not exist.
    "OB 2.0 assertion": ReadPath(by_ob2_assertion, True, (CLUB_KIND, BLOCKER_KIND)),
    "OB 3.0 issuer (did.json)": ReadPath(by_ob3_issuer, True, (CLUB_KIND, BLOCKER_KIND)),
}
ROWS = [
    pytest.param(kind, path, id=f"{kind} / {path}")
    for kind in (CLUB_KIND, PRIVATE_KIND, BLOCKER_KIND)
    for path, spec in PATHS.items()
    if not spec.kinds or kind in spec.kinds
]


@pytest.mark.parametrize(("kind", "path"), ROWS)
async def test_award_kinds_by_read_path(api: Api, world: World, kind: str, path: str) -> None:
    secret, spec = world.secrets[kind], PATHS[path]
    readers = {"anon": secret.readers["anon"]} if spec.public_only else secret.readers
    seen = {reader: await spec.probe(api, world, secret, reader) for reader in readers}
    assert seen == readers


async def test_search_leaves_out_a_members_only_clubs_peer_badge(api: Api, world: World) -> None:
    query = '{ badges(filter: {kind: PEER, text: "Tajny"}) { totalCount } }'
    counts = {
        reader: (await api.query(query, token=_token(world, reader)))["badges"]["totalCount"]
        for reader in ("cyd", "ewa", "dora", "anon")
    }
    assert counts == {"cyd": 0, "ewa": 0, "dora": 0, "anon": 0}
    in_club = """query($id: ID!) { node(id: $id) { ... on Club { badges { totalCount } } } }"""
    club_id = to_global("Club", world.secrets[CLUB_KIND].issuer_id)
    found = await api.query(in_club, {"id": club_id}, world.people["cyd"].token)
    assert found["node"]["badges"]["totalCount"] == 1
    for reader in ("ewa", "dora", "anon"):
        assert (await api.query(in_club, {"id": club_id}, _token(world, reader)))["node"] is None


# --- nominations: hidden ones answer exactly like made-up ones -----------------------------

NOMINATION_NODE = "query($id: ID!) { node(id: $id) { ... on Nomination { id } } }"


async def _vouch(api: Api, nomination_id: str, voucher: Person) -> dict[str, Any]:
    done = await api.mutate(
        "vouchPeerAward", {"nominationId": nomination_id}, "... on Nomination { id }", voucher.token
    )
    return {key: done.get(key) for key in ("__typename", "code", "message")}


@pytest.mark.parametrize("visibility", ["MEMBERS", "PUBLIC"])
async def test_a_hidden_nomination_answers_like_a_made_up_one(
    api: Api, world: World, visibility: str
) -> None:
    owner, member, nominee = [await register(api) for _ in range(3)]
    club_id = await create_club(
        api, owner, join_policy="INVITE", visibility=visibility, vouchThreshold=3
    )
    for person in (member, nominee):
        await api.mutate(
            "inviteToClub", {"clubId": club_id, "userId": person.id}, CLUB, owner.token
        )
        await join_club(api, club_id, person)
    badge_id = await peer_badge(api, club_id, owner)
    nomination = await nominate(api, badge_id, owner, nominee)
    made_up = to_global("Nomination", str(uuid.uuid4()))
    stranger = world.people["ewa"]
    real, fake = await _vouch(api, nomination["id"], stranger), await _vouch(api, made_up, stranger)
    assert real == fake and real["code"] == "NOT_FOUND"
    for reader, expected in ((member, True), (stranger, False), (world.people["dora"], False)):
        node = (await api.query(NOMINATION_NODE, {"id": nomination["id"]}, reader.token))["node"]
        assert (node is not None) is expected


# --- a class: its activity and the class itself, live, after a removal -------------------

TEAM_ACTIVITY = """subscription($id: ID!) { teamActivity(teamId: $id) {
  kind points member { handle } award { id } } }"""
TEAM_QUERY = "query($id: ID!) { node(id: $id) { ... on Team { id memberCount } } }"


async def _class(api: Api) -> tuple[Issuer, dict[str, Any], list[Person]]:
    issuer = await remote_issuer(api)
    team = await create_team(api, issuer)
    people = [await register(api) for _ in range(3)]
    for person in people:
        assert (await join_team(api, team["joinCode"], person))["viewerRole"] == "STUDENT"
    return issuer, team, people


async def _ws_query(connection: Live, op: str, query: str, variables: dict[str, Any]) -> Any:
    await connection.subscribe(op, query, variables)
    found = await connection.message(op)
    assert found["type"] == "next", found
    assert (await connection.message(op))["type"] == "complete"
    return found["payload"]["data"]


async def test_a_removed_pupil_no_longer_reads_the_class_over_an_open_socket(
    api: Api, server: str
) -> None:
    """Permissions are read per operation, not once per connection."""
    issuer, team, (ola, jan, _) = await _class(api)
    async with live(server, ola.token) as ola_live, live(server, jan.token) as jan_live:
        before = await _ws_query(ola_live, "q1", TEAM_QUERY, {"id": team["id"]})
        assert before["node"]["id"] == team["id"]
        removed = await api.mutate(
            "removeTeamMember", {"teamId": team["id"], "userId": ola.id}, "", issuer.owner.token
        )
        assert removed["__typename"] == "Team", removed
        after = await _ws_query(ola_live, "q2", TEAM_QUERY, {"id": team["id"]})
        still = await _ws_query(jan_live, "q1", TEAM_QUERY, {"id": team["id"]})
    assert after["node"] is None  # the ex-member
    assert still["node"]["id"] == team["id"]  # the rightful reader


async def test_team_activity_keeps_a_pupils_hidden_awards_and_points_from_classmates(
    api: Api, server: str
) -> None:
    """Points and credential events of a pupil who hides their awards reach the team's
    teacher, and no classmate."""
    issuer, team, (ola, hidden, shown) = await _class(api)
    await set_visibility(api, hidden, awards="PRIVATE")
    badge_id = await published_badge(api, issuer)
    async with live(server, ola.token) as classmate, live(server, issuer.owner.token) as teacher:
        await classmate.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        await teacher.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        await settled()
        await award(api, issuer, badge_id, hidden)
        await award(api, issuer, badge_id, shown)  # a marker: what comes after the hidden one
        to_classmate = await _collect(classmate, shown.handle)
        to_teacher = await _collect(teacher, shown.handle)
    about_hidden = [i for i in to_classmate if (i["member"] or {}).get("handle") == hidden.handle]
    assert about_hidden == []
    assert {i["kind"] for i in to_teacher if i["member"]["handle"] == hidden.handle} >= {
        "POINTS_RECORDED",
        "AWARD_RECEIVED",
    }
    assert any(i["kind"] == "POINTS_RECORDED" and i["points"] for i in to_classmate)


async def _collect(connection: Live, until_handle: str) -> list[dict[str, Any]]:
    """Items up to the marker pupil's points (their award and points arrive together)."""
    items: list[dict[str, Any]] = []
    async with asyncio.timeout(20):
        while True:
            found = await connection.message("t")
            assert found["type"] == "next" and "errors" not in found["payload"], found
            item = found["payload"]["data"]["teamActivity"]
            items.append(item)
            about = (item["member"] or {}).get("handle")
            if about == until_handle and item["kind"] == "POINTS_RECORDED":
                return items


async def test_a_stream_ends_when_the_membership_ends_without_an_event_saying_so(
    api: Api, server: str, settings: Settings
) -> None:
    """Membership is checked again for each delivered event: when it ended unseen by this
    stream (on another instance, its event lost), the next event ends the stream with
    PERMISSION_DENIED instead of reaching an outsider."""
    issuer, team, (ola, jan, kuba) = await _class(api)
    badge_id = await published_badge(api, issuer)
    async with live(server, ola.token) as ola_live:
        await ola_live.subscribe("t", TEAM_ACTIVITY, {"id": team["id"]})
        await settled()
        await award(api, issuer, badge_id, kuba)
        first = await ola_live.item(
            "t", "teamActivity", lambda i: i["kind"] == "POINTS_RECORDED", 60
        )
        assert first["member"]["handle"] == kuba.handle  # the stream is live
        await _drop_membership(settings, ola.id, team["id"])
        await award(api, issuer, badge_id, jan)
        delivered = []  # what the stream still delivers: nothing about jan
        while "errors" not in (ended := await ola_live.message("t", 60))["payload"]:
            delivered.append(ended["payload"]["data"]["teamActivity"]["member"])
    assert ended["payload"]["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert {"handle": jan.handle} not in delivered


async def _drop_membership(settings: Settings, user_id: str, team_id: str) -> None:
    """The membership gone from the graph, with no event on the team's channel."""
    assert settings.neo4j_uri and settings.neo4j_password
    plain = {"u": local_id(user_id, "User"), "t": local_id(team_id, "Team")}
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    async with AsyncGraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        await driver.execute_query(
            "MATCH (:User {id: $u})-[m:MEMBER_OF]->(:Team {id: $t}) DELETE m",
            plain,
            database_=settings.neo4j_database,
        )
        dropped = await driver.execute_query(
            "MATCH (:User {id: $u})-[m:MEMBER_OF]->(:Team {id: $t}) RETURN count(m) AS n",
            plain,
            database_=settings.neo4j_database,
        )
    assert dropped.records[0]["n"] == 0


# --- events hosted by a class or a club: its members only, whatever the read path ----------

EVENT_PATHS = {
    "node(id:)": "node(id: $id) { id }",
    "nodes(ids:)": "nodes(ids: [$id]) { id }",
    "event(id:)": "event(id: $id) { id }",
    "events map": "events { edges { node { id } } }",
    "events by host": "events(filter: {hostId: $host}) { edges { node { id } } }",
    "attendees (host staff)": "event(id: $id) { attendees { totalCount } }",
}
# Who reads: the host's staff, a member, an ex-member (removed, or who left), a stranger.
EVENT_READERS = {
    "staff": {path: True for path in EVENT_PATHS},
    "member": {path: not path.startswith("attendees") for path in EVENT_PATHS},
    "ex-member": dict.fromkeys(EVENT_PATHS, False),
    "stranger": dict.fromkeys(EVENT_PATHS, False),
    "anon": dict.fromkeys(EVENT_PATHS, False),
}


@dataclass(frozen=True)
class HostedEvent:
    event_id: str
    host_id: str
    people: dict[str, Person | None]


async def _create_hosted(api: Api, host_id: str, host: Person) -> str:
    starts = datetime.now(UTC) + timedelta(days=2)
    data = {
        "hostId": host_id,
        "title": tx("Wyjście do muzeum", "Museum visit"),
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
        "place": {"latitude": 52.23, "longitude": 21.01, "address": "pl. Defilad 1"},
    }
    created = await api.mutate("createEvent", data, "... on Event { id }", host.token)
    assert created["__typename"] == "Event", created
    return created["id"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
async def hosted_events(api: Api) -> dict[str, HostedEvent]:
    issuer, team, (pupil, ex_pupil, _) = await _class(api)
    stranger = await register(api)
    class_event = await _create_hosted(api, team["id"], issuer.owner)
    removal = {"teamId": team["id"], "userId": ex_pupil.id}
    assert (await api.mutate("removeTeamMember", removal, "", issuer.owner.token))["__typename"]
    owner, member, left = [await register(api) for _ in range(3)]
    club_id = await create_club(api, owner)  # a PUBLIC club: its events are members' still
    for person in (member, left):
        await join_club(api, club_id, person)
    club_event = await _create_hosted(api, club_id, owner)
    await api.mutate("leaveClub", {"clubId": club_id}, "", left.token)
    return {
        "class-hosted event": HostedEvent(
            class_event,
            team["id"],
            {"staff": issuer.owner, "member": pupil, "ex-member": ex_pupil}
            | {"stranger": stranger, "anon": None},
        ),
        "club-hosted event": HostedEvent(
            club_event,
            club_id,
            {"staff": owner, "member": member, "ex-member": left}
            | {"stranger": stranger, "anon": None},
        ),
    }


async def _event_seen(api: Api, hosted: HostedEvent, reader: str, path: str) -> bool:
    person = hosted.people[reader]
    asked = EVENT_PATHS[path]
    given = {"id": hosted.event_id, "host": hosted.host_id}
    variables = {name: value for name, value in given.items() if f"${name}" in asked}
    declared = ", ".join(f"${name}: ID!" for name in variables)
    query = f"query{f'({declared})' if declared else ''} {{ found: {asked} }}"
    found = (await api.query(query, variables, person.token if person else None))["found"]
    if isinstance(found, list):
        return hosted.event_id in [item["id"] for item in found if item is not None]
    if found is not None and "edges" in found:
        return hosted.event_id in [edge["node"]["id"] for edge in found["edges"]]
    if found is not None and "attendees" in found:
        return found["attendees"] is not None
    return found is not None


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        pytest.param(kind, path, id=f"{kind} / {path}")
        for kind in ("class-hosted event", "club-hosted event")
        for path in EVENT_PATHS
    ],
)
async def test_hosted_events_by_read_path(
    api: Api, hosted_events: dict[str, HostedEvent], kind: str, path: str
) -> None:
    hosted = hosted_events[kind]
    seen = {reader: await _event_seen(api, hosted, reader, path) for reader in EVENT_READERS}
    assert seen == {reader: paths[path] for reader, paths in EVENT_READERS.items()}


EVENT_ATTENDANCE = """subscription($id: ID!) { eventAttendance(eventId: $id) {
  eventId registeredCount checkedInCount sequence } }"""


async def test_the_live_attendance_count_reaches_the_host_staff_only(api: Api, server: str) -> None:
    """Each attendance change reaches the class's teacher with the counts committed after
    it; a pupil's subscription is refused."""
    issuer, team, (ola, jan, _) = await _class(api)
    event_id = await _create_hosted(api, team["id"], issuer.owner)
    async with live(server, issuer.owner.token) as teacher, live(server, ola.token) as pupil:
        await teacher.subscribe("a", EVENT_ATTENDANCE, {"id": event_id})
        await pupil.subscribe("a", EVENT_ATTENDANCE, {"id": event_id})
        refused = await pupil.message("a")
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
        await settled()
        for person in (ola, jan):
            done = await api.mutate("attendEvent", {"eventId": event_id}, "", person.token)
            assert done["__typename"] == "Event", done
        first = await teacher.item("a", "eventAttendance", lambda _: True)
        second = await teacher.item("a", "eventAttendance", lambda _: True)
    assert (first["registeredCount"], second["registeredCount"]) == (1, 2)
    assert first["eventId"] == event_id and second["checkedInCount"] == 0
    assert first["sequence"] < second["sequence"]


async def test_a_teacher_removed_from_the_class_stops_receiving_its_attendance(
    api: Api, server: str
) -> None:
    issuer, team, (ola, jan, _) = await _class(api)
    second = await register(api)
    added = {"teamId": team["id"], "userId": second.id, "role": "TEACHER"}
    done = await api.mutate("addTeamMember", added, "... on Team { id }", issuer.owner.token)
    assert done["__typename"] == "Team", done
    event_id = await _create_hosted(api, team["id"], issuer.owner)
    async with live(server, second.token) as teacher:
        await teacher.subscribe("a", EVENT_ATTENDANCE, {"id": event_id})
        await settled()
        await api.mutate("attendEvent", {"eventId": event_id}, "", ola.token)
        seen = await teacher.item("a", "eventAttendance", lambda _: True)
        assert seen["registeredCount"] == 1
        removal = {"teamId": team["id"], "userId": second.id}
        await api.mutate("removeTeamMember", removal, "", issuer.owner.token)
        await api.mutate("attendEvent", {"eventId": event_id}, "", jan.token)
        ended = await teacher.message("a")
    assert ended["payload"]["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED", ended


TEAM_ATTENDANCE = """subscription($id: ID!) { teamActivity(teamId: $id) {
  kind member { handle } attendance { eventId registeredCount checkedInCount } } }"""


async def test_team_activity_tells_the_teacher_and_no_pupil_of_the_class_events_attendance(
    api: Api, server: str
) -> None:
    issuer, team, (ola, jan, _) = await _class(api)
    newcomer = await register(api)
    event_id = await _create_hosted(api, team["id"], issuer.owner)
    async with live(server, issuer.owner.token) as teacher, live(server, jan.token) as pupil:
        for connection in (teacher, pupil):
            await connection.subscribe("t", TEAM_ATTENDANCE, {"id": team["id"]})
        await settled()
        await api.mutate("attendEvent", {"eventId": event_id}, "", ola.token)
        added = {"teamId": team["id"], "userId": newcomer.id, "role": "STUDENT"}
        await api.mutate("addTeamMember", added, "... on Team { id }", issuer.owner.token)
        told = await teacher.item("t", "teamActivity", lambda i: i["kind"] == "EVENT_ATTENDANCE")
        to_pupil = []
        while (item := await pupil.item("t", "teamActivity", lambda _: True))["kind"] not in {
            "MEMBER_ADDED"
        }:
            to_pupil.append(item["kind"])
    assert told["attendance"] == {"eventId": event_id, "registeredCount": 1, "checkedInCount": 0}
    assert told["member"] == {"handle": ola.handle}
    assert "EVENT_ATTENDANCE" not in to_pupil
