"""Who may do what: the one table of object-level rules, checked in one place."""

from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import NotFound, PermissionDenied, Unauthenticated
from odznaka_graph.ledger import issuers
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.vocabulary import StaffRole


class Action(StrEnum):
    MANAGE_ORGANIZATION = "manage the organisation"
    EDIT_BADGES = "describe the organisation's badges"
    AWARD_BADGES = "award the organisation's badges"
    REVIEW = "review issuers and badges"


# Action -> staff roles that may do it; None means platform reviewers only.
RULES: dict[Action, frozenset[StaffRole] | None] = {
    Action.MANAGE_ORGANIZATION: frozenset({StaffRole.OWNER, StaffRole.ADMIN}),
    Action.EDIT_BADGES: frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.ISSUER}),
    Action.AWARD_BADGES: frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.ISSUER}),
    Action.REVIEW: None,
}


def allowed(action: Action, viewer: Viewer, staff_role: str | None = None) -> bool:
    if viewer.id is None:
        return False
    roles = RULES[action]
    if roles is None:
        return viewer.is_reviewer
    return staff_role is not None and StaffRole(staff_role) in roles


def require(action: Action, viewer: Viewer, staff_role: str | None = None) -> str:
    """The viewer's id when the rule allows the action, else a PermissionDenied."""
    if viewer.id is None:
        raise Unauthenticated()
    if not allowed(action, viewer, staff_role):
        raise PermissionDenied(f"You may not {action.value}.")
    return viewer.id


def signed_in(viewer: Viewer) -> str:
    if viewer.id is None:
        raise Unauthenticated()
    return viewer.id


async def require_staff(conn: AsyncConnection, viewer: Viewer, org_id: str, action: Action) -> str:
    """Like `require`, with the viewer's staff role in the organisation looked up."""
    if await issuers.organization(conn, org_id) is None:
        raise NotFound("No such organisation.")
    role = await issuers.staff_role(conn, org_id, viewer.id) if viewer.id else None
    return require(action, viewer, role)
