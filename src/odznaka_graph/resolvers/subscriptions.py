"""Live updates over graphql-transport-ws.

Every item carries the id of the outbox event behind it (`eventId`, or the award's own id),
so a client that resubscribes can drop what it has seen. A subscriber that falls behind is
ended with SUBSCRIBER_TOO_SLOW. After pub/sub was away, `notifications` reads what it
missed from the store; every other stream ends with LIVE_GAP (subscribe again, with `since`
where the stream takes it). A team or club stream is refused to non-members (NOT_FOUND or
FORBIDDEN) and completes after delivering the event that ended the subscriber's membership.
"""

from collections.abc import AsyncGenerator
from functools import partial
from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.live_sharing import audience, shared_root
from odznaka_graph.pubsub import Recent, decode, user_channel
from odznaka_graph.resolvers import activity, event_live, wallet, wallet_presentations
from odznaka_graph.resolvers.live import listening, signed_in
from odznaka_graph.schema.activity import ClubActivity, LeaderboardChange, TeamActivity
from odznaka_graph.schema.args import ChallengeId, TeamId, described
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.check_ins import EventAttendance
from odznaka_graph.schema.decorators import subscription
from odznaka_graph.schema.notifications import Notification
from odznaka_graph.schema.wallet import CredentialIssued
from odznaka_graph.schema.wallet_presentations import WalletSignInResult
from odznaka_graph.services import award_reads

AWARD_TOPICS = ("award.issued", "award.claimed")


Since = Annotated[
    int | None,
    described(
        "The `sequence` of the last item you received: what the stream carried since (while "
        "you were away) comes first, then live items, each once."
    ),
]


@strawberry.type(
    description="Live streams over WebSocket (graphql-transport-ws at /graphql); each ends "
    "when the viewer may no longer see what it streams."
)
class Subscription:
    @subscription(description="Credentials awarded to the signed-in user.")
    async def award_received(self, info: Info) -> AsyncGenerator[Award, None]:
        recent = Recent()
        async with listening(info, user_channel(signed_in(info))) as listener:
            async for message in listener:
                event = decode(message)
                if event["topic"] not in AWARD_TOPICS:
                    continue  # the user's channel carries their notifications too
                if not recent.first_time(event["eventId"]):
                    continue  # delivered twice (by two instances)
                award = await shared_root(
                    message, ("award", audience(info.context)), partial(_award, info, event)
                )
                if award is not None:
                    yield award

    @subscription(
        description="What happens in one of your teams or classes: awards to members (those "
        "you may see), points, challenges, members joining, added, leaving, removed. Members "
        "only; completes after the event that ends your own membership."
    )
    async def team_activity(
        self, info: Info, team_id: TeamId, since: Since = None
    ) -> AsyncGenerator[TeamActivity, None]:
        async for item in activity.team_activity(info, team_id, since):
            yield item

    @subscription(
        description="What happens in one of your clubs: nominations, vouches, peer badges and "
        "peer awards, members joining and leaving. Members only; completes after the event "
        "that ends your own membership."
    )
    async def club_activity(
        self,
        info: Info,
        club_id: Annotated[strawberry.ID, described("The club (its global id).")],
        since: Since = None,
    ) -> AsyncGenerator[ClubActivity, None]:
        async for item in activity.club_activity(info, club_id, since):
            yield item

    @subscription(
        description="A team's leaderboard (or a challenge's, with challengeId) may have moved: "
        "refetch it. Members only; completes when your membership ends."
    )
    async def leaderboard_changed(
        self, info: Info, team_id: TeamId, challenge_id: ChallengeId = None
    ) -> AsyncGenerator[LeaderboardChange, None]:
        async for change in activity.leaderboard_changes(info, team_id, challenge_id):
            yield change

    @subscription(
        description="An event's attendance counts after each change (registration, check-in, "
        "confirmation, cancellation), live. The host's staff only (an organisation's staff, a "
        "team's teachers and leaders, a club's owners and moderators)."
    )
    async def event_attendance(
        self,
        info: Info,
        event_id: Annotated[strawberry.ID, described("The event (its global id).")],
    ) -> AsyncGenerator[EventAttendance, None]:
        async for item in event_live.event_attendance(info, event_id):
            yield item

    @subscription(description="Your new notifications, as they are made.")
    async def notifications(
        self,
        info: Info,
        since: Annotated[
            int | None,
            strawberry.argument(
                description="The `sequence` of the last notification you received: those "
                "made since (while you were away) come first, then live ones, each once."
            ),
        ] = None,
    ) -> AsyncGenerator[Notification, None]:
        async for notification in activity.notifications(info, since):
            yield notification

    @subscription(description="Your credentials as wallets pick them up (issue 16).")
    async def credential_issued(self, info: Info) -> AsyncGenerator[CredentialIssued, None]:
        async for item in wallet.credential_issued(info):
            yield item

    @subscription(description="How a wallet sign-in request ended, once (issue 16).")
    async def wallet_sign_in_result(
        self, info: Info, request_id: wallet_presentations.RequestId
    ) -> AsyncGenerator[WalletSignInResult, None]:
        async for item in wallet_presentations.wallet_sign_in_results(info, request_id):
            yield item


async def _award(info: Info, event: dict[str, Any]) -> Award | None:
    return _issued(event) or await _read(info, event["payload"]["id"])


def _issued(event: dict[str, Any]) -> Award | None:
    """A newly issued award carries all it is in the event: no read per subscriber."""
    if event["topic"] != "award.issued":
        return None
    return Award(record=award_reads.issued_award(event["payload"]))


async def _read(info: Info, award_id: str) -> Award | None:
    record = await award_reads.fresh_award(info.context.loaders, award_id)
    return Award(record=record) if record is not None else None
