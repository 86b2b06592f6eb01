"""What bench/versus.py asks each server, for whom, and how their answers are compared.

Each read has one request per server kind ("ours" also serves a `--before` API) and a
function per kind that turns the answer into one plain shape: local ids, times as UTC
instants, lists in order. The same shape from every server is checked before timing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from odznaka_graph.graph_model.search_text import english_query, folded_query
from odznaka_graph.ids import from_global, to_global

KINDS = ("ours", "anchor", "floor")


@dataclass(frozen=True)
class Request:
    path: str
    body: dict[str, Any]
    user: str | None = None  # who signs in (ours only): the Authorization header


@dataclass(frozen=True)
class Read:
    name: str
    note: str
    requests: dict[str, Request]  # by server kind; a kind left out does not take part
    shapes: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


def local(global_id: str | None) -> str | None:
    found = from_global(global_id) if global_id else None
    return found[1] if found else global_id


def instant(text: str | None) -> float | None:
    """An ISO time (Python's or Neo4j's, with up to 9 decimals) as seconds since the epoch."""
    if text is None:
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    text = re.sub(r"\[.*\]$", "", text)
    return datetime.fromisoformat(text).astimezone(UTC).timestamp()


def first_of(items: list[Any] | None) -> Any:
    return items[0] if items else None


def issuer(found: dict[str, Any] | None, name: str = "name") -> tuple[Any, Any]:
    return (local(found["id"]), found[name]) if found else (None, None)


# --- the public profile ------------------------------------------------------------------

PROFILE_OURS = """query Profile($h: String!) { user(handle: $h) { id handle displayName
  awards(first: 50) { totalCount edges { node { id issuedAt
    badge { id name eqfLevel issuer { id name } } } } } } }"""
PROFILE_ANCHOR = """query Profile($h: String!) { users(where: {handle: {eq: $h}}) {
  id handle displayName awardsConnection { totalCount }
  awards(limit: 50, sort: [{issuedAt: DESC}, {id: DESC}]) { id issuedAt
    badge { id name_pl eqfLevel issuer { id name_pl } } } } }"""


def profile_shape(user: dict[str, Any], total: int, awards: list[dict[str, Any]], n: str) -> Any:
    rows = [
        (
            local(a["id"]),
            instant(a["issuedAt"]),
            local(a["badge"]["id"]),
            a["badge"][n],
            a["badge"]["eqfLevel"],
            *issuer(a["badge"]["issuer"], n),
        )
        for a in awards
    ]
    return (local(user["id"]), user["handle"], user["displayName"], total, rows)


def profile_ours(answer: Any) -> Any:
    user = answer["data"]["user"]
    awards = [e["node"] for e in user["awards"]["edges"]]
    return profile_shape(user, user["awards"]["totalCount"], awards, "name")


def profile_anchor(answer: Any) -> Any:
    user = answer["data"]["users"][0]
    awards = [
        a | {"badge": b | {"issuer": first_of(b["issuer"])}}
        for a in user["awards"]
        for b in [first_of(a["badge"])]
    ]
    return profile_shape(user, user["awardsConnection"]["totalCount"], awards, "name_pl")


def profile_floor(answer: Any) -> Any:
    user = answer["data"]
    awards = [
        a | {"badge": a["badge"] | {"issuer": _null_issuer(a["badge"]["issuer"])}}
        for a in user["awards"]
    ]
    return profile_shape(user, user["total"], awards, "name")


def _null_issuer(found: dict[str, Any]) -> dict[str, Any] | None:
    return found if found.get("id") is not None else None


# --- catalogue search --------------------------------------------------------------------

SEARCH_OURS = """query Search($text: String!) {
  badges(filter: {text: $text}, sort: RELEVANCE, first: 20) {
    edges { node { id name issuer { id name } } } } }"""
SEARCH_ANCHOR = """query Search($f: String!, $e: String!) {
  searchBadges(folded: $f, english: $e, limit: 20) { id name_pl issuer { id name_pl } } }"""


def search_ours(answer: Any) -> Any:
    nodes = [e["node"] for e in answer["data"]["badges"]["edges"]]
    return [(local(b["id"]), b["name"], *issuer(b["issuer"])) for b in nodes]


def search_anchor(answer: Any) -> Any:
    return [
        (b["id"], b["name_pl"], *issuer(first_of(b["issuer"]), "name_pl"))
        for b in answer["data"]["searchBadges"]
    ]


def search_floor(answer: Any) -> Any:
    return [(b["id"], b["name"], *issuer(_null_issuer(b["issuer"]))) for b in answer["data"]]


# --- a path with its steps and the viewer's progress ---------------------------------------

PATH_OURS = """query Path($id: ID!) { path(id: $id) { id title
  steps { key required badge { id name } }
  viewerProgress { completedSteps { key } } } }"""
PATH_ANCHOR = """query Path($id: ID!, $u: ID!) { paths(where: {id: {eq: $id}}) { id title_pl
  stepsConnection(sort: [{edge: {position: ASC}}]) {
    edges { properties { key required } node { id name_pl } } }
  completedStepKeys(userId: $u) } }"""


def path_ours(answer: Any) -> Any:
    p = answer["data"]["path"]
    steps = [
        (s["key"], s["required"], local(s["badge"]["id"]), s["badge"]["name"]) for s in p["steps"]
    ]
    done = [s["key"] for s in p["viewerProgress"]["completedSteps"]]
    return (local(p["id"]), p["title"], steps, done)


def path_anchor(answer: Any) -> Any:
    p = answer["data"]["paths"][0]
    steps = [
        (e["properties"]["key"], e["properties"]["required"], e["node"]["id"], e["node"]["name_pl"])
        for e in p["stepsConnection"]["edges"]
    ]
    return (p["id"], p["title_pl"], steps, p["completedStepKeys"])


def path_floor(answer: Any) -> Any:
    p = answer["data"]
    steps = [(s["key"], s["required"], s["badge"]["id"], s["badge"]["name"]) for s in p["steps"]]
    return (p["id"], p["title"], steps, p["completed"])


# --- a class leaderboard -----------------------------------------------------------------

BOARD_OURS = """query Board($t: ID!) { leaderboard(teamId: $t, window: ALL_TIME) {
  entries(first: 20) { totalCount edges { node { rank score handle displayName } } } } }"""


def board_ours(answer: Any) -> Any:
    entries = answer["data"]["leaderboard"]["entries"]
    rows = [(n["rank"], n["score"], n["handle"], n["displayName"]) for n in _nodes(entries)]
    return (entries["totalCount"], rows)


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def board_floor(answer: Any) -> Any:
    board = answer["data"]
    rows = [(e["rank"], e["score"], e["handle"], e["displayName"]) for e in board["entries"]]
    return (board["totalCount"], rows)


# --- { __typename } ------------------------------------------------------------------------

HELLO = {"query": "{ __typename }"}


def hello_shape(answer: Any) -> Any:
    return answer["data"]["__typename"]


# --- who is asked about ---------------------------------------------------------------------

PROFILE_SUBJECT = """
MATCH (u:User) WHERE u.visibility = 'PUBLIC'
  AND NOT EXISTS { (u)-[:EARNED]->(:Award)-[:OF]->(:Badge)-[:OF_CLUB]->(c:Club)
                   WHERE c.visibility <> 'PUBLIC' }
