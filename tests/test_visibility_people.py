"""Who sees whom, as a table (the people half of tests/test_visibility_table.py, on the
same uvicorn process): each kind of hidden person x each path that lists people —
recommendations of people, a third user's followers, following and contacts with their
counts, and a class leaderboard. The rightful reader finds the person there; a blocked
user, a stranger or a classmate finds no trace (the list and its count agree).

A new path is one entry in PATHS; a new kind of hidden person one in KINDS."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.api_process import _VAR_DIRS
from tests.club_helpers import club_of
from tests.helpers import Api, Person, register
from tests.live_helpers import remote_issuer
from tests.profile_helpers import set_visibility
from tests.social_helpers import act
from tests.team_helpers import create_team
from tests.team_helpers import join as join_team
from tests.test_reports import decide, report
from tests.test_visibility_table import api, server

__all__ = ["api", "server"]  # the table's process and client, shared


@dataclass
class People:
    person: dict[str, Person] = field(default_factory=dict)
    team_id: str = ""
    club_id: str = ""


# Who each kind of hidden person is, and who may (True) or may not (False) find them.
BLOCKER = "a user who blocks the reader"
BLOCKED = "a user the reader blocks"
PRIVATE = "a private profile"
SHY_PUPIL = "a pupil who hides their awards"
MODERATED = "a profile hidden by a moderator"  # issue 15, reports: decideReport HIDE
KINDS: dict[str, tuple[str, dict[str, bool]]] = {
    BLOCKER: ("bob", {"bob": True, "ewa": True, "fil": False, "teacher": True}),
    BLOCKED: ("fil", {"ewa": True, "bob": False}),
    PRIVATE: ("pia", {"pia": True, "ewa": False, "fil": False}),
    SHY_PUPIL: ("hid", {"hid": True, "teacher": True, "ewa": False, "fil": False}),
    MODERATED: ("mo", {"mo": True, "ewa": False, "fil": False}),
}


@pytest.fixture(scope="module")
async def people(api: Api) -> People:
    """bob blocks fil; pia keeps her profile private; hid hides his awards; a platform
    moderator hid mo's profile on ewa's report. All of them, ewa and fil are in one class
    (bob, ewa, fil, pia and mo in carol's public club too); carol (public) follows bob, pia
    and mo, they follow her, and she has them as contacts; fil and ewa follow carol."""
    w = People()
    for name in ("bob", "carol", "ewa", "fil", "hid", "pia", "mo"):
        w.person[name] = await register(api)
    p = w.person
    issuer = await remote_issuer(api)
    p["teacher"] = issuer.owner
    team = await create_team(api, issuer)
    w.team_id = team["id"]
    for name in ("bob", "ewa", "fil", "hid", "pia", "mo"):
        joined = await join_team(api, team["joinCode"], p[name])
        assert joined["viewerRole"] == "STUDENT", joined
    for name in ("bob", "pia", "mo"):
        await act(api, "follow", p[name], p["carol"])
        await act(api, "follow", p["carol"], p[name])
        await act(api, "requestContact", p[name], p["carol"])
        assert (await act(api, "acceptContact", p["carol"], p[name]))["contact"] is True
    for name in ("fil", "ewa"):
        await act(api, "follow", p[name], p["carol"])
    members = [p[name] for name in ("bob", "ewa", "fil", "pia", "mo")]
    w.club_id = await club_of(api, p["carol"], members)
    assert (await act(api, "blockUser", p["bob"], p["fil"]))["blocked"] is True
    await set_visibility(api, p["pia"], profile="PRIVATE")
    await set_visibility(api, p["hid"], awards="PRIVATE")
    opened = await report(api, p["ewa"], p["mo"].id)
    hidden = await decide(api, await _platform_moderator(api), opened["id"], "HIDE")
    assert hidden["decision"] == "HIDE", hidden
    return w


async def _platform_moderator(api: Api) -> Person:
    """A platform moderator of the table's process, granted as ops do (the CLI, on its SQL
    store)."""
    person = await register(api)
    env = os.environ | {"VAR_DIR": str(_VAR_DIRS[api.client.base_url.netloc.decode()])}
    command = [sys.executable, "-m", "odznaka_graph.cli", "grant-moderator", person.email]
    await asyncio.to_thread(subprocess.run, command, env=env, check=True, capture_output=True)
    return person


# --- the paths: each answers whether `reader` found `handle` ------------------------------

Probe = Callable[[Api, People, str, str], Awaitable[bool]]

RECOMMENDED = """{ me { recommendations(kind: PERSON, first: 50) {
  node { ... on User { handle } } } } }"""


async def by_recommendations(api: Api, w: People, handle: str, reader: str) -> bool:
    found = await api.query(RECOMMENDED, token=w.person[reader].token)
    return handle in {item["node"]["handle"] for item in found["me"]["recommendations"]}


def _listed(connection: dict[str, Any]) -> list[str]:
    """A list's handles; its count agrees with what it shows (no hidden people counted)."""
    handles = [edge["node"]["handle"] for edge in connection["edges"]]
    assert connection["totalCount"] == len(handles), connection
    return handles


