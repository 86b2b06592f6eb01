"""`me { recommendations(kind:, first:) }`: the viewer's own recommendations."""

from collections.abc import Sequence

from odznaka_graph.context import Info
from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model.recommendations import Kind
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.arguments import UserInputError, local
from odznaka_graph.schema.recommendations import Recommendation, RecommendationCentre
from odznaka_graph.services.recommendations import Centre


async def recommendations_of(
    info: Info,
    user: UserRecord,
    kind: Kind,
    first: int,
    skill_ids: Sequence[str] | None,
    near: RecommendationCentre | None,
) -> list[Recommendation]:
    viewer = info.context.viewer
    if viewer.id is None or viewer.id != user.id:
        return []
    try:
        skills = [local(skill_id, "Skill", "skillIds") for skill_id in skill_ids or []]
        centre = Centre(near.latitude, near.longitude, near.radius_km) if near else None
        found = await info.context.services.recommendations.recommend(
            viewer, kind, first, skills, centre
        )
    except ValidationFailed as error:
        raise UserInputError(" ".join(f"`{k}`: {v}" for k, v in error.fields.items())) from None
    return [Recommendation(record=item) for item in found]
