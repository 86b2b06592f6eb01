"""Read rules: who sees which record. Pure functions over records and the viewer."""

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.events import EventRecord
from odznaka_graph.graph_model.paths import PathRecord, Readers
from odznaka_graph.graph_model.teams import TeamRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.services.permissions import RULES, Action, allowed
from odznaka_graph.services.tokens import Viewer

PUBLIC_BADGE_STATES = {"PUBLISHED", "ARCHIVED"}


class ProfileSettings(Protocol):
    """What the profile rules read of a person: a `UserRecord`, or the same facts read
    inside a planned query (planner/)."""

    @property
    def id(self) -> str: ...

    @property
    def visibility(self) -> str: ...

    @property
    def sections(self) -> Mapping[str, str]: ...

    @property
    def featured_award_ids(self) -> Sequence[str]: ...

    @property
    def guarded(self) -> bool: ...

    @property
    def hidden(self) -> bool: ...


class BadgeSettings(Protocol):
    """What the badge rule reads of a badge: a `BadgeRecord`, or the same facts."""

    @property
    def status(self) -> str: ...

    @property
    def visibility(self) -> str: ...

    @property
    def club_id(self) -> str | None: ...

    @property
    def organization_id(self) -> str | None: ...

    @property
    def hidden(self) -> bool: ...


def can_see_badge(
    viewer: Viewer, badge: BadgeSettings, staff_roles: dict[str, str], club_role: str | None = None
) -> bool:
    """`club_role` is the viewer's role in a peer badge's club (needed only for the peer
    badges of members-only clubs, which only their members see). A badge hidden by a
    moderator (issue 15, reports) is there for nobody."""
    if badge.hidden:
        return False
    if badge.status in PUBLIC_BADGE_STATES and badge.visibility == "PUBLIC":
        return True
    if badge.club_id is not None:
        return allowed(Action.ACT_IN_CLUB, viewer, club_role)
    return viewer.is_reviewer or badge.organization_id in staff_roles


class Audience(StrEnum):
    """Who looks at a profile, as far as its visibility settings care."""

    OWNER = "OWNER"
    CONTACT = "CONTACT"  # joined to the owner by a CONTACT relationship
    ANYONE = "ANYONE"  # anonymous visitors and signed-in non-contacts


# Profile and section levels, least strict first, and the levels each audience sees.
LEVELS = ("PUBLIC", "CONTACTS", "PRIVATE")
SEES: dict[Audience, frozenset[str]] = {
    Audience.OWNER: frozenset(LEVELS),
    Audience.CONTACT: frozenset({"PUBLIC", "CONTACTS"}),
    Audience.ANYONE: frozenset({"PUBLIC"}),
}


def audience_of(viewer: Viewer, user: ProfileSettings, is_contact: bool) -> Audience:
    if viewer.id is not None and viewer.id == user.id:
        return Audience.OWNER
    return Audience.CONTACT if is_contact and viewer.id is not None else Audience.ANYONE


def contact_matters(user: ProfileSettings) -> bool:
    """Whether being a contact changes anything here (else no need to look it up)."""
    return "CONTACTS" in (profile_level(user), *user.sections.values())


# A pupil under 16 without a guardian's consent (issue 15) is never public, whatever the
# stored setting says (the write side refuses it too): at most their contacts see them.
GUARDED_LEVEL = "CONTACTS"


def profile_level(user: ProfileSettings) -> str:
    if user.guarded:
        return max(user.visibility, GUARDED_LEVEL, key=LEVELS.index)
    return user.visibility


def section_level(user: ProfileSettings, section: str) -> str:
    """A section is never more visible than the profile it is part of."""
    own = user.sections.get(section, "PUBLIC")
    return max(profile_level(user), own, key=LEVELS.index)


def can_see_section(audience: Audience, user: ProfileSettings, section: str) -> bool:
    return section_level(user, section) in SEES[audience]