def social_list(name: str) -> Probe:
    query = f"""query($h: String!) {{ user(handle: $h) {{ contactsCount
      list: {name}(first: 50) {{ totalCount edges {{ node {{ handle }} }} }} }} }}"""

    async def probe(api: Api, w: People, handle: str, reader: str) -> bool:
        variables = {"h": w.person["carol"].handle}
        user = (await api.query(query, variables, w.person[reader].token))["user"]
        listed = _listed(user["list"])
        if name == "contacts":
            assert user["contactsCount"] == len(listed), user
        return handle in listed

    return probe


BOARD = """query($id: ID!) { leaderboard(teamId: $id) {
  entries(first: 50) { totalCount edges { node { rank handle user { handle } } } } } }"""


async def by_leaderboard(api: Api, w: People, handle: str, reader: str) -> bool:
    found = await api.query(BOARD, {"id": w.team_id}, w.person[reader].token)
    entries = found["leaderboard"]["entries"]
    listed = [edge["node"]["handle"] for edge in entries["edges"]]
    assert entries["totalCount"] == len(listed)
    ranks = [edge["node"]["rank"] for edge in entries["edges"]]
    assert ranks[0] == 1 and len(set(ranks)) == 1, ranks  # all at 0 points: no gap shows
    return handle in listed


ROSTER = """query($id: ID!) { node(id: $id) { ... on Team {
  members(first: 50) { edges { node { handle user { handle } } } } } } }"""


async def by_roster_profile(api: Api, w: People, handle: str, reader: str) -> bool:
    """A class names its members to each other (membership is the class's, not the
    member's); the profile behind a name is the visibility service's answer."""
    found = await api.query(ROSTER, {"id": w.team_id}, w.person[reader].token)
    members = [edge["node"] for edge in found["node"]["members"]["edges"]]
    return any(m["handle"] == handle and m["user"] is not None for m in members)


CLUB_MEMBERS = """query($id: ID!) { node(id: $id) { ... on Club {
  members(first: 50) { edges { node { user { handle } } } } } } }"""


async def by_club_members(api: Api, w: People, handle: str, reader: str) -> bool:
    """A hidden member is a row without a profile, as elsewhere (`ClubMember.user`)."""
    found = await api.query(CLUB_MEMBERS, {"id": w.club_id}, w.person[reader].token)
    users = [edge["node"]["user"] for edge in found["node"]["members"]["edges"]]
    return {"handle": handle} in users


@dataclass(frozen=True)
class PeoplePath:
    probe: Probe
    kinds: tuple[str, ...]


PATHS: dict[str, PeoplePath] = {
    "recommendations of people": PeoplePath(
        by_recommendations, (BLOCKER, BLOCKED, PRIVATE, MODERATED)
    ),
    "followers of a third user": PeoplePath(
        social_list("followers"), (BLOCKER, PRIVATE, MODERATED)
    ),
    "following of a third user": PeoplePath(
        social_list("following"), (BLOCKER, PRIVATE, MODERATED)
    ),
    "contacts and contactsCount of a third user": PeoplePath(
        social_list("contacts"), (BLOCKER, PRIVATE, MODERATED)
    ),
    "class leaderboard": PeoplePath(by_leaderboard, (BLOCKER, PRIVATE, SHY_PUPIL, MODERATED)),
    "profile behind a class roster entry": PeoplePath(
        by_roster_profile, (BLOCKER, PRIVATE, MODERATED)
    ),
    "members of a public club": PeoplePath(by_club_members, (BLOCKER, PRIVATE, MODERATED)),
}
ROWS = [
    pytest.param(kind, path, id=f"{kind} / {path}")
    for path, spec in PATHS.items()
    for kind in spec.kinds
]


@pytest.mark.parametrize(("kind", "path"), ROWS)
async def test_hidden_people_by_path(api: Api, people: People, kind: str, path: str) -> None:
    name, readers = KINDS[kind]
    handle = people.person[name].handle
    probe = PATHS[path].probe
    if path == "recommendations of people":  # one does not find oneself recommended
        readers = {reader: seen for reader, seen in readers.items() if reader != name}
        readers.pop("teacher", None)
    seen = {reader: await probe(api, people, handle, reader) for reader in readers}
    assert seen == readers
