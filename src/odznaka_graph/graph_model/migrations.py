"""Versioned, idempotent graph schema migrations, applied at start-up."""

import logging
from typing import LiteralString

from odznaka_graph.graph_model.driver import Graph, generated
from odznaka_graph.i18n import LANGUAGES

log = logging.getLogger(__name__)

LABELS_WITH_ID: tuple[LiteralString, ...] = (
    "User",
    "Organization",
    "Skill",
    "Badge",
    "Award",
    "LearningActivity",
    "Event",
)


def _badge_text_properties() -> str:
    fields = [f"b.{name}_{lang}" for name in ("name", "description") for lang in LANGUAGES]
    return ", ".join([*fields, "b.tagText"])


MIGRATIONS: list[tuple[int, list[LiteralString]]] = [
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
            generated(
                "CREATE FULLTEXT INDEX badge_text IF NOT EXISTS FOR (b:Badge) "
                f"ON EACH [{_badge_text_properties()}]"
            ),
            "CREATE POINT INDEX event_location IF NOT EXISTS FOR (e:Event) ON (e.location)",
        ],
    ),
]


def _search_index(name: str, properties: list[str], analyzer: str) -> LiteralString:
    on = ", ".join(f"b.{p}" for p in properties)
    return generated(
        f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (b:Badge) ON EACH [{on}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}'}}}}"
    )


_OTHER_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]
MIGRATIONS.append(
    (
        4,
        [
            "DROP INDEX badge_text IF EXISTS",
            _search_index(
                "badge_search_folded",
                [f"{f}_{lang}" for f in ("name", "description") for lang in _OTHER_LANGUAGES]
                + ["tagText", "activityText"],
                "standard-folding",
            ),
            _search_index(
                "badge_search_en",
                ["name_en", "description_en", "tagText", "activityText"],
                "english",
            ),
            "CREATE INDEX badge_holders IF NOT EXISTS FOR (b:Badge) ON (b.holders)",
        ],
    )
)

# Events on the map: the time window and "soonest first" use the range indexes, the
# title search the text index (event_location, the point index, exists since version 1).
MIGRATIONS.append(
    (
        2,
        [
            "CREATE INDEX event_starts IF NOT EXISTS FOR (e:Event) ON (e.startsAt)",
            "CREATE INDEX event_ends IF NOT EXISTS FOR (e:Event) ON (e.endsAt)",
            "CREATE TEXT INDEX event_search IF NOT EXISTS FOR (e:Event) ON (e.searchText)",
        ],
    )
)

_CATALOGUE_KEYS: tuple[LiteralString, ...] = (
    "publishedMs",
    "form",
    "costKind",
    "eqfLevel",
    "pqfLevel",
    "workloadHours",
    "kind",
    "sortName",
    "holders",
)
MIGRATIONS.append(
    (
        5,
        [
            "MATCH (b:Badge) WHERE b.status = 'PUBLISHED' AND b.visibility = 'PUBLIC' "
            "SET b:PublicBadge, b.publishedMs = b.publishedAt.epochMillis",
            *(
                f"CREATE INDEX public_badge_{key.lower()} IF NOT EXISTS "
                f"FOR (b:PublicBadge) ON (b.{key})"
                for key in _CATALOGUE_KEYS
            ),
        ],
    )
)

# Teams and development paths: ids, the class code (unique, so joining by code finds one
# team), the newest-first path list and its title search.
MIGRATIONS.append(
    (
        6,
        [
            "CREATE CONSTRAINT team_id IF NOT EXISTS FOR (t:Team) REQUIRE t.id IS UNIQUE",
            "CREATE CONSTRAINT team_code IF NOT EXISTS FOR (t:Team) REQUIRE t.code IS UNIQUE",
            "CREATE CONSTRAINT path_id IF NOT EXISTS FOR (p:Path) REQUIRE p.id IS UNIQUE",
            "CREATE INDEX path_created IF NOT EXISTS FOR (p:Path) ON (p.createdMs)",
            "CREATE TEXT INDEX path_search IF NOT EXISTS FOR (p:Path) ON (p.searchText)",
        ],
    )
)

# Clubs and peer awards: ids, the club list's name order and search, and nominations
# counted per day for the daily limit.
MIGRATIONS.append(
    (
        7,
        [
            "CREATE CONSTRAINT club_id IF NOT EXISTS FOR (c:Club) REQUIRE c.id IS UNIQUE",
            "CREATE CONSTRAINT nomination_id IF NOT EXISTS "
            "FOR (n:Nomination) REQUIRE n.id IS UNIQUE",
            "CREATE INDEX club_name IF NOT EXISTS FOR (c:Club) ON (c.sortName)",
            "CREATE TEXT INDEX club_search IF NOT EXISTS FOR (c:Club) ON (c.searchText)",
            "CREATE INDEX nomination_created IF NOT EXISTS FOR (n:Nomination) ON (n.createdAt)",
        ],
    )
)

# "Newest first" by one unique, index-ordered key: the publish time, then the id.
MIGRATIONS.append(
    (
        9,
        [
            "MATCH (b:PublicBadge) SET b.publishedKey = "
            "right('000000000000000' + toString(b.publishedMs), 15) + ':' + b.id",
            "CREATE INDEX public_badge_published_key IF NOT EXISTS "
            "FOR (b:PublicBadge) ON (b.publishedKey)",
        ],
    )
)

# Join codes expire (issue 11): codes made before that get the default lifetime from now
# instead of stopping at once.
MIGRATIONS.append(
    (
        10,
        [
            "MATCH (t:Team) WHERE t.code IS NOT NULL AND t.codeExpiresAt IS NULL "
            "SET t.codeExpiresAt = datetime() + duration({days: 14})",
        ],
    )
)

APPLIED: LiteralString = "MATCH (m:SchemaMigration) RETURN m.version AS version"
MARK: LiteralString = "MERGE (m:SchemaMigration {version: $version}) SET m.appliedAt = datetime()"


async def migrate(graph: Graph) -> list[int]:
    """Apply the migrations not yet recorded; return the versions applied now."""
    done = {row["version"] for row in await graph.read(APPLIED)}
    applied = []
    for version, statements in sorted(MIGRATIONS):
        if version in done:
            continue
        for statement in statements:
            await graph.write(statement)
        await graph.write(MARK, version=version)
        log.info("graph migration applied", extra={"fields": {"version": version}})
        applied.append(version)
    await graph.write("CALL db.awaitIndexes(300)")
    return applied
