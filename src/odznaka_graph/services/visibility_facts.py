"""The visibility rules over facts a planned query read (planner/): the same rules as
for records (services/visibility.py), so a planned read and a field-by-field read of the
same thing always agree. Each `*Facts` is built from the list the query returns, in the
order `planner/facts.py` reads it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import (
    audience_of,
    can_see_badge,
    can_see_profile,
    can_see_section,
)

SECTIONS = ("awards", "skills", "featured", "contacts")


@dataclass(frozen=True)
class ProfileFacts:
    id: str
    visibility: str
    sections: Mapping[str, str]
    featured_award_ids: Sequence[str]
    blocks_viewer: bool
    is_contact: bool
    guarded: bool = False  # a pupil under 16 without a guardian's consent
    hidden: bool = False  # hidden by a moderator (issue 15, reports)

    @classmethod
    def of(cls, row: Sequence[Any]) -> "ProfileFacts":
        user_id, visibility, *levels, featured, blocks, contact, guarded, hidden = row
        return cls(
            user_id,
            visibility or "PUBLIC",
            {s: level or "PUBLIC" for s, level in zip(SECTIONS, levels, strict=True)},
            list(featured or []),
            bool(blocks),
            bool(contact),
            bool(guarded),
            bool(hidden),
        )


def profile_shown(viewer: Viewer, facts: ProfileFacts) -> bool:
    """As `Visibility.profile_visible`."""
    return can_see_profile(viewer, facts, facts.is_contact, facts.blocks_viewer)


def section_shown(viewer: Viewer, facts: ProfileFacts, section: str) -> bool:
    """As `Visibility.sees_section`."""
    if facts.blocks_viewer:
        return False
    return can_see_section(audience_of(viewer, facts, facts.is_contact), facts, section)


@dataclass(frozen=True)
class BadgeFacts:
    status: str
    visibility: str
    club_id: str | None
    organization_id: str | None
    club_role: str | None = field(default=None)
    hidden: bool = False  # hidden by a moderator (issue 15, reports)

    @classmethod
    def of(cls, row: Sequence[Any]) -> "BadgeFacts":
        status, visibility, club_id, organization_id, club_role, hidden = row
        return cls(status, visibility or "PUBLIC", club_id, organization_id, club_role, hidden)


def badge_public(facts: BadgeFacts) -> bool:
    """Shown to anyone: no need to know the viewer's roles."""
    return can_see_badge(Viewer(), facts, {})


def badge_shown(viewer: Viewer, facts: BadgeFacts, staff_roles: dict[str, str]) -> bool:
    """As `Visibility.badge`, the viewer's roles in organisations known."""
    return can_see_badge(viewer, facts, staff_roles, facts.club_role)