WITH u, COUNT { (u)-[:EARNED]->(:Award) } AS n WHERE n <= 60
RETURN u.handle AS handle, n ORDER BY n DESC, u.id LIMIT 1
"""
PATH_SUBJECT = """
MATCH (u:User)-[:FOLLOWS_PATH]->(p:Path {visibility: 'PUBLIC'})
WITH u, p, COUNT { (p)-[:STEP]->(b:Badge) WHERE EXISTS {
  (b)<-[:OF]-(a:Award)<-[:EARNED]-(u) WHERE a.revokedAt IS NULL } } AS done,
  COUNT { (p)-[:STEP]->() } AS steps
WHERE done > 0 AND done < steps
RETURN u.id AS user, p.id AS path ORDER BY steps DESC, done DESC, p.id, u.id LIMIT 1
"""
BOARD_SUBJECT = """
MATCH (t:Team)<-[m:MEMBER_OF {role: 'TEACHER'}]-(teacher:User)
WITH t, teacher, COUNT { (t)<-[:MEMBER_OF {role: 'STUDENT'}]-() } AS n
RETURN t.id AS team, teacher.id AS teacher ORDER BY n DESC, t.id LIMIT 1
"""
# Search words; the one with the most hits (up to a page of 20) is asked.
SEARCH_TEXTS = ("programowanie", "analiza danych", "kurs", "project management", "dane")
SEARCH_HITS = """
CALL () {
  CALL db.index.fulltext.queryNodes('badge_search_folded', $folded) YIELD node
  RETURN node
  UNION
  CALL db.index.fulltext.queryNodes('badge_search_en', $english) YIELD node
  RETURN node
}
RETURN count(CASE WHEN node:PublicBadge THEN 1 END) AS hits
"""


def search_text(driver: Driver) -> str:
    def hits(text: str) -> int:
        folded, english = folded_query(text), english_query(text)
        records, _, _ = driver.execute_query(
            SEARCH_HITS, folded=folded, english=english, database_="neo4j"
        )
        return min(int(records[0]["hits"]), 20)

    return max(SEARCH_TEXTS, key=hits)


def one(driver: Driver, query: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(query, database_="neo4j")
    if not records:
        raise SystemExit(f"nobody to ask about in this graph:\n{query}")
    return records[0].data()


def reads(driver: Driver) -> list[Read]:
    handle = one(driver, PROFILE_SUBJECT)["handle"]
    follower = one(driver, PATH_SUBJECT)
    board = one(driver, BOARD_SUBJECT)
    text = search_text(driver)
    folded, english = folded_query(text), english_query(text)
    path_id, team_id = follower["path"], board["team"]
    return [
        Read(
            "profile",
            f"user(handle: {handle!r}), awards(first: 50), anonymous",
            {
                "ours": Request("/graphql", {"query": PROFILE_OURS, "variables": {"h": handle}}),
                "anchor": Request("/", {"query": PROFILE_ANCHOR, "variables": {"h": handle}}),
                "floor": Request("/profile", {"handle": handle}),
            },
            {"ours": profile_ours, "anchor": profile_anchor, "floor": profile_floor},
        ),
        Read(
            "catalogue_search",
            f"badges(filter: {{text: {text!r}}}, first: 20), anonymous",
            {
                "ours": Request("/graphql", {"query": SEARCH_OURS, "variables": {"text": text}}),
                "anchor": Request(
                    "/", {"query": SEARCH_ANCHOR, "variables": {"f": folded, "e": english}}
                ),
                "floor": Request("/search", {"folded": folded, "english": english, "first": 20}),
            },
            {"ours": search_ours, "anchor": search_anchor, "floor": search_floor},
        ),
        Read(
            "path_progress",
            f"path {path_id} with steps and completed steps of follower {follower['user']} "
            "(ours: signed in with a bearer token; the anchor and floor are told the viewer's id)",
            {
                "ours": Request(
                    "/graphql",
                    {"query": PATH_OURS, "variables": {"id": to_global("Path", path_id)}},
                    follower["user"],
                ),
                "anchor": Request(
                    "/", {"query": PATH_ANCHOR, "variables": {"id": path_id, "u": follower["user"]}}
                ),
                "floor": Request("/path", {"id": path_id, "viewer": follower["user"]}),
            },
            {"ours": path_ours, "anchor": path_anchor, "floor": path_floor},
        ),
        Read(
            "class_leaderboard",
            f"top 20 of {team_id} by all-time points, asked by its teacher (signed in to ours; "
            "not in the anchor: points are in the SQL ledger)",
            {
                "ours": Request(
                    "/graphql",
                    {"query": BOARD_OURS, "variables": {"t": to_global("Team", team_id)}},
                    board["teacher"],
                ),
                "floor": Request("/board", {"team": team_id, "first": 20}),
            },
            {"ours": board_ours, "floor": board_floor},
        ),
        Read(
            "typename",
            "{ __typename } (the floor: a constant JSON body)",
            {
                "ours": Request("/graphql", HELLO),
                "anchor": Request("/", HELLO),
                "floor": Request("/hello", {}),
            },
            {kind: hello_shape for kind in KINDS},
        ),
    ]
