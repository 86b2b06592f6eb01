"""Catalogue search and map latency on a generated catalogue.

    uv run python bench/catalogue.py [--badges 100000] [--events 20000] [--iterations 200]

Generates (once, kept under var/bench-catalogue) a deterministic catalogue of published
badges from many issuers, and events across Poland, then times GraphQL requests to a real
uvicorn process from this process, one at a time, and writes bench/results/catalogue.json.
"""

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import api_server, neo4j, progress, save, time_calls
from odznaka_graph.graph_model.driver import Graph, open_driver
from odznaka_graph.graph_model.migrations import migrate
from odznaka_graph.neo4j_server import Neo4jServer
from odznaka_graph.settings import PROJECT_ROOT

TOPICS = [
    ("zarządzanie projektami", "project management"),
    ("programowanie w Pythonie", "Python programming"),
    ("analiza danych", "data analysis"),
    ("bezpieczeństwo w sieci", "online safety"),
    ("komunikacja w zespole", "team communication"),
    ("arkusz kalkulacyjny", "spreadsheets"),
    ("zarządzanie ryzykiem", "risk management"),
    ("obsługa klienta", "customer service"),
    ("sztuczna inteligencja", "artificial intelligence"),
    ("marketing cyfrowy", "digital marketing"),
    ("księgowość", "bookkeeping"),
    ("pierwsza pomoc", "first aid"),
    ("język angielski w biznesie", "business English"),
    ("grafika komputerowa", "computer graphics"),
    ("przywództwo", "leadership"),
    ("logistyka magazynowa", "warehouse logistics"),
    ("prawo pracy", "labour law"),
    ("robotyka", "robotics"),
    ("fotografia", "photography"),
    ("wystąpienia publiczne", "public speaking"),
]
LEVELS = [
    ("Podstawy", "Fundamentals of"),
    ("Warsztat:", "Workshop:"),
    ("Zaawansowane", "Advanced"),
    ("Praktyczne", "Practical"),
    ("Kurs", "Course in"),
]
FORMS = ["ONLINE", "ON_SITE", "HYBRID"]
COSTS = ["FREE", "FREE", "PAID", "CONTACT_ISSUER"]
TAGS = [
    "dane",
    "python",
    "zespół",
    "ryzyko",
    "biuro",
    "ai",
    "szkoła",
    "firma",
    "online",
    "certyfikat",
    "kurs",
    "warsztat",
    "bezpieczeństwo",
    "marketing",
    "finanse",
]
CITIES = [
    ("Warszawa", 52.2297, 21.0122),
    ("Kraków", 50.0647, 19.9450),
    ("Łódź", 51.7592, 19.4560),
    ("Wrocław", 51.1079, 17.0385),
    ("Poznań", 52.4064, 16.9252),
    ("Gdańsk", 54.3520, 18.6466),
    ("Lublin", 51.2465, 22.5684),
    ("Białystok", 53.1325, 23.1688),
    ("Rzeszów", 50.0412, 21.9991),
    ("Katowice", 50.2649, 19.0238),
    ("Piaseczno", 52.0814, 21.0237),
    ("Legionowo", 52.4015, 20.9267),
]

CREATE_ORGS = """
UNWIND $rows AS row
MERGE (o:Organization {id: row.id})
SET o.kind = 'TRAINING_PROVIDER', o.name_pl = row.name, o.name_en = row.name,
    o.verification = 'VERIFIED', o.createdAt = datetime()
"""
CREATE_SKILLS = """
UNWIND $rows AS row
MERGE (s:Skill {key: row.key}) SET s.id = row.id, s.name_pl = row.pl, s.name_en = row.en
"""
CREATE_BADGES = """
UNWIND $rows AS row
MATCH (o:Organization {id: row.org})
CREATE (b:Badge:PublicBadge)
SET b = row.props, b.createdAt = datetime(row.at), b.updatedAt = datetime(row.at),
    b.publishedAt = datetime(row.at), b.publishedMs = datetime(row.at).epochMillis,
    b.publishedKey = right('000000000000000' + toString(datetime(row.at).epochMillis), 15)
                     + ':' + row.props.id
CREATE (b)-[:ISSUED_BY]->(o)
WITH b, row
UNWIND row.skills AS key
MATCH (s:Skill {key: key})
CREATE (b)-[:TEACHES {position: 0, description_pl: 'Efekt', description_en: 'Outcome'}]->(s)
"""
MARKER = "MATCH (m:BenchMarker) RETURN m.badges AS badges, m.events AS events"


