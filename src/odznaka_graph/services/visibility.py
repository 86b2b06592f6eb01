"""Read rules: who sees which record. Pure functions over records and the viewer."""

from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.badges import BadgeRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.services.tokens import Viewer

PUBLIC_BADGE_STATES = {"PUBLISHED", "ARCHIVED"}


def can_see_badge(viewer: Viewer, badge: BadgeRecord, staff_roles: dict[str, str]) -> bool:
    if badge.status in PUBLIC_BADGE_STATES and badge.visibility == "PUBLIC":
        return True
    return viewer.is_reviewer or badge.organization_id in staff_roles


def can_see_profile(viewer: Viewer, user: UserRecord) -> bool:
    return user.visibility == "PUBLIC" or viewer.id == user.id


def can_see_award(
    viewer: Viewer,
    award: AwardRecord,
    recipient: UserRecord | None,
    issuer_org: str,
    staff_roles: dict[str, str],
) -> bool:
    if viewer.id is not None and viewer.id in (award.recipient_id, award.awarded_by_id):
        return True
    if issuer_org in staff_roles:
        return True
    return recipient is not None and can_see_profile(viewer, recipient)