def can_see_profile(
    viewer: Viewer, user: ProfileSettings, is_contact: bool = False, blocks_viewer: bool = False
) -> bool:
    """Someone who blocks the viewer is not there for the viewer at all; a profile hidden
    by a moderator (issue 15, reports) is there for its owner only."""
    if blocks_viewer:
        return False
    if user.hidden and audience_of(viewer, user, is_contact) is not Audience.OWNER:
        return False
    return profile_level(user) in SEES[audience_of(viewer, user, is_contact)]


def can_suggest_person(is_pupil: bool, shares_group: bool) -> bool:
    """People to follow: a pupil only to those who share a class, team or club with them
    (`graph_model.recommendation_cypher_people.SUGGESTABLE` says the same to Cypher)."""
    return shares_group or not is_pupil


def shows_progress(
    viewer: Viewer, member: ProfileSettings, blocks_viewer: bool, is_contact: bool
) -> bool:
    """A team member's points, ranks and credential events reach the viewer: their own,
    and those of members whose profile shows the viewer their awards (a blocker's never, nor
    one a moderator hid)."""
    if viewer.id is not None and viewer.id == member.id:
        return True
    if blocks_viewer or member.hidden:
        return False
    return can_see_section(audience_of(viewer, member, is_contact), member, "awards")


def can_see_profile_award(audience: Audience, user: ProfileSettings, award_id: str) -> bool:
    """An award shows on its holder's profile with the awards section, or with the
    featured section when the holder features it."""
    if can_see_section(audience, user, "awards"):
        return True
    return award_id in user.featured_award_ids and can_see_section(audience, user, "featured")


def can_see_award(
    viewer: Viewer,
    award: AwardRecord,
    recipient: UserRecord | None,
    issuer_org: str,
    staff_roles: dict[str, str],
    is_contact: bool = False,
) -> bool:
    if viewer.id is not None and viewer.id in (award.recipient_id, award.awarded_by_id):
        return True
    if issuer_org in staff_roles:
        return True
    if recipient is None:
        return False
    return can_see_profile_award(audience_of(viewer, recipient, is_contact), recipient, award.id)


class Reach(StrEnum):
    """How far an award reaches a viewer. HIDDEN: it does not exist for them (a members-
    only club's peer award for outsiders, anything of someone who blocks them); KNOWN: its
    id verifies (dates, status) but neither its content nor its holder is shown; SHOWN."""

    HIDDEN = "HIDDEN"
    KNOWN = "KNOWN"
    SHOWN = "SHOWN"


def award_reach(
    viewer: Viewer,
    award: AwardRecord,
    recipient: UserRecord | None,
    issuer: tuple[str | None, str | None],
    staff_roles: dict[str, str],
    club: ClubRecord | None = None,
    is_contact: bool = False,
    blocks_viewer: bool = False,
) -> Reach:
    """`issuer` is the badge's (organisation id, club id); `club` the peer badge's club,
    with the viewer's role in it (None when the award is not a peer award, or the club is
    gone). An award hidden by a moderator (issue 15, reports) reaches only its holder and
    its giver."""
    if viewer.id is not None and viewer.id in (award.recipient_id, award.awarded_by_id):
        return Reach.SHOWN
    if blocks_viewer or award.hidden:
        return Reach.HIDDEN
    organization_id, club_id = issuer
    if club_id is not None and (club is None or not can_see_club(viewer, club)):
        return Reach.HIDDEN
    org = organization_id or ""
    if can_see_award(viewer, award, recipient, org, staff_roles, is_contact):
        return Reach.SHOWN
    return Reach.KNOWN


def can_see_nomination(viewer: Viewer, club_role: str | None) -> bool:
    """A nomination (its reason, its nominee) is for the members of its club only."""
    return allowed(Action.ACT_IN_CLUB, viewer, club_role)


def club_readers() -> list[str]:
    """The club roles that open a members-only club, for Cypher lists."""
    return sorted(str(role) for role in RULES[Action.ACT_IN_CLUB].roles)


