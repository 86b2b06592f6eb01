"""The demo's communities (issue 15): someone trying the demo finds public paths with the
demo learners' progress, a class's private path, an open and a members-only club with
peer badges and nominations waiting for vouches, and a class enrolled from a roster
without e-mail addresses."""

from typing import Any

from odznaka_graph.demo.loader import DEMO_PASSWORD
from tests.demo_snapshot import demo_world
from tests.helpers import Api

PATHS = """{ paths(first: 20) { totalCount edges { node { title visibility followerCount
  viewerProgress { percent } } } } }"""
CLUBS = """{ clubs(first: 20) { totalCount edges { node { name visibility memberCount
  viewerRole badges { totalCount } nominations { edges { node { status vouchCount
  vouchThreshold } } } } } } }"""
CLASSES = """{ me { teams { edges { node { name memberCount
  roster { name shownName signedInAt }
  members { edges { node { role handle displayName } } }
  paths { edges { node { title visibility } } } } } } } }"""


async def _session(api: Api, login: str) -> str:
    done = await api.mutate(
        "login", {"email": login, "password": DEMO_PASSWORD}, "... on AuthPayload { accessToken }"
    )
    assert done["__typename"] == "AuthPayload", done
    return done["accessToken"]  # type: ignore[no-any-return]


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


async def test_the_demo_has_public_paths_with_progress_and_a_class_path(api: Api) -> None:
    await demo_world(api.runtime)
    await api.runtime.services.stores.projector.flush()
    anonymous = (await api.query(PATHS, headers={"Accept-Language": "en"}))["paths"]
    assert anonymous["totalCount"] == 2
    assert {p["title"] for p in _nodes(anonymous)} == {
        "Data analyst in Python",
        "Safe and aware online",
    }
    piotr = await _session(api, "piotr.wisniewski@demo.odznaka.pl")
    seen = _nodes((await api.query(PATHS, token=piotr, headers={"Accept-Language": "en"}))["paths"])
    progress = {p["title"]: p["viewerProgress"]["percent"] for p in seen if p["viewerProgress"]}
    assert progress["Data analyst in Python"] == 100
    assert progress["Citizen 3b"] == 50 and len(seen) == 3  # his class path: 1 of 2 steps
    kasia = await _session(api, "kasia.zielinska@demo.odznaka.pl")
    mine = _nodes((await api.query(PATHS, token=kasia, headers={"Accept-Language": "en"}))["paths"])
    assert {p["title"]: p["viewerProgress"]["percent"] for p in mine}["Citizen 3b"] == 100


async def test_the_demo_has_an_open_and_a_members_only_club_with_nominations(api: Api) -> None:
    await demo_world(api.runtime)
    await api.runtime.services.stores.projector.flush()
    anonymous = _nodes((await api.query(CLUBS, headers={"Accept-Language": "en"}))["clubs"])
    assert [(c["name"], c["nominations"]) for c in anonymous] == [
        ("After-school Python club", None)
    ]
    ania = await _session(api, "ania.nowak@demo.odznaka.pl")
    clubs = _nodes((await api.query(CLUBS, token=ania, headers={"Accept-Language": "en"}))["clubs"])
    by_name = {c["name"]: c for c in clubs}
    assert set(by_name) == {"After-school Python club", "Debate circle"}
    assert by_name["Debate circle"]["visibility"] == "MEMBERS"
    assert by_name["After-school Python club"]["viewerRole"] == "OWNER"
    states = {
        name: sorted((n["status"], n["vouchCount"]) for n in _nodes(c["nominations"]))
        for name, c in by_name.items()
    }
    assert states == {
        "After-school Python club": [("AWARDED", 2), ("OPEN", 1)],
        "Debate circle": [("OPEN", 1)],
    }
    assert all(c["badges"]["totalCount"] == 1 for c in clubs)


