"""The composition root of the domain: every service wired once, on shared stores."""

from dataclasses import dataclass, field

from odznaka_graph.catch_ups import CatchUpLimit
from odznaka_graph.mail.events import mail_handler
from odznaka_graph.pubsub import PubSub
from odznaka_graph.services.account_erasure import AccountErasureService
from odznaka_graph.services.account_lifecycle import AccountLifecycleService
from odznaka_graph.services.account_merges import AccountMergeService
from odznaka_graph.services.accounts import AccountService
from odznaka_graph.services.awards import AwardService
from odznaka_graph.services.badge_requests import BadgeRequestService
from odznaka_graph.services.badges import BadgeService
from odznaka_graph.services.base import Stores
from odznaka_graph.services.bulk_awards import BulkAwardService
from odznaka_graph.services.challenge_changes import ChallengeChanges
from odznaka_graph.services.challenge_completion import ChallengeCompletion
from odznaka_graph.services.challenges import ChallengeService
from odznaka_graph.services.check_ins import CheckIns
from odznaka_graph.services.club_moderation import ClubModeration
from odznaka_graph.services.clubs import ClubService
from odznaka_graph.services.data_export import DataExportService
from odznaka_graph.services.events import EventService
from odznaka_graph.services.gamification import GamificationService
from odznaka_graph.services.guardians import GuardianService
from odznaka_graph.services.house_cleanup import house_cleanup
from odznaka_graph.services.houses import HouseService
from odznaka_graph.services.images import ImageService
from odznaka_graph.services.imports import ImportService
from odznaka_graph.services.leaderboards import LeaderboardService
from odznaka_graph.services.mail_preferences import MailPreferenceService
from odznaka_graph.services.notifications import NotificationService, notification_service
from odznaka_graph.services.organizations import OrganizationService
from odznaka_graph.services.paths import PathService, team_and_path_services
from odznaka_graph.services.peer_awards import PeerAwardService
from odznaka_graph.services.profiles import ProfileService
from odznaka_graph.services.pupils import PupilService
from odznaka_graph.services.reports import ReportService  # issue 15, reports
from odznaka_graph.services.signed_credentials import SignedCredentialService
from odznaka_graph.services.social import SocialService
from odznaka_graph.services.teacher_points import TeacherPoints
from odznaka_graph.services.teams import TeamService
from odznaka_graph.wallet.issuance import WalletService
from odznaka_graph.wallet.presentation_flows import WalletPresentations
from odznaka_graph.wallet.presentations import PresentationService


@dataclass
class Services:
    stores: Stores
    pubsub: PubSub
    accounts: AccountService
    organizations: OrganizationService
    badges: BadgeService
    awards: AwardService
    bulk_awards: BulkAwardService
    events: EventService
    profiles: ProfileService
    clubs: ClubService
    peer_awards: PeerAwardService
    teams: TeamService
    paths: PathService
    social: SocialService
    imports: ImportService
    notifications: NotificationService
    challenges: ChallengeService
    teacher_points: TeacherPoints  # points given by hand (issue 15)
    challenge_changes: ChallengeChanges = field(init=False)  # edit or cancel (issue 15)
    check_ins: CheckIns = field(init=False)  # self check-in at events (issue 15)
    leaderboards: LeaderboardService
    signed_credentials: SignedCredentialService
    gamification: GamificationService  # communities (issue 12): points settings
    # Mail and the account lifecycle (issue 14).
    mail_preferences: MailPreferenceService = field(init=False)
    lifecycle: AccountLifecycleService = field(init=False)
    data_export: DataExportService = field(init=False)
    wallet: WalletService = field(init=False)  # OpenID4VCI issuance (issue 16)
    wallet_presentations: WalletPresentations = field(init=False)  # OpenID4VP (issue 16)
    erasure: AccountErasureService = field(init=False)  # deleteMyAccount (issue 14)
    merges: AccountMergeService = field(init=False)  # mergeAccounts (issue 14)
    # Pupils and guardians (issue 15).
    pupils: PupilService = field(init=False)
    guardians: GuardianService = field(init=False)
    club_moderation: ClubModeration = field(init=False)
    catch_ups: CatchUpLimit = field(init=False)  # live `since:` (issue 17)
    images: ImageService = field(init=False)  # uploads (issue 15)
    badge_requests: BadgeRequestService = field(init=False)  # issue 15
    houses: HouseService = field(init=False)  # houses within a class (issue 15)
    reports: ReportService = field(init=False)  # issue 15, reports

    def __post_init__(self) -> None:
        self.challenge_changes = ChallengeChanges(self.stores, self.teams, self.challenges)
        self.check_ins = CheckIns(self.stores, self.events)
        self.pupils = PupilService(self.stores, self.accounts, self.teams)
        self.guardians = GuardianService(self.stores, self.teams)
        self.club_moderation = ClubModeration(self.stores, self.clubs)
        settings = self.stores.settings  # the limit is shared through Redis when set
        self.catch_ups = CatchUpLimit(
            settings.catch_up_max_per_minute, redis_url=settings.redis_url
        )
        self.mail_preferences = MailPreferenceService(self.stores)
        self.lifecycle = AccountLifecycleService(self.stores, self.accounts)
        self.data_export = DataExportService(self.stores)
        self.wallet = WalletService(self.stores)
        self.wallet_presentations = WalletPresentations(
            PresentationService(self.stores), self.accounts, self.events, self.wallet
        )
        self.erasure = AccountErasureService(self.stores)
        self.merges = AccountMergeService(self.stores, self.erasure)
        self.images = ImageService(self.stores)
        self.badge_requests = BadgeRequestService(self.stores)
        self.houses = HouseService(self.stores, self.teams)
        self.reports = ReportService(self.stores)


def build_services(stores: Stores, pubsub: PubSub) -> Services:
    teams, paths = team_and_path_services(stores)
    # Event handlers (effects.py) register here, or in the service that owns them: one line.
    stores.projector.effects.register(ChallengeCompletion(stores).handler())
    stores.projector.effects.register(mail_handler())
    stores.projector.effects.register(house_cleanup())  # houses (issue 15)
    return Services(
        stores=stores,
        pubsub=pubsub,
        accounts=AccountService(stores),
        organizations=OrganizationService(stores),
        badges=BadgeService(stores),
        awards=AwardService(stores),
        bulk_awards=BulkAwardService(stores),
        events=EventService(stores, BulkAwardService(stores)),
        profiles=ProfileService(stores),
        clubs=ClubService(stores),
        peer_awards=PeerAwardService(stores),
        teams=teams,
        paths=paths,
        social=SocialService(stores),
        imports=ImportService(stores),
        notifications=notification_service(stores),
        challenges=ChallengeService(stores, teams),
        teacher_points=TeacherPoints(stores, teams),
        leaderboards=LeaderboardService(stores),
        signed_credentials=SignedCredentialService(stores),
        gamification=GamificationService(stores),
    )