def can_see_event(viewer: Viewer, event: EventRecord) -> bool:
    """An organisation's event is public; a team's or club's is for its members (a class's
    also for the school's admins), as its team or club is. `event_readers` says the same
    to Cypher, for lists."""
    if event.visibility == "PUBLIC":
        return True
    if event.host_type == "Club":
        return allowed(Action.ACT_IN_CLUB, viewer, event.viewer_host_role)
    if allowed(Action.SEE_TEAM, viewer, event.viewer_host_role):
        return True
    return event.host_kind == "CLASS" and allowed(
        Action.SEE_SCHOOL_CLASSES, viewer, event.viewer_school_role
    )


def event_readers() -> dict[str, list[str]]:
    """The roles that open a team's, a class's (school staff) and a club's events."""

    def roles(action: Action) -> list[str]:
        return sorted(str(role) for role in RULES[action].roles)

    return {
        "teamReaders": roles(Action.SEE_TEAM),
        "schoolReaders": roles(Action.SEE_SCHOOL_CLASSES),
        "clubReaders": roles(Action.ACT_IN_CLUB),
    }


def hosts_event(viewer: Viewer, event: EventRecord, staff_roles: dict[str, str]) -> bool:
    """The host's staff: an organisation's staff; a team's teachers and leaders (a class's
    also the school's admins); a club's owners and moderators. They see who registered,
    show the check-in code, confirm attendance and follow the live count."""
    if event.host_type == "Organization":
        return event.host_id in staff_roles
    if event.host_type == "Club":
        return allowed(Action.MODERATE_CLUB, viewer, event.viewer_host_role)
    return manages_class(
        viewer, event.host_kind or "", event.viewer_host_role, event.viewer_school_role
    ) or allowed(Action.MANAGE_TEAM, viewer, event.viewer_host_role)


def can_see_attendees(viewer: Viewer, event: EventRecord, staff_roles: dict[str, str]) -> bool:
    """Who registered for an event is for its host's staff only."""
    return hosts_event(viewer, event, staff_roles)


def can_see_team(viewer: Viewer, team: TeamRecord) -> bool:
    """A team (even its name) is for its members only; a school class also for the
    school's admins."""
    if allowed(Action.SEE_TEAM, viewer, team.viewer_role):
        return True
    return team.kind == "CLASS" and allowed(
        Action.SEE_SCHOOL_CLASSES, viewer, team.viewer_staff_role
    )


def manages_class(viewer: Viewer, kind: str, team_role: str | None, staff_role: str | None) -> bool:
    """A class's pupils (roster, sign-in slips) are its teachers' and the school admins'."""
    if kind != "CLASS":
        return False
    return allowed(Action.MANAGE_TEAM, viewer, team_role) or allowed(
        Action.SEE_SCHOOL_CLASSES, viewer, staff_role
    )


def can_see_path(viewer: Viewer, path: PathRecord) -> bool:
    """Public paths for everyone; a team's private path for its members; an organisation's
    private path for its staff. `path_readers` says the same to Cypher, for lists."""
    if path.visibility == "PUBLIC":
        return True
    if path.visibility == "TEAM":
        return allowed(Action.SEE_TEAM, viewer, path.viewer_team_role)
    return allowed(Action.SEE_ORGANIZATION_PATHS, viewer, path.viewer_staff_role)


def path_readers(viewer_id: str | None) -> Readers:
    """The reader of a path list, with the roles that open team and organisation paths."""
    return Readers(
        viewer_id,
        team_roles=sorted(str(role) for role in RULES[Action.SEE_TEAM].roles),
        staff_roles=sorted(str(role) for role in RULES[Action.SEE_ORGANIZATION_PATHS].roles),
    )


def can_see_club(viewer: Viewer, club: ClubRecord) -> bool:
    """A PUBLIC club for everyone; a members-only club (even its name) for its members. A
    club hidden by a moderator (issue 15, reports) is there for nobody."""
    if club.hidden:
        return False
    return club.visibility == "PUBLIC" or allowed(Action.ACT_IN_CLUB, viewer, club.viewer_role)
