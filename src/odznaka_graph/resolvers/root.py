"""The root types, merged from each domain's queries and mutations."""

from strawberry.tools import merge_types

from odznaka_graph.resolvers.accounts import AccountMutations, AccountQueries
from odznaka_graph.resolvers.awards import AwardMutations
from odznaka_graph.resolvers.badges import BadgeMutations, BadgeQueries
from odznaka_graph.resolvers.catalogue import CatalogueQueries
from odznaka_graph.resolvers.nodes import NodeQueries
from odznaka_graph.resolvers.organizations import OrganizationMutations, OrganizationQueries
from odznaka_graph.resolvers.subscriptions import Subscription

Query = merge_types(
    "Query",
    (
        AccountQueries,
        NodeQueries,
        BadgeQueries,
        CatalogueQueries,
        OrganizationQueries,
    ),
)
Mutation = merge_types(
    "Mutation", (AccountMutations, OrganizationMutations, BadgeMutations, AwardMutations)
)

__all__ = ["Mutation", "Query", "Subscription"]
