"""Every planned type's field rules, by GraphQL type name."""

from collections.abc import Mapping

from odznaka_graph.planner import catalogue, leaderboards, paths, profiles
from odznaka_graph.planner.plan import Rule


def _merged(*parts: Mapping[str, Mapping[str, Rule]]) -> dict[str, dict[str, Rule]]:
    merged: dict[str, dict[str, Rule]] = {}
    for part in parts:
        for type_name, rules in part.items():
            merged.setdefault(type_name, {}).update(rules)
    return merged


RULES = _merged(profiles.RULES, catalogue.RULES, paths.RULES, leaderboards.RULES)
