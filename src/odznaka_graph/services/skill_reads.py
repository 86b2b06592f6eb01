"""Read views of skills (public to everyone)."""

from odznaka_graph.graph_model import skills
from odznaka_graph.graph_model.skills import SkillRecord
from odznaka_graph.services.loaders import Loaders

__all__ = ["SkillRecord"]


async def skill(loaders: Loaders, skill_id: str) -> SkillRecord | None:
    return await loaders.skill_by_id.load(skill_id)


async def search(loaders: Loaders, text: str, limit: int) -> list[SkillRecord]:
    """Skills whose name contains the text (at most `limit`)."""
    return await skills.search_skills(loaders.graph, text, limit)
