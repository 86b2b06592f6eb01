"""Skill nodes: learning outcome areas, optionally with an ESCO URI."""

import uuid
from dataclasses import dataclass
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.graph_model.texts import flatten, unflatten

SKILL_NAMESPACE = uuid.UUID("6f1d3a52-8a4e-4d6b-9a57-3f0e4b2f9c11")

SKILLS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (s:Skill {id: id})
RETURN s {.*} AS skill
"""

SEARCH_SKILLS: LiteralString = """
MATCH (s:Skill)
WHERE $text = '' OR s.searchText CONTAINS $text
RETURN s {.*} AS skill
ORDER BY s.key
LIMIT $limit
"""


@dataclass(frozen=True)
class SkillRecord:
    id: str
    key: str
    texts: dict[str, dict[str, str]]
    esco_uri: str | None


def skill_key(names: dict[str, str]) -> str:
    """Skills named alike in Polish (or else English) are one skill."""
    name = names.get("pl") or names.get("en") or next(iter(names.values()))
    return " ".join(name.lower().split())


def skill_id_for(key: str) -> str:
    return str(uuid.uuid5(SKILL_NAMESPACE, key))


def new_skill_row(names: dict[str, str]) -> dict[str, Any]:
    key = skill_key(names)
    search = " ".join(n.lower() for n in names.values())
    return {
        "skillKey": key,
        "skillId": skill_id_for(key),
        "skillProps": flatten({"name": names}) | {"searchText": search},
    }


def to_skill(props: dict[str, Any]) -> SkillRecord:
    return SkillRecord(props["id"], props["key"], unflatten(props, ("name",)), props.get("escoUri"))


async def skills_by_ids(graph: Graph, ids: list[str]) -> dict[str, SkillRecord]:
    rows = await graph.read(SKILLS_BY_IDS, ids=ids)
    return {row["skill"]["id"]: to_skill(row["skill"]) for row in rows}


async def search_skills(graph: Graph, text: str, limit: int) -> list[SkillRecord]:
    rows = await graph.read(SEARCH_SKILLS, text=text.lower().strip(), limit=limit)
    return [to_skill(row["skill"]) for row in rows]
