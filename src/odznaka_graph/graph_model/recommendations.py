"""Recommendations for one user: badges, paths, events, people and clubs, each with the
reasons it was found for. One Cypher query per kind (graph_model/recommendation_cypher.py);
the records it returns are the ones the rest of the API uses, so showing them costs nothing
more than showing any other list of them.

The skill hierarchy is `(:Skill)-[:BROADER]->(:Skill)`: a credential teaching a narrower
skill counts as knowing the broader ones, and a badge or event teaching a narrower skill
closes a gap in a broader one.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, LiteralString

from odznaka_graph.graph_model import recommendation_cypher as cypher
from odznaka_graph.graph_model import recommendation_cypher_people as people
from odznaka_graph.graph_model.badges import to_badge
from odznaka_graph.graph_model.clubs import to_club
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.events import to_event
from odznaka_graph.graph_model.paths import to_path
from odznaka_graph.graph_model.users import to_user

# How far sources reach: co-holders sampled per credential, most similar people kept,
# members read per team or club; nearby means within RADIUS_KM, upcoming within HORIZON.
SAMPLE = 100
NEIGHBOURS = 200
GROUP_SAMPLE = 300
RADIUS_KM = 50.0
HORIZON = timedelta(days=90)


class Kind(StrEnum):
    BADGE = "BADGE"
    PATH = "PATH"
    EVENT = "EVENT"
    PERSON = "PERSON"
    CLUB = "CLUB"


@dataclass(frozen=True)
class Reason:
    """Why something is recommended: a code (see services/recommendation_texts.py), its
    weight in the score, a count ("3 people ..."), a total ("... of its 5 steps"), and the
    multilingual names of what it refers to (a path, a skill, a class, a badge)."""

    code: str
    score: float
    count: int | None = None
    total: int | None = None
    names: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Recommendation:
    """`item` is a BadgeRecord, PathRecord, EventRecord, UserRecord or ClubRecord."""

    kind: Kind
    item: Any
    score: float
    reasons: list[Reason]


@dataclass(frozen=True)
class Ask:
    """What to recommend to whom. `team_roles` / `staff_roles` open private paths (from the
    permission table); `centre` is (latitude, longitude) to measure distances from."""

    user_id: str
    now: datetime
    limit: int = 10
    skill_ids: Sequence[str] = ()
    centre: tuple[float, float] | None = None
    radius_km: float = RADIUS_KM
    team_roles: Collection[str] = ()
    staff_roles: Collection[str] = ()

    def params(self) -> dict[str, Any]:
        centre = self.centre
        return {
            "userId": self.user_id,
            "viewerId": self.user_id,
            "now": self.now,
            "limit": self.limit,
            "skillIds": list(self.skill_ids),
            "centre": {"latitude": centre[0], "longitude": centre[1]} if centre else None,
            "teamRoles": list(self.team_roles),
            "staffRoles": list(self.staff_roles),
            "sample": SAMPLE,
            "neighbours": NEIGHBOURS,
            "groupSample": GROUP_SAMPLE,
            "radiusKm": self.radius_km,
            "horizon": self.now + HORIZON,
            "horizonSeconds": HORIZON.total_seconds(),
        }


QUERIES: dict[Kind, tuple[LiteralString, Callable[[dict[str, Any]], Any]]] = {
    Kind.BADGE: (cypher.BADGES, to_badge),
    Kind.PATH: (cypher.PATHS, to_path),
    Kind.EVENT: (people.EVENTS, to_event),
    Kind.PERSON: (people.PEOPLE, to_user),
    Kind.CLUB: (people.CLUBS, to_club),
}


def to_reason(row: dict[str, Any]) -> Reason:
    names = [{lang: text for lang, text in name.items() if text} for name in row["names"] or []]
    return Reason(row["code"], float(row["score"]), row.get("count"), row.get("total"), names)


def to_reasons(rows: list[dict[str, Any]]) -> list[Reason]:
    """Strongest first; one reason per code (a badge popular in two classes says it once)."""
    best: dict[str, Reason] = {}
    for found in sorted((to_reason(row) for row in rows), key=lambda r: -r.score):
        best.setdefault(found.code, found)
    return list(best.values())


async def recommend(graph: Graph, kind: Kind, ask: Ask) -> list[Recommendation]:
    """The best `ask.limit` things of one kind for one user, in one round trip."""
    query, convert = QUERIES[kind]
    rows = await graph.read(query, **ask.params())
    return [
        Recommendation(kind, convert(row["item"]), row["score"], to_reasons(row["reasons"]))
        for row in rows
    ]


async def warm_up(graph: Graph) -> None:
    """Plan every recommendation query now: they are large, and planning one the first time
    takes seconds that the first user to ask would otherwise wait."""
    ask = Ask(user_id="", now=datetime.now(UTC))
    for query, _ in QUERIES.values():
        await graph.read("EXPLAIN " + query, **ask.params())
