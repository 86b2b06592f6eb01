"""Writing a generated world into Neo4j: one UNWIND statement per kind of row, sent in
batches (one round trip and one transaction per batch), with a progress line on stderr."""

import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from neo4j import Driver

SKILLS = "UNWIND $rows AS r CREATE (s:Skill) SET s = r.props"
BROADER = """
UNWIND $rows AS r
MATCH (n:Skill {id: r.id}), (b:Skill {id: r.broader})
CREATE (n)-[:BROADER]->(b)
"""
ORGS = "UNWIND $rows AS r CREATE (o:Organization) SET o = r.props"
BADGES = """
UNWIND $rows AS r
MATCH (o:Organization {id: r.org})
CREATE (b:Badge)-[:ISSUED_BY]->(o)
SET b = r.props
WITH b, r
CALL (b, r) { WITH * WHERE r.public SET b:PublicBadge }
CALL (b, r) {
  UNWIND r.skills AS outcome
  MATCH (s:Skill {id: outcome.id})
  CREATE (b)-[t:TEACHES]->(s)
  SET t = outcome.props
}
"""
PEER_BADGES = """
UNWIND $rows AS r
MATCH (c:Club {id: r.club})
CREATE (b:Badge)-[:OF_CLUB]->(c)
SET b = r.props
WITH b, r
CALL (b, r) { WITH * WHERE r.public SET b:PublicBadge }
"""
USERS = "UNWIND $rows AS r CREATE (u:User) SET u = r"
STAFF = """
UNWIND $rows AS r
MATCH (u:User {id: r.user}), (o:Organization {id: r.org})
CREATE (u)-[:STAFF_OF {role: r.role}]->(o)
"""
TEAMS = """
UNWIND $rows AS r
MATCH (o:Organization {id: r.org})
CREATE (t:Team)-[:PART_OF]->(o)
SET t = r.props
"""
CLUBS = "UNWIND $rows AS r CREATE (c:Club) SET c = r.props"
PATHS = """
UNWIND $rows AS r
MATCH (o:Organization {id: r.org})
CREATE (p:Path)-[:OWNED_BY]->(o)
SET p = r.props
WITH p, r
CALL (p, r) { MATCH (t:Team {id: r.team}) CREATE (p)-[:FOR_TEAM]->(t) }
CALL (p, r) {
  UNWIND r.steps AS step
  MATCH (b:Badge {id: step.badge})
  CREATE (p)-[s:STEP]->(b)
  SET s = step.props
}
"""
EVENTS = """
UNWIND $rows AS r
MATCH (o:Organization {id: r.host})
CREATE (e:Event)-[:HOSTED_BY]->(o)
SET e = r.props,
    e.location = CASE WHEN r.place IS NULL THEN null
                 ELSE point({latitude: r.place.latitude, longitude: r.place.longitude}) END
WITH e, r
CALL (e, r) {
  UNWIND r.skills AS skillId
  MATCH (s:Skill {id: skillId})
  CREATE (e)-[:TEACHES]->(s)
}
CALL (e, r) { MATCH (b:Badge {id: r.badge}) CREATE (e)-[:AWARDS]->(b) }
"""
TEAM_MEMBERS = """
UNWIND $rows AS r
MATCH (u:User {id: r.user}), (t:Team {id: r.team})
CREATE (u)-[:MEMBER_OF {role: r.role, since: r.since}]->(t)
"""
CLUB_MEMBERS = """
UNWIND $rows AS r
MATCH (u:User {id: r.user}), (c:Club {id: r.club})
CREATE (u)-[:MEMBER_OF {role: r.role, since: r.since}]->(c)
"""
AWARDS = """
UNWIND $rows AS r
MATCH (u:User {id: r.user}), (b:Badge {id: r.badge}), (by:User {id: r.by})
CREATE (u)-[:EARNED]->(a:Award {id: r.id, issuedAt: r.at, revokedAt: r.revokedAt})-[:OF]->(b),
       (a)-[:AWARDED_BY]->(by)
"""
FOLLOWS = """
UNWIND $rows AS r
MATCH (a:User {id: r.a}), (b:User {id: r.b})
CREATE (a)-[:FOLLOWS {since: r.at}]->(b)
"""
CONTACTS = """
UNWIND $rows AS r
MATCH (a:User {id: r.a}), (b:User {id: r.b})
CREATE (b)-[:CONTACT {since: r.at}]->(a)
"""
BLOCKS = """
UNWIND $rows AS r
MATCH (a:User {id: r.a}), (b:User {id: r.b})
CREATE (a)-[:BLOCKS {at: r.at}]->(b)
"""
PATH_FOLLOWS = """
UNWIND $rows AS r
MATCH (u:User {id: r.user}), (p:Path {id: r.path})
CREATE (u)-[:FOLLOWS_PATH {since: r.at}]->(p)
"""
ATTENDS = """
UNWIND $rows AS r
MATCH (u:User {id: r.user}), (e:Event {id: r.event})
CREATE (u)-[:ATTENDS {registeredAt: r.at}]->(e)
"""
# Recounted like graph_model.awards.COUNT_HOLDERS, in transactions of their own.
HOLDERS = """
MATCH (b:Badge)
CALL (b) {
  SET b.holders = COUNT { (b)<-[:OF]-(a:Award)<-[:EARNED]-(:User) WHERE a.revokedAt IS NULL }
} IN TRANSACTIONS OF 2000 ROWS
"""
COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
"""

EDGE_STATEMENTS = {
    "team_members": TEAM_MEMBERS,
    "club_members": CLUB_MEMBERS,
    "awards": AWARDS,
    "follows": FOLLOWS,
    "contacts": CONTACTS,
    "blocks": BLOCKS,
    "path_follows": PATH_FOLLOWS,
    "attends": ATTENDS,
}


class Progress:
    """One line on stderr: what, how many of how many, rate and time left."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = self.shown = time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.shown > 0.5 or self.done >= self.total:
            self.shown = now
            self._show(now)

    def _show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        width = 30
        filled = min(width, width * self.done // max(self.total, 1))
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(
            f"\r{self.label:14s} [{bar}] {self.done:>10,}/{self.total:,} "
            f"{rate:>9,.0f}/s  {elapsed:6.0f}s elapsed  {left:6.0f}s left "
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


class GraphWriter:
    def __init__(self, driver: Driver, database: str = "neo4j", batch: int = 10_000) -> None:
        self.driver, self.database, self.batch = driver, database, batch

    def run(self, query: str, rows: list[dict[str, Any]]) -> None:
        with self.driver.session(database=self.database) as session:
            session.execute_write(lambda tx: tx.run(query, rows=rows).consume())

    def write_all(
        self, query: str, rows: Iterable[dict[str, Any]], progress: Progress | None = None
    ) -> int:
        written = 0
        for batch in batches(rows, self.batch):
            self.run(query, batch)
            written += len(batch)
            if progress is not None:
                progress.add(len(batch))
        return written

    def auto_commit(self, query: str) -> None:
        """For CALL ... IN TRANSACTIONS, which needs an implicit transaction."""
        with self.driver.session(database=self.database) as session:
            session.run(query).consume()

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database)
        return [record.data() for record in records]