async def test_the_demo_has_a_class_enrolled_without_e_mails(api: Api) -> None:
    await demo_world(api.runtime)
    await api.runtime.services.stores.projector.flush()
    teacher = await _session(api, "ewa.szymanska@demo.odznaka.pl")
    teams = _nodes(
        (await api.query(CLASSES, token=teacher, headers={"Accept-Language": "en"}))["me"]["teams"]
    )
    class_1a = next(t for t in teams if t["name"] == "Class 1a")
    roster = class_1a["roster"]
    assert [p["name"] for p in roster] == [
        "Antoni Pawlak",
        "Julia Kaczmarek",
        "Maja Grabowska",
        "Szymon Piotrowski",
    ]
    assert {p["shownName"] for p in roster} >= {"Julia K.", "Szybki Lis"}
    assert sum(1 for p in roster if p["signedInAt"]) == 2
    pupils = {
        m["displayName"]: m["handle"] for m in _nodes(class_1a["members"]) if m["role"] == "STUDENT"
    }
    julia = await _session(api, pupils["Julia K."])  # signed in with her slip: her handle works
    me = await api.query("{ me { displayName visibility } }", token=julia)
    assert me["me"] == {"displayName": "Julia K.", "visibility": "PRIVATE"}


CLASS_EVENTS = """{ events(first: 50) { edges { node { id title visibility geofenceMetres
  attendeeCount host { ... on Team { name } } } } } }"""
CHECK_IN_CODE = "query($id: ID!) { eventCheckInCode(eventId: $id) { code } }"


async def test_the_demo_class_has_a_private_event_with_check_in(api: Api) -> None:
    await demo_world(api.runtime)
    await api.runtime.services.stores.projector.flush()
    english = {"Accept-Language": "en"}
    teacher = await _session(api, "ewa.szymanska@demo.odznaka.pl")
    seen = _nodes((await api.query(CLASS_EVENTS, token=teacher, headers=english))["events"])
    [event] = [e for e in seen if e["visibility"] == "MEMBERS"]
    assert event["title"] == "Class 3b: cleaning the square by the school"
    assert (event["host"], event["geofenceMetres"]) == ({"name": "Class 3b"}, 150)
    assert event["attendeeCount"] == 2
    code = await api.query(CHECK_IN_CODE, {"id": event["id"]}, teacher)
    assert code["eventCheckInCode"]["code"].isdigit()
    anonymous = _nodes((await api.query(CLASS_EVENTS, headers=english))["events"])
    assert event["id"] not in {e["id"] for e in anonymous}
    assert (await api.query(CHECK_IN_CODE, {"id": event["id"]}))["eventCheckInCode"] is None


PLAIN_BADGES = """{ badges(filter: {kind: BADGE}, first: 20) { totalCount
  edges { node { name kind status issuer { ... on Organization { id } } } } } }"""
REQUESTS = """query($org: ID!) { badgeRequests(organizationId: $org, status: OPEN) {
  totalCount edges { node { status narrative badge { name kind } learner { handle } } } } }"""


async def test_the_demo_has_a_plain_school_badge_with_a_request_waiting(api: Api) -> None:
    await demo_world(api.runtime)
    found = _nodes((await api.query(PLAIN_BADGES))["badges"])  # anonymous: it is public
    assert [(b["name"], b["kind"], b["status"]) for b in found] == [
        ("Wolontariusz szkolnego koła", "BADGE", "PUBLISHED")
    ]
    teacher = await _session(api, "ewa.szymanska@demo.odznaka.pl")
    org = found[0]["issuer"]["id"]
    waiting = (await api.query(REQUESTS, {"org": org}, teacher))["badgeRequests"]
    assert waiting["totalCount"] == 1
    request = _nodes(waiting)[0]
    assert request["learner"] == {"handle": "kasia.zielinska"}
    assert request["badge"] == {"name": "Wolontariusz szkolnego koła", "kind": "BADGE"}
    stranger = await _session(api, "joanna.mazur@demo.odznaka.pl")
    assert (await api.query(REQUESTS, {"org": org}, stranger))["badgeRequests"]["totalCount"] == 0