def badge_row(rng: random.Random, i: int, orgs: int) -> dict[str, Any]:
    topic_pl, topic_en = TOPICS[i % len(TOPICS)]
    level_pl, level_en = LEVELS[(i // len(TOPICS)) % len(LEVELS)]
    name_pl, name_en = f"{level_pl} {topic_pl} {i}", f"{level_en} {topic_en} {i}"
    tags = rng.sample(TAGS, 3)
    at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
    props = {
        "id": f"bench-badge-{i}",
        "kind": "MICROCREDENTIAL",
        "status": "PUBLISHED",
        "visibility": "PUBLIC",
        "name_pl": name_pl,
        "name_en": name_en,
        "description_pl": f"Odznaka potwierdza umiejętności: {topic_pl}.",
        "description_en": f"The badge confirms skills in {topic_en}.",
        "tags": tags,
        "tagText": " ".join(tags),
        "activityText": "",
        "searchText": f"{name_pl} {name_en}".lower(),
        "sortName": name_en.lower(),
        "form": rng.choice(FORMS),
        "costKind": rng.choice(COSTS),
        "workloadHours": float(rng.choice([2, 4, 6, 8, 12, 16, 20, 30, 40, 60, 120])),
        "eqfLevel": rng.randint(2, 7),
        "pqfLevel": rng.randint(2, 7),
        "holders": rng.randint(0, 500),
        "identityVerification": ["EMAIL_VERIFICATION"],
    }
    skills = [f"bench-skill-{(i + k * 7) % 300}" for k in range(rng.randint(1, 3))]
    return {"org": f"bench-org-{i % orgs}", "at": at.isoformat(), "props": props, "skills": skills}


async def generate(graph: Graph, badges: int, events: int, seed: int) -> dict[str, float]:
    rows = await graph.read(MARKER)
    if rows and rows[0]["badges"] == badges and rows[0]["events"] == events:
        print("catalogue already generated")
        return {}
    async with graph.driver.session(database=graph.database) as session:
        # Batched deletes need an auto-commit transaction, not a managed one.
        result = await session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration CALL (n) { DETACH DELETE n } "
            "IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()
    rng = random.Random(seed)
    started = time.perf_counter()
    orgs = max(10, badges // 100)
    await graph.write(
        CREATE_ORGS, rows=[{"id": f"bench-org-{i}", "name": f"Akademia {i}"} for i in range(orgs)]
    )
    await graph.write(
        CREATE_SKILLS,
        rows=[
            {
                "key": f"bench-skill-{i}",
                "id": f"bench-skill-{i}",
                "pl": TOPICS[i % 20][0],
                "en": TOPICS[i % 20][1],
            }
            for i in range(300)
        ],
    )
    batch = 5000
    for start in range(0, badges, batch):
        chunk = [badge_row(rng, i, orgs) for i in range(start, min(start + batch, badges))]
        await graph.write(CREATE_BADGES, rows=chunk)
        progress(min(start + batch, badges), badges, "badges")
    badge_seconds = time.perf_counter() - started
    event_seconds = await generate_events(graph, rng, events, orgs)
    await graph.write("CALL db.awaitIndexes(600)")
    await graph.write("MERGE (m:BenchMarker) SET m.badges = $b, m.events = $e", b=badges, e=events)
    return {"badges_seconds": round(badge_seconds, 1), "events_seconds": round(event_seconds, 1)}


async def generate_events(graph: Graph, rng: random.Random, events: int, orgs: int) -> float:
    from bench.catalogue_events import CREATE_EVENTS, event_rows

    started = time.perf_counter()
    batch = 5000
    for start in range(0, events, batch):
        chunk = event_rows(rng, range(start, min(start + batch, events)), orgs, CITIES)
        await graph.write(CREATE_EVENTS, rows=chunk)
        progress(min(start + batch, events), events, "events")
    return time.perf_counter() - started


SEARCH = """query($filter: BadgeFilter) { badges(filter: $filter, first: 20) {
  totalCount edges { node { id name issuer { name } } } } }"""
FACETS = """query($filter: BadgeFilter) { badges(filter: $filter, first: 20) {
  totalCount edges { node { id name } } facets { tags { value count } forms { value count }
  eqfLevels { value count } costs { value count } } } }"""
TEXTS_PL = [
    "zarządzanie projektem",
    "programowania pythonie",
    "analiza danych",
    "ryzyko",
    "bezpieczenstwo sieci",
    "obsluga klienta",
    "pierwszej pomocy",
    "robotyka",
]
TEXTS_EN = [
    "project management",
    "python programming",
    "data analysis",
    "risk managing",
    "online safety",
    "customer service",
    "first aid",
    "robot",
]


def scenarios() -> dict[str, tuple[str, Any]]:
    filters = {"cost": "FREE", "form": "ONLINE", "eqfLevel": 4, "workload": {"max": 20}}
    return {
        "search_polish": (SEARCH, lambda i: {"filter": {"text": TEXTS_PL[i % len(TEXTS_PL)]}}),
        "search_english": (SEARCH, lambda i: {"filter": {"text": TEXTS_EN[i % len(TEXTS_EN)]}}),
        "filters_free_online_eqf4_under_20h": (SEARCH, lambda i: {"filter": filters}),
        "search_plus_filters": (
            SEARCH,
            lambda i: {"filter": filters | {"text": TEXTS_PL[i % len(TEXTS_PL)]}},
        ),
        "search_with_facets": (FACETS, lambda i: {"filter": {"text": TEXTS_EN[i % 8]}}),
        "newest_first_page": (SEARCH, lambda i: {"filter": {}}),
    }


def run(base: str, iterations: int) -> dict[str, Any]:
    from bench.catalogue_events import map_scenarios

    results = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, (query, variables) in {**scenarios(), **map_scenarios()}.items():

            def call(i: int, query: str = query, variables: Any = variables) -> None:
                body = client.post(
                    "/graphql", json={"query": query, "variables": variables(i)}
                ).json()
                assert "errors" not in body, body

            results[name] = time_calls(call, iterations)
            print(
                f"{name:40s} p50 {results[name]['p50_ms']:8.2f} ms   "
                f"p99 {results[name]['p99_ms']:8.2f} ms"
            )
    return results


def store_size(server: Neo4jServer) -> int:
    home = Path(server.config.home)
    return sum(p.stat().st_size for p in home.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--badges", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    var = PROJECT_ROOT / "var" / "bench-catalogue-api"
    var.mkdir(parents=True, exist_ok=True)
    with neo4j("catalogue") as server:
        graph = Graph(open_driver(server.uri, "neo4j", server.password), "neo4j")

        async def prepare() -> dict[str, float]:
            try:
                await migrate(graph)
                return await generate(graph, args.badges, args.events, args.seed)
            finally:
                await graph.close()

        loading = asyncio.run(prepare())
        with api_server(server, var) as base:
            timings = run(base, args.iterations)
        save(
            "catalogue",
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": "2 cores, 24 GiB; one uvicorn worker; sequential requests over loopback",
                "badges": args.badges,
                "events": args.events,
                "iterations": args.iterations,
                "loading": loading,
                "store_bytes": store_size(server),
                "latency": timings,
            },
        )


if __name__ == "__main__":
    main()
