"""Building a generated world into a Neo4j server and the API's SQLite ledger, phase by phase,
timing each; the held-out awards (for the offline quality check) go to a JSON-lines file."""

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from bench.generate import catalogue as rows
from bench.generate import graph_load as cypher
from bench.generate.chunks import edge_rows, org_owner, user_rows
from bench.generate.graph_load import GraphWriter, Progress
from bench.generate.ledger_load import LedgerWriter
from bench.generate.population import Population, email, user_id
from bench.generate.world import Options, World
from odznaka_graph.graph_model.driver import Graph, open_driver
from odznaka_graph.graph_model.migrations import migrate
from odznaka_graph.neo4j_server import Neo4jServer

CHUNK = 10_000  # users generated (and held in memory) at a time


def migrate_graph(server: Neo4jServer) -> None:
    async def run() -> None:
        graph = Graph(open_driver(server.uri, "neo4j", server.password), "neo4j")
        try:
            await migrate(graph)
        finally:
            await graph.close()

    asyncio.run(run())


class Builder:
    def __init__(self, options: Options, server: Neo4jServer, var_dir: Path, batch: int) -> None:
        self.options = options
        self.world = World(options)
        self.population = Population(self.world)
        self.driver = GraphDatabase.driver(server.uri, auth=("neo4j", server.password))
        self.graph = GraphWriter(self.driver, batch=batch)
        self.ledger = LedgerWriter(var_dir / "odznaka.db")
        self.holdout = var_dir / "holdout.jsonl"
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            self._timed("catalogue", self._catalogue)
            self._timed("users", self._users)
            self._timed("activity", self._activity)
            self._timed("holders", lambda: self.graph.auto_commit(cypher.HOLDERS))
            self._timed("indexes", lambda: self.graph.auto_commit("CALL db.awaitIndexes(3600)"))
            totals = self.graph.read(cypher.COUNTS)[0]
        finally:
            self.ledger.close()
            self.driver.close()
        self.seconds["total"] = round(time.perf_counter() - started, 1)
        return {
            "seconds": self.seconds,
            "rows": self.counts,
            "graph": totals,
            "sizes": self.world.size,
        }

    def _timed(self, phase: str, work: Any) -> None:
        started = time.perf_counter()
        work()
        self.seconds[phase] = round(time.perf_counter() - started, 1)

    def _write(self, label: str, query: str, items: list[dict[str, Any]]) -> None:
        self.counts[label] = self.graph.write_all(query, items, Progress(label, len(items)))

    def _catalogue(self) -> None:
        world, pop = self.world, self.population
        skills = rows.skill_rows(world)
        self._write("skills", cypher.SKILLS, skills)
        self._write("broader", cypher.BROADER, [s for s in skills if s["broader"]])
        self._write("organizations", cypher.ORGS, rows.org_rows(world))
        badges = list(rows.badge_rows(world))
        self._write("badges", cypher.BADGES, badges)
        self._write("teams", cypher.TEAMS, list(rows.team_rows(world, pop)))
        self._write("clubs", cypher.CLUBS, rows.club_rows(world))
        peer = list(rows.peer_badge_rows(world, pop))
        self._write("peer badges", cypher.PEER_BADGES, peer)
        self._write("paths", cypher.PATHS, list(rows.path_rows(world, pop)))
        self._write("events", cypher.EVENTS, list(rows.event_rows(world)))
        self._ledger_badges(badges, peer)

    def _ledger_badges(self, badges: list[dict[str, Any]], peer: list[dict[str, Any]]) -> None:
        pop = self.population
        by = {b.id: user_id(org_owner(pop, b.org)) for b in self.world.badges}
        for j in range(len(self.world.clubs)):
            for k in range(2):
                by[f"g-pb-{j}-{k}"] = user_id(pop.owner_of_club(j))
        self.ledger.badges(badges + peer, by)

    def _users(self) -> None:
        users = self.options.users
        progress = Progress("users", users)
        for start, end in self.population.chunks(CHUNK):
            chunk = user_rows(self.population, start, end)
            self.graph.write_all(cypher.USERS, chunk)
            self.ledger.accounts(chunk, [email(i) for i in range(start, end)])
            progress.add(end - start)
        self.counts["users"] = users
        staff = rows.staff_rows(self.population)
        self._write("staff", cypher.STAFF, staff)
        self.ledger.organizations(rows.org_rows(self.world), staff)

    def _activity(self) -> None:
        progress = Progress("activity", self.options.users)
        with self.holdout.open("w") as held:
            for start, end in self.population.chunks(CHUNK):
                chunk = edge_rows(self.population, start, end)
                for name, query in cypher.EDGE_STATEMENTS.items():
                    items = getattr(chunk, name)
                    self.counts[name] = self.counts.get(name, 0) + len(items)
                    self.graph.write_all(query, items)
                self.ledger.awards(chunk.awards)
                for row in chunk.held_out:
                    held.write(
                        json.dumps(
                            {
                                "user": row["user"],
                                "badge": row["badge"],
                                "at": row["at"].isoformat(),
                            }
                        )
                        + "\n"
                    )
                self.counts["held_out"] = self.counts.get("held_out", 0) + len(chunk.held_out)
                progress.add(end - start)
