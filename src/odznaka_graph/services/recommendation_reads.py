"""Read view of recommendations for the signed-in user: the rules around the graph's recommendation
queries (who may ask, how many, where from), and the read rules applied once more to what
comes back, so that a mistake in a query cannot show something the user may not see."""

from collections.abc import Sequence
from dataclasses import dataclass

from odznaka_graph.clock import now
from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model import recommendations as graph
from odznaka_graph.graph_model.recommendations import Ask, Kind, Recommendation
from odznaka_graph.outcomes import InboxReason
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import (
    can_see_club,
    can_see_event,
    can_see_path,
    can_see_profile,
    path_readers,
)

MAX_FIRST = 50
MAX_SKILLS = 20
MAX_RADIUS_KM = 500.0


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    radius_km: float | None = None


async def recommendations(
    loaders: Loaders,
    user_id: str,
    kind: Kind,
    first: int = 10,
    skill_ids: Sequence[str] = (),
    near: Centre | None = None,
) -> list[Recommendation]:
    """The best `first` things of one kind for the viewer, strongest first; the viewer's
    own only (empty for anyone else)."""
    viewer = loaders.viewer
    if viewer.id is None or viewer.id != user_id:
        return []
    _check(first, skill_ids, near)
    readers = path_readers(user_id)
    ask = Ask(
        user_id=user_id,
        now=now(),
        limit=first,
        skill_ids=list(dict.fromkeys(skill_ids)),
        centre=(near.latitude, near.longitude) if near else None,
        radius_km=near.radius_km if near and near.radius_km else graph.RADIUS_KM,
        team_roles=readers.team_roles,
        staff_roles=readers.staff_roles,
    )
    found = await graph.recommend(loaders.graph, kind, ask)
    return [item for item in found if _shown(viewer, item)]


def _check(first: int, skill_ids: Sequence[str], near: Centre | None) -> None:
    errors = {}
    if not 1 <= first <= MAX_FIRST:
        errors["first"] = f"Ask for 1 to {MAX_FIRST}."
    if len(skill_ids) > MAX_SKILLS:
        errors["skillIds"] = f"At most {MAX_SKILLS} skills."
    if near is not None:
        if not (-90 <= near.latitude <= 90 and -180 <= near.longitude <= 180):
            errors["near"] = "A latitude in [-90, 90] and a longitude in [-180, 180]."
        elif near.radius_km is not None and not 0 < near.radius_km <= MAX_RADIUS_KM:
            errors["near.radiusKm"] = f"More than 0 and at most {MAX_RADIUS_KM:g} km."
    if errors:
        raise ValidationFailed(errors, reason=InboxReason.RECOMMENDATION_ARGUMENTS_INVALID)


def _shown(viewer: Viewer, found: Recommendation) -> bool:
    """The read rules once more (the queries apply them already)."""
    item = found.item
    match found.kind:
        case Kind.BADGE:
            return bool(item.status == "PUBLISHED")
        case Kind.PATH:
            return can_see_path(viewer, item)
        case Kind.EVENT:
            return can_see_event(viewer, item)
        case Kind.PERSON:
            return can_see_profile(viewer, item)
        case Kind.CLUB:
            return can_see_club(viewer, item)
    return False
