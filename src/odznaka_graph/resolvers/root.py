"""The root types, merged from each domain's queries and mutations."""

from strawberry.tools import merge_types

from odznaka_graph.resolvers.account_lifecycle import (
    AccountLifecycleMutations,
    DataExportMutations,
)
from odznaka_graph.resolvers.accounts import AccountMutations, AccountQueries
from odznaka_graph.resolvers.awards import AwardMutations
from odznaka_graph.resolvers.badge_requests import BadgeRequestMutations, BadgeRequestQueries
from odznaka_graph.resolvers.badges import BadgeMutations, BadgeQueries
from odznaka_graph.resolvers.bulk_awards import BulkAwardMutations
from odznaka_graph.resolvers.catalogue import CatalogueQueries
from odznaka_graph.resolvers.challenges import (
    ChallengeChangeMutations,
    ChallengeMutations,
    ChallengeQueries,
    PointMutations,
)
from odznaka_graph.resolvers.check_ins import CheckInMutations, CheckInQueries
from odznaka_graph.resolvers.club_moderation import ClubModerationMutations
from odznaka_graph.resolvers.clubs import ClubMutations, ClubQueries
from odznaka_graph.resolvers.events import EventMutations, EventQueries
from odznaka_graph.resolvers.external_credentials import ExternalCredentialMutations
from odznaka_graph.resolvers.gamification import GamificationMutations
from odznaka_graph.resolvers.houses import HouseMutations
from odznaka_graph.resolvers.leaderboards import LeaderboardQueries
from odznaka_graph.resolvers.nodes import NodeQueries
from odznaka_graph.resolvers.notifications import NotificationMutations
from odznaka_graph.resolvers.organizations import OrganizationMutations, OrganizationQueries
from odznaka_graph.resolvers.paths import PathMutations, PathQueries
from odznaka_graph.resolvers.peer_awards import PeerAwardMutations
from odznaka_graph.resolvers.profiles import ProfileMutations, ProfileQueries
from odznaka_graph.resolvers.pupils import PupilMutations
from odznaka_graph.resolvers.reports import ReportMutations, ReportQueries  # issue 15
from odznaka_graph.resolvers.reviews import ReviewQueries
from odznaka_graph.resolvers.signed_credentials import SignedCredentialMutations
from odznaka_graph.resolvers.social import SocialMutations
from odznaka_graph.resolvers.subscriptions import Subscription
from odznaka_graph.resolvers.teams import TeamMutations, TeamQueries
from odznaka_graph.resolvers.wallet import WalletMutations
from odznaka_graph.resolvers.wallet_presentations import (
    WalletPresentationMutations,
    WalletPresentationQueries,
)

Query = merge_types(
    "Query",
    (
        AccountQueries,
        NodeQueries,
        BadgeQueries,
        CatalogueQueries,
        OrganizationQueries,
        ReviewQueries,
        ProfileQueries,
        EventQueries,
        ClubQueries,
        TeamQueries,
        PathQueries,
        ChallengeQueries,
        CheckInQueries,  # issue 15
        LeaderboardQueries,
        WalletPresentationQueries,  # issue 16
        BadgeRequestQueries,  # issue 15
        ReportQueries,  # issue 15, reports
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        AccountLifecycleMutations,
        DataExportMutations,
        OrganizationMutations,
        BadgeMutations,
        AwardMutations,
        BulkAwardMutations,
        ProfileMutations,
        EventMutations,
        ClubMutations,
        PeerAwardMutations,
        TeamMutations,
        PathMutations,
        SocialMutations,
        NotificationMutations,
        ExternalCredentialMutations,
        ChallengeMutations,
        ChallengeChangeMutations,
        PointMutations,
        CheckInMutations,  # issue 15
        GamificationMutations,
        SignedCredentialMutations,
        WalletMutations,  # issue 16
        WalletPresentationMutations,  # issue 16
        PupilMutations,  # issue 15
        ClubModerationMutations,  # issue 15
        BadgeRequestMutations,  # issue 15
        HouseMutations,  # issue 15
        ReportMutations,  # issue 15, reports
    ),
)
# merge_types takes no description; the merged types' definitions are given theirs here.
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Reads: the viewer (`me`), profiles, the public catalogue of badges, paths and events, "
    "organisations, clubs, teams, leaderboards and credential checks. What a field shows "
    "depends on who asks (README, Who may do what)."
)
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Changes. Each takes one `input` and answers a union: the success type or a typed error "
    "(MutationError with `code` and `reason`); a refused change changes nothing."
)

__all__ = ["Mutation", "Query", "Subscription"]
