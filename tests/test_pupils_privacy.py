"""A pupil's data never reaches a stranger (issue 15), through every read path, against a
real uvicorn process: the profile (`user(handle:)`, planned, and `node(id:)`), `nodes`,
their award (node, verification, the public credential page, the certificate PDF), the
class (team, members, leaderboard), a public club's member list, people recommendations,
badge search, and the class's live stream over a real WebSocket. The class's teacher
sees the pupil (the control); nobody else ever reads the name the teacher typed."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.club_helpers import club_of
from tests.helpers import Api, Issuer, Person, published_badge, register
from tests.live_helpers import live, remote, remote_issuer
from tests.pupil_helpers import class_with_pupils
from tests.recommendation_helpers import recommended
from tests.social_helpers import act
from tests.team_helpers import award

SURNAME = "Wiśniewska"  # typed by the teacher; only the class's teachers read it


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("pupils")
    with api_process(settings, var, OPERATION_TIMEOUT_SECONDS="60") as base:
        yield base


@pytest.fixture(scope="module")
async def api(server: str) -> AsyncIterator[Api]:
    async with remote(server) as client:
        yield client


@dataclass
class World:
    issuer: Issuer
    team_id: str
    pupil: Person
    award_id: str
    club_id: str
    stranger: Person
    clubmate: Person


@pytest.fixture(scope="module")
async def world(api: Api) -> World:
    """Zosia, 14, enrolled by her teacher, holds a school badge and is in a public club;
    the stranger follows someone who follows her, and shares her skills."""
    issuer = await remote_issuer(api)
    team, (pupil,) = await class_with_pupils(api, issuer, {"name": f"Zosia {SURNAME}"})
    badge_id = await published_badge(api, issuer)
    award_id = await award(api, issuer, badge_id, pupil)
    stranger, clubmate = await register(api), await register(api)
    await award(api, issuer, badge_id, stranger)
    club_id = await club_of(api, clubmate, [pupil])
    await act(api, "follow", stranger, clubmate)
    return World(issuer, team["id"], pupil, award_id, club_id, stranger, clubmate)


Probe = Callable[[Api, World, str | None], Awaitable[str]]


async def _query(api: Api, query: str, variables: dict[str, Any], token: str | None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables}
    return (await api.client.post("/graphql", json=body, headers=headers)).text


async def _get(api: Api, path: str, token: str | None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.client.get(path, headers=headers)
    return response.text if response.status_code == 200 else ""


async def profile(api: Api, w: World, token: str | None) -> str:
    query = """query($h: String!) { user(handle: $h) { id handle displayName
      awards { totalCount edges { node { id } } } } }"""
    return await _query(api, query, {"h": w.pupil.handle}, token)


async def profile_node(api: Api, w: World, token: str | None) -> str:
    query = """query($id: ID!) { node(id: $id) { ... on User { handle displayName
      awards { totalCount } } } nodes(ids: [$id]) { id } }"""
    return await _query(api, query, {"id": w.pupil.id}, token)


async def award_node(api: Api, w: World, token: str | None) -> str:
    query = """query($id: ID!) { node(id: $id) { ... on Award { id recipient { handle } } }
      verifyCredential(awardId: $id) { award { id recipient { handle displayName } } } }"""
    return await _query(api, query, {"id": w.award_id}, token)


async def credential_page(api: Api, w: World, token: str | None) -> str:
    return await _get(api, f"/credentials/{local_id(w.award_id, 'Award')}", token)


async def certificate(api: Api, w: World, token: str | None) -> str:
    return await _get(api, f"/awards/{local_id(w.award_id, 'Award')}/certificate.pdf", token)


async def profile_page(api: Api, w: World, token: str | None) -> str:
    return await _get(api, f"/u/{w.pupil.handle}", token)


async def the_class(api: Api, w: World, token: str | None) -> str:
    query = """query($id: ID!) { team(id: $id) { id roster { name } members {
      edges { node { handle displayName } } } }
      leaderboard(teamId: $id) { entries { edges { node { handle displayName } } } } }"""
    return await _query(api, query, {"id": w.team_id}, token)


async def club_members(api: Api, w: World, token: str | None) -> str:
    query = """query($id: ID!) { club(id: $id) { members { totalCount
      edges { node { user { handle displayName } } } } } }"""
    return await _query(api, query, {"id": w.club_id}, token)


async def search(api: Api, w: World, token: str | None) -> str:
    return await _query(
        api, f'{{ badges(filter: {{text: "{SURNAME}"}}) {{ totalCount }} }}', {}, token
    )


PROBES: dict[str, Probe] = {
    "user(handle:) and its awards": profile,
    "node(id:) and nodes(ids:) of the pupil": profile_node,
    "node(id:) and verifyCredential of the award": award_node,
    "public credential page": credential_page,
    "certificate PDF": certificate,
    "public profile page": profile_page,
    "team, members, roster and leaderboard": the_class,
    "a public club's members": club_members,
    "badge search": search,
}


def _leaks(text: str, w: World) -> list[str]:
    """The secrets found in an answer (the surname as typed or JSON-escaped)."""
    secrets = (SURNAME, json.dumps(SURNAME), w.pupil.handle, local_id(w.award_id, "Award"))
    return [secret.strip('"') for secret in secrets if secret and secret.strip('"') in text]


@pytest.mark.parametrize("path", list(PROBES))
async def test_a_stranger_learns_nothing_of_the_pupil(api: Api, world: World, path: str) -> None:
    for token in (world.stranger.token, None):
        text = await PROBES[path](api, world, token)
        assert _leaks(text, world) == [], (path, token is None, text[:500])


async def test_the_teacher_sees_the_pupil_by_name(api: Api, world: World) -> None:
    text = await the_class(api, world, world.issuer.owner.token)
    assert _leaks(text, world) == [json.dumps(SURNAME).strip('"'), world.pupil.handle]


async def test_club_members_see_only_the_shown_name(api: Api, world: World) -> None:
    text = await club_members(api, world, world.clubmate.token)
    assert SURNAME not in text and "Zosia W." not in text  # a private profile: no row's user
    assert '"totalCount":2' in text.replace(" ", "")


async def test_the_pupil_is_never_suggested_to_a_stranger(api: Api, world: World) -> None:
    people = await recommended(api, world.stranger, "PERSON")
    assert world.pupil.handle not in {row["node"].get("handle") for row in people}


async def test_the_class_stream_refuses_a_stranger(api: Api, server: str, world: World) -> None:
    query = "subscription($id: ID!) { teamActivity(teamId: $id) { kind member { handle } } }"
    async with live(server, world.stranger.token) as connection:
        await connection.subscribe("t", query, {"id": world.team_id})
        refused = await connection.message("t")
    assert refused["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert _leaks(str(refused), world) == []
