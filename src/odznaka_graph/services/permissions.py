"""Who may do what: the one table of object-level rules, checked in one place."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import NotFound, PermissionDenied, Unauthenticated
from odznaka_graph.ledger import issuers
from odznaka_graph.outcomes import OrganizationReason, PermissionReason
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.vocabulary import ClubRole, StaffRole, TeamRole


class Scope(StrEnum):
    """Where a role is held: on the platform, or in one organisation, team or club."""

    PLATFORM = "PLATFORM"
    ORGANIZATION = "ORGANIZATION"
    TEAM = "TEAM"
    CLUB = "CLUB"


SCOPE_ROLES: dict[Scope, tuple[str, ...]] = {
    Scope.PLATFORM: ("REVIEWER",),
    Scope.ORGANIZATION: tuple(StaffRole),
    Scope.TEAM: tuple(TeamRole),
    Scope.CLUB: tuple(ClubRole),
}


@dataclass(frozen=True)
class Rule:
    scope: Scope
    roles: frozenset[str]


def _rule(scope: Scope, *roles: str) -> Rule:
    return Rule(scope, frozenset(roles))


class Action(StrEnum):
    MANAGE_ORGANIZATION = "manage the organisation"
    EDIT_BADGES = "describe the organisation's badges"
    AWARD_BADGES = "award the organisation's badges"
    REVIEW = "review issuers and badges"
    MANAGE_CLUB = "manage the club (set members' roles)"
    APPROVE_CLUB_MEMBERS = "approve requests to join the club"
    INVITE_TO_CLUB = "invite people to the club"
    ACT_IN_CLUB = "see the club's members-only content"
    CREATE_PEER_BADGES = "create the club's peer badges"
    NOMINATE = "nominate club members for peer badges"
    VOUCH = "vouch for nominations in the club"
    REVOKE_PEER_AWARDS = "revoke the club's peer awards"
    MODERATE_CLUB = "remove or ban the club's members"
    UPLOAD_CLUB_IMAGES = "upload pictures for the club's badges"  # issue 15, uploads
    CREATE_TEAM = "create a team or class under the organisation"
    MANAGE_TEAM = "manage the team (members, class code, its paths)"
    SEE_TEAM = "see the team, its members and its private paths"
    SEE_TEAM_PROGRESS = "see the team's progress on its paths"
    EDIT_ORGANIZATION_PATHS = "create and edit the organisation's development paths"
    SEE_ORGANIZATION_PATHS = "see the organisation's private development paths"
    CREATE_CHALLENGE = "set the team's challenges"
    GIVE_POINTS = "give learners of the team points by hand, and correct them"
    SEE_TEAM_LEADERBOARDS = "see the leaderboards of the organisation's teams from outside"
    SEE_SCHOOL_CLASSES = "see and manage every class of the school and its pupils"


_STAFF = (StaffRole.OWNER, StaffRole.ADMIN, StaffRole.ISSUER)

# The table: each action, where its role is held, and the roles that may do it.
RULES: dict[Action, Rule] = {
    Action.MANAGE_ORGANIZATION: _rule(Scope.ORGANIZATION, StaffRole.OWNER, StaffRole.ADMIN),
    Action.EDIT_BADGES: _rule(Scope.ORGANIZATION, *_STAFF),
    Action.AWARD_BADGES: _rule(Scope.ORGANIZATION, *_STAFF),
    Action.REVIEW: _rule(Scope.PLATFORM, "REVIEWER"),
    Action.MANAGE_CLUB: _rule(Scope.CLUB, ClubRole.OWNER),
    Action.APPROVE_CLUB_MEMBERS: _rule(Scope.CLUB, ClubRole.OWNER, ClubRole.MODERATOR),
    Action.INVITE_TO_CLUB: _rule(Scope.CLUB, ClubRole.OWNER, ClubRole.MODERATOR),
    Action.ACT_IN_CLUB: _rule(Scope.CLUB, *ClubRole),
    Action.CREATE_PEER_BADGES: _rule(Scope.CLUB, *ClubRole),
    Action.NOMINATE: _rule(Scope.CLUB, *ClubRole),
    Action.VOUCH: _rule(Scope.CLUB, *ClubRole),
    Action.REVOKE_PEER_AWARDS: _rule(Scope.CLUB, ClubRole.OWNER, ClubRole.MODERATOR),
    Action.MODERATE_CLUB: _rule(Scope.CLUB, ClubRole.OWNER, ClubRole.MODERATOR),
    Action.UPLOAD_CLUB_IMAGES: _rule(Scope.CLUB, ClubRole.OWNER, ClubRole.MODERATOR),
    Action.CREATE_TEAM: _rule(Scope.ORGANIZATION, *_STAFF),
    Action.MANAGE_TEAM: _rule(Scope.TEAM, TeamRole.TEACHER, TeamRole.LEADER),
    Action.SEE_TEAM: _rule(Scope.TEAM, *TeamRole),
    Action.SEE_TEAM_PROGRESS: _rule(Scope.TEAM, TeamRole.TEACHER, TeamRole.LEADER),
    Action.EDIT_ORGANIZATION_PATHS: _rule(Scope.ORGANIZATION, *_STAFF),
    Action.SEE_ORGANIZATION_PATHS: _rule(Scope.ORGANIZATION, *_STAFF),
    Action.CREATE_CHALLENGE: _rule(Scope.TEAM, TeamRole.TEACHER, TeamRole.LEADER),
    Action.GIVE_POINTS: _rule(Scope.TEAM, TeamRole.TEACHER, TeamRole.LEADER),
    Action.SEE_TEAM_LEADERBOARDS: _rule(Scope.ORGANIZATION, StaffRole.OWNER, StaffRole.ADMIN),
    Action.SEE_SCHOOL_CLASSES: _rule(Scope.ORGANIZATION, StaffRole.OWNER, StaffRole.ADMIN),
}

# The team roles that manage a team (its teachers and leaders): not ranked on its boards.
TEAM_MANAGERS = frozenset(str(role) for role in RULES[Action.MANAGE_TEAM].roles)


def allowed(action: Action, viewer: Viewer, role: str | None = None) -> bool:
    """`role` is the viewer's role in the action's scope (platform roles come with the
    viewer)."""
    if viewer.id is None:
        return False
    rule = RULES[action]
    held = viewer.role if rule.scope is Scope.PLATFORM else role
    return held in rule.roles


def require(action: Action, viewer: Viewer, role: str | None = None) -> str:
    """The viewer's id when the rule allows the action, else a PermissionDenied."""
    if viewer.id is None:
        raise Unauthenticated()
    if not allowed(action, viewer, role):
        raise PermissionDenied(
            f"You may not {action.value}.", reason=PermissionReason.ACTION_NOT_ALLOWED
        )
    return viewer.id


def signed_in(viewer: Viewer) -> str:
    if viewer.id is None:
        raise Unauthenticated()
    return viewer.id


async def require_staff(conn: AsyncConnection, viewer: Viewer, org_id: str, action: Action) -> str:
    """Like `require`, with the viewer's staff role in the organisation looked up."""
    if await issuers.organization(conn, org_id) is None:
        raise NotFound("No such organisation.", reason=OrganizationReason.ORGANIZATION_NOT_FOUND)
    role = await issuers.staff_role(conn, org_id, viewer.id) if viewer.id else None
    return require(action, viewer, role)
