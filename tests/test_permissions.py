"""The permission table: every rule allowed for the roles it names, refused for the rest."""

import pytest

from odznaka_graph.errors import PermissionDenied, Unauthenticated
from odznaka_graph.services.permissions import (
    RULES,
    SCOPE_ROLES,
    Action,
    Scope,
    allowed,
    require,
)
from odznaka_graph.services.tokens import ANONYMOUS, Viewer

CASES = [
    (action, role, role in rule.roles)
    for action, rule in RULES.items()
    for role in [*SCOPE_ROLES[rule.scope], None]
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_every_rule_allows_its_roles_and_refuses_the_rest(
    action: Action, role: str | None, expected: bool
) -> None:
    if RULES[action].scope is Scope.PLATFORM:
        viewer = Viewer("u1", role or "USER")
        assert allowed(action, viewer) is expected
    else:
        assert allowed(action, Viewer("u1", "USER"), role) is expected
        assert allowed(action, Viewer("r1", "REVIEWER"), None) is False
    assert allowed(action, ANONYMOUS, role) is False


def test_the_table_says_what_each_role_may_do() -> None:
    may = {action: (rule.scope, sorted(rule.roles)) for action, rule in RULES.items()}
    assert may[Action.MANAGE_ORGANIZATION] == (Scope.ORGANIZATION, ["ADMIN", "OWNER"])
    assert may[Action.EDIT_BADGES] == (Scope.ORGANIZATION, ["ADMIN", "ISSUER", "OWNER"])
    assert may[Action.AWARD_BADGES] == (Scope.ORGANIZATION, ["ADMIN", "ISSUER", "OWNER"])
    assert may[Action.REVIEW] == (Scope.PLATFORM, ["REVIEWER"])
    assert may[Action.MANAGE_CLUB] == (Scope.CLUB, ["OWNER"])
    assert may[Action.APPROVE_CLUB_MEMBERS] == (Scope.CLUB, ["MODERATOR", "OWNER"])
    assert may[Action.INVITE_TO_CLUB] == (Scope.CLUB, ["MODERATOR", "OWNER"])
    assert may[Action.ACT_IN_CLUB] == (Scope.CLUB, ["MEMBER", "MODERATOR", "OWNER"])
    assert may[Action.CREATE_PEER_BADGES] == (Scope.CLUB, ["MEMBER", "MODERATOR", "OWNER"])
    assert may[Action.NOMINATE] == (Scope.CLUB, ["MEMBER", "MODERATOR", "OWNER"])
    assert may[Action.VOUCH] == (Scope.CLUB, ["MEMBER", "MODERATOR", "OWNER"])
    assert may[Action.REVOKE_PEER_AWARDS] == (Scope.CLUB, ["MODERATOR", "OWNER"])
    assert may[Action.CREATE_TEAM] == (Scope.ORGANIZATION, ["ADMIN", "ISSUER", "OWNER"])
    assert may[Action.MANAGE_TEAM] == (Scope.TEAM, ["LEADER", "TEACHER"])
    assert may[Action.SEE_TEAM] == (Scope.TEAM, ["LEADER", "MEMBER", "STUDENT", "TEACHER"])
    assert may[Action.SEE_TEAM_PROGRESS] == (Scope.TEAM, ["LEADER", "TEACHER"])
    assert may[Action.EDIT_ORGANIZATION_PATHS] == (
        Scope.ORGANIZATION,
        ["ADMIN", "ISSUER", "OWNER"],
    )
    assert may[Action.SEE_ORGANIZATION_PATHS] == (
        Scope.ORGANIZATION,
        ["ADMIN", "ISSUER", "OWNER"],
    )
    assert may[Action.CREATE_CHALLENGE] == (Scope.TEAM, ["LEADER", "TEACHER"])
    assert may[Action.SEE_TEAM_LEADERBOARDS] == (Scope.ORGANIZATION, ["ADMIN", "OWNER"])


def test_every_rule_names_roles_of_its_own_scope() -> None:
    for action, rule in RULES.items():
        assert rule.roles <= set(SCOPE_ROLES[rule.scope]), action


def test_refusals_raise_typed_errors() -> None:
    assert require(Action.REVIEW, Viewer("r1", "REVIEWER")) == "r1"
    with pytest.raises(PermissionDenied):
        require(Action.REVIEW, Viewer("u1", "USER"), "OWNER")
    with pytest.raises(Unauthenticated):
        require(Action.REVIEW, ANONYMOUS)
