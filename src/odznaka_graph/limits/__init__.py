"""Limits on GraphQL documents: tokens, depth, aliases and cost, measured in linear time."""

from odznaka_graph.limits.extensions import CostLimit, QuietParserCache, TokenLimit, limit_rules
from odznaka_graph.limits.measure import Measure, Pages, Walker

__all__ = [
    "CostLimit",
    "Measure",
    "Pages",
    "QuietParserCache",
    "TokenLimit",
    "Walker",
    "limit_rules",
]
