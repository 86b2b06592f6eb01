"""Versioned, idempotent graph schema migrations, applied at start-up."""

import logging

from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.i18n import LANGUAGES

log = logging.getLogger(__name__)

LABELS_WITH_ID = ("User", "Organization", "Skill", "Badge", "Award", "LearningActivity", "Event")


def _badge_text_properties() -> str:
    fields = [f"b.{name}_{lang}" for name in ("name", "description") for lang in LANGUAGES]
    return ", ".join([*fields, "b.tagText"])


MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        1,
        [
            *(
                f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                for label in LABELS_WITH_ID
            ),
            "CREATE CONSTRAINT user_handle IF NOT EXISTS FOR (u:User) REQUIRE u.handle IS UNIQUE",
            "CREATE CONSTRAINT skill_key IF NOT EXISTS FOR (s:Skill) REQUIRE s.key IS UNIQUE",
            "CREATE INDEX badge_catalogue IF NOT EXISTS FOR (b:Badge) ON (b.status, b.createdAt)",
            "CREATE INDEX badge_name IF NOT EXISTS FOR (b:Badge) ON (b.sortName)",
            "CREATE INDEX award_issued IF NOT EXISTS FOR (a:Award) ON (a.issuedAt)",
            "CREATE FULLTEXT INDEX badge_text IF NOT EXISTS FOR (b:Badge) "
            f"ON EACH [{_badge_text_properties()}]",
            "CREATE POINT INDEX event_location IF NOT EXISTS FOR (e:Event) ON (e.location)",
        ],
    ),
]

APPLIED = "MATCH (m:SchemaMigration) RETURN m.version AS version"
MARK = "MERGE (m:SchemaMigration {version: $version}) SET m.appliedAt = datetime()"


async def migrate(graph: Graph) -> list[int]:
    """Apply the migrations not yet recorded; return the versions applied now."""
    done = {row["version"] for row in await graph.read(APPLIED)}
    applied = []
    for version, statements in MIGRATIONS:
        if version in done:
            continue
        for statement in statements:
            await graph.write(statement)
        await graph.write(MARK, version=version)
        log.info("graph migration applied", extra={"fields": {"version": version}})
        applied.append(version)
    await graph.write("CALL db.awaitIndexes(300)")
    return applied
