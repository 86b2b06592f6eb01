"""Builders for team and path tests: a class, pupils joining by code, paths, awards."""

from typing import Any

import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import awards
from tests.helpers import AWARD, Api, Issuer, Person, published_badge, register, tx

TEAM = """... on Team { id name kind viewerRole joinCode memberCount
  organization { id } }"""
PATH = """... on Path { id title visibility viewerFollows followerCount
  steps { key required group prerequisites badge { id } }
  groups { key minimum stepKeys } completionBadge { id } team { id } }"""
PROGRESS = """percent finished completedSteps { key } nextSteps { key }
  blockedSteps { step { key } waitingFor { key } } groups { group { key } done satisfied }"""


async def create_team(
    api: Api, issuer: Issuer, kind: str = "CLASS", name: str = "3b"
) -> dict[str, Any]:
    team = await api.mutate(
        "createTeam",
        {
            "organizationId": issuer.org_id,
            "name": tx(f"Klasa {name}", f"Class {name}"),
            "kind": kind,
        },
        TEAM,
        issuer.owner.token,
    )
    assert team["__typename"] == "Team", team
    return team


async def join(api: Api, code: str, person: Person) -> dict[str, Any]:
    return await api.mutate("joinTeam", {"code": code}, TEAM, person.token)


async def pupils(api: Api, code: str, count: int) -> list[Person]:
    people = [await register(api) for _ in range(count)]
    for person in people:
        joined = await join(api, code, person)
        assert joined["viewerRole"] == "STUDENT", joined
    return people


def step(key: str, badge_id: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "badgeId": badge_id, **extra}


async def create_path(api: Api, token: str, **input: Any) -> dict[str, Any]:
    data = {"title": tx("Ścieżka analityka", "Analyst path")} | input
    return await api.mutate("createPath", data, PATH, token)


async def award(api: Api, issuer: Issuer, badge_id: str, person: Person) -> str:
    result = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": person.id}, AWARD, issuer.owner.token
    )
    assert result["__typename"] == "Award", result
    return result["id"]  # type: ignore[no-any-return]


async def class_with_two_awarded(
    api: Api, issuer: Issuer, badge_id: str, size: int
) -> tuple[dict[str, Any], list[Person]]:
    """A class of `size` learners, the first two of them holding the badge (round-trip
    tests ask the same of a small and a large class)."""
    team = await create_team(api, issuer, name=f"k{size}")
    learners = await pupils(api, team["joinCode"], size)
    for learner in learners[:2]:
        await award(api, issuer, badge_id, learner)
    return team, learners


async def my_progress(api: Api, path_id: str, person: Person) -> dict[str, Any]:
    query = f"query($id: ID!) {{ path(id: $id) {{ viewerProgress {{ {PROGRESS} }} }} }}"
    data = await api.query(query, {"id": path_id}, person.token)
    return data["path"]["viewerProgress"]  # type: ignore[no-any-return]


def keys(steps: list[dict[str, Any]]) -> list[str]:
    return [item["key"] for item in steps]


async def badges(api: Api, issuer: Issuer, count: int) -> list[str]:
    return [await published_badge(api, issuer) for _ in range(count)]


async def ledger_awards(api: Api, badge_id: str) -> list[Any]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(
            sa.select(awards).where(awards.c.badge_id == local_id(badge_id, "Badge"))
        )
        return list(rows)


LIST = """query($filter: PathFilter, $first: Int, $after: String, $last: Int, $before: String) {
  paths(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { id title } } } }"""
ONE = "query($id: ID!) { path(id: $id) { id } node(id: $id) { id } }"


async def listed(api: Api, token: str | None, **filter: Any) -> tuple[int, set[str]]:
    data = (await api.query(LIST, {"filter": filter or None, "first": 50}, token))["paths"]
    return data["totalCount"], {edge["node"]["id"] for edge in data["edges"]}
