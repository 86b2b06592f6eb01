"""The permission table: every rule allowed for the roles it names, refused for the rest."""

import pytest

from odznaka_graph.errors import PermissionDenied, Unauthenticated
from odznaka_graph.services.permissions import RULES, Action, allowed, require
from odznaka_graph.services.tokens import ANONYMOUS, Viewer
from odznaka_graph.vocabulary import StaffRole

USER = Viewer("u1", "USER")
REVIEWER = Viewer("r1", "REVIEWER")
CASES = [
    (action, role, role in roles)
    for action, roles in RULES.items()
    if roles is not None
    for role in [*StaffRole, None]
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_staff_rules(action: Action, role: StaffRole | None, expected: bool) -> None:
    assert allowed(action, USER, role) is expected
    assert allowed(action, ANONYMOUS, role) is False


def test_the_table_says_what_each_role_may_do() -> None:
    may = {action: sorted(roles or ["REVIEWER"]) for action, roles in RULES.items()}
    assert may == {
        Action.MANAGE_ORGANIZATION: ["ADMIN", "OWNER"],
        Action.EDIT_BADGES: ["ADMIN", "ISSUER", "OWNER"],
        Action.AWARD_BADGES: ["ADMIN", "ISSUER", "OWNER"],
        Action.REVIEW: ["REVIEWER"],
    }


def test_review_is_for_platform_reviewers_only() -> None:
    assert require(Action.REVIEW, REVIEWER) == "r1"
    with pytest.raises(PermissionDenied):
        require(Action.REVIEW, USER, StaffRole.OWNER)
    with pytest.raises(Unauthenticated):
        require(Action.REVIEW, ANONYMOUS)
