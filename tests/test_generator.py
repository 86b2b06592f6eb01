"""The data generator: deterministic, consistent, and readable by the API's own queries."""

import asyncio
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.generate.build import Builder
from bench.generate.catalogue import team_rows
from bench.generate.chunks import edge_rows, user_rows
from bench.generate.population import Population
from bench.generate.world import ISSUER_KINDS, Options, World

from odznaka_graph.graph_model import badges, events, paths, users
from odznaka_graph.graph_model.recommendations import Ask, Kind, recommend
from odznaka_graph.services.visibility import path_readers
from odznaka_graph.settings import Settings
from tests.helpers import Api

OPTIONS = Options(users=600, seed=3, holdout=0.2, today=date(2026, 11, 22))


def test_same_seed_same_world_and_sane_rows() -> None:
    first, second = Population(World(OPTIONS)), Population(World(OPTIONS))
    assert edge_rows(first, 0, 200) == edge_rows(second, 0, 200)
    assert user_rows(first, 0, 50) == user_rows(second, 0, 50)
    chunk = edge_rows(first, 0, OPTIONS.users)
    assert all(a["user"] != a["by"] for a in chunk.awards)
    assert all(int(c["a"].rsplit("-")[-1]) < int(c["b"].rsplit("-")[-1]) for c in chunk.contacts)
    latest = {}
    for award in (a for a in chunk.awards if a["id"].startswith("g-award-")):  # not peer
        latest[award["user"]] = max(latest.get(award["user"], award["at"]), award["at"])
    assert all(held["at"] >= latest.get(held["user"], held["at"]) for held in chunk.held_out)
    kinds = {org.kind for org in first.world.orgs}
    assert set(ISSUER_KINDS) <= kinds
    codes = [row["props"]["code"] for row in team_rows(first.world, first)]
    assert len(codes) == len(set(codes))


async def test_a_generated_world_reads_like_a_real_one(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    assert settings.neo4j_password is not None
    server = SimpleNamespace(
        uri=settings.neo4j_uri, password=settings.neo4j_password.get_secret_value()
    )

    def build() -> dict[str, Any]:  # synchronous, as on the command line
        return Builder(OPTIONS, server, tmp_path, batch=2000).build()  # type: ignore[arg-type]

    report = await asyncio.to_thread(build)
    assert report["rows"]["awards"] > 3 * OPTIONS.users
    graph = api.runtime.services.stores.graph
    people = await users.users_by_ids(graph, [f"g-user-{i}" for i in range(20)])
    assert len(people) == 20 and any(person.home for person in people.values())
    assert (await badges.badges_by_ids(graph, ["g-b-0-0"]))["g-b-0-0"].status == "PUBLISHED"
    assert (await paths.paths_by_ids(graph, ["g-path-0-b"], None))["g-path-0-b"].groups
    assert (await events.events_by_ids(graph, ["g-event-0"], None))["g-event-0"].skill_ids
    readers = path_readers("g-user-30")
    ask = Ask(
        "g-user-30", OPTIONS.now, 10, team_roles=readers.team_roles, staff_roles=readers.staff_roles
    )
    for kind in Kind:
        found = await recommend(graph, kind, ask)
        assert found and all(item.reasons for item in found), kind
