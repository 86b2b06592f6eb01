"""Live activity in a team or club, and leaderboard changes, as subscriptions deliver them."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.pubsub import LiveEvent
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.args import described
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.check_ins import EventAttendance, attendance_of
from odznaka_graph.schema.clubs import Club
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.gamification import PointReason
from odznaka_graph.schema.leaderboards import Leaderboard, LeaderboardWindow, board
from odznaka_graph.schema.peer_awards import Nomination
from odznaka_graph.schema.person import visible_user
from odznaka_graph.schema.teams import Team, TeamRoleEnum
from odznaka_graph.services import club_reads, peer_award_reads, team_reads
from odznaka_graph.services.activity_reads import ATTENDANCE_TOPICS, MEMBER_FIELDS
from odznaka_graph.services.leaderboards import BoardWindow
from odznaka_graph.vocabulary import TeamRole


@describe_values(
    AWARD_RECEIVED="A member received a credential.",
    AWARD_REVOKED="A member's credential was revoked.",
    MEMBER_JOINED="Someone joined.",
    MEMBER_ADDED="A teacher or leader added someone.",
    MEMBER_ROLE_CHANGED="A member's role changed.",
    MEMBER_LEFT="Someone left.",
    MEMBER_REMOVED="Someone was removed.",
    POINTS_RECORDED="A member's points changed.",
    CHALLENGE_CREATED="A challenge was set.",
    CHALLENGE_COMPLETED="A member completed a challenge.",
    NOMINATED="A member was nominated for a peer badge.",
    VOUCHED="Someone vouched for a nomination.",
    PEER_BADGE_CREATED="A peer badge was created.",
    EVENT_ATTENDANCE="Someone registered for, withdrew from or checked in at one of the "
    "team's events, or attendance was confirmed (to its teachers and leaders only).",
)
@strawberry.enum(description="What happened in a team or club.")
class ActivityKind(Enum):
    AWARD_RECEIVED = "AWARD_RECEIVED"
    AWARD_REVOKED = "AWARD_REVOKED"
    MEMBER_JOINED = "MEMBER_JOINED"
    MEMBER_ADDED = "MEMBER_ADDED"
    MEMBER_ROLE_CHANGED = "MEMBER_ROLE_CHANGED"
    MEMBER_LEFT = "MEMBER_LEFT"
    MEMBER_REMOVED = "MEMBER_REMOVED"
    POINTS_RECORDED = "POINTS_RECORDED"
    CHALLENGE_CREATED = "CHALLENGE_CREATED"
    CHALLENGE_COMPLETED = "CHALLENGE_COMPLETED"
    NOMINATED = "NOMINATED"
    VOUCHED = "VOUCHED"
    PEER_BADGE_CREATED = "PEER_BADGE_CREATED"
    EVENT_ATTENDANCE = "EVENT_ATTENDANCE"


_AWARDS = {
    "award.issued": ActivityKind.AWARD_RECEIVED,
    "award.claimed": ActivityKind.AWARD_RECEIVED,
    "award.revoked": ActivityKind.AWARD_REVOKED,
}
TEAM_KINDS = (
    _AWARDS
    | {
        "team.member_joined": ActivityKind.MEMBER_JOINED,
        "team.member_added": ActivityKind.MEMBER_ADDED,
        "team.member_changed": ActivityKind.MEMBER_ROLE_CHANGED,
        "team.member_left": ActivityKind.MEMBER_LEFT,
        "team.member_removed": ActivityKind.MEMBER_REMOVED,
        "points.recorded": ActivityKind.POINTS_RECORDED,
        "challenge.created": ActivityKind.CHALLENGE_CREATED,
        "challenge.completed": ActivityKind.CHALLENGE_COMPLETED,
    }
    | dict.fromkeys(ATTENDANCE_TOPICS, ActivityKind.EVENT_ATTENDANCE)
)
CLUB_KINDS = _AWARDS | {
    "club.member_joined": ActivityKind.MEMBER_JOINED,
    "club.member_approved": ActivityKind.MEMBER_JOINED,
    "club.role_set": ActivityKind.MEMBER_ROLE_CHANGED,
    "club.member_left": ActivityKind.MEMBER_LEFT,
    "club.member_removed": ActivityKind.MEMBER_REMOVED,
    "peer.nominated": ActivityKind.NOMINATED,
    "peer.vouched": ActivityKind.VOUCHED,
    "badge.peer_created": ActivityKind.PEER_BADGE_CREATED,
}
# Payload fields naming whom an event is about, and who did it, first match wins.
ACTOR_FIELDS = ("actorId", "awardedBy")


@dataclass(frozen=True)
class ActivityItem:
    event: LiveEvent
    kind: ActivityKind
    award: "Award | None" = None  # an award event's award, already checked as visible


def _first(item: ActivityItem, fields: tuple[str, ...]) -> str | None:
    return next((item.event.payload[f] for f in fields if item.event.payload.get(f)), None)


@strawberry.interface(description="One thing that happened in a team or club.")
class Activity:
    item: strawberry.Private[ActivityItem]

    @field(description="The id of the event: the same on every instance and resend.")
    def event_id(self) -> strawberry.ID:
        return strawberry.ID(self.item.event.event_id)

    @field(description="When it happened.")
    def at(self) -> datetime:
        return self.item.event.at

    @field(
        description="Where this item stands in the stream: subscribe again with "
        "`since` set to the last one you received to get what you missed first."
    )
    def sequence(self) -> int | None:
        return self.item.event.sequence

    @field(description="What happened.")
    def kind(self) -> ActivityKind:
        return self.item.kind

    @field(description="Whom it is about; null when their profile is hidden from you.")
    async def member(self, info: Info) -> User | None:
        if self.item.award is not None and self.item.award.record.recipient_id:
            return await visible_user(info, self.item.award.record.recipient_id)
        return await visible_user(info, _first(self.item, MEMBER_FIELDS))

    @field(description="Who did it (awarded, added, nominated), when known and visible.")
    async def actor(self, info: Info) -> User | None:
        return await visible_user(info, _first(self.item, ACTOR_FIELDS))

    @field(
        description="The award, for AWARD_RECEIVED and AWARD_REVOKED (only awards you may see "
        "are delivered at all)."
    )
    def award(self) -> Award | None:
        return self.item.award


@strawberry.type(description="Something that happened in a team or class.")
class TeamActivity(Activity):
    team_id: strawberry.Private[str]

    @field(description="The team; null once you are no longer its member.")
    async def team(self, info: Info) -> Team | None:
        record = await team_reads.team(info.context.loaders, self.team_id)
        return Team(record=record) if record is not None else None

    @field(description="Points recorded (POINTS_RECORDED) or rewarded by a challenge.")
    def points(self) -> int | None:
        payload = self.item.event.payload
        value = payload.get("amount", payload.get("rewardPoints"))
        return int(value) if value is not None else None

    @field(description="Why the points were recorded, for POINTS_RECORDED.")
    def reason(self) -> PointReason | None:
        reason = self.item.event.payload.get("reason")
        known = {kind.value for kind in PointReason}
        return PointReason(reason) if reason in known else None

    @field(description="The member's role, for MEMBER_ADDED and MEMBER_ROLE_CHANGED.")
    def role(self) -> TeamRoleEnum | None:
        role = self.item.event.payload.get("role")
        return TeamRole(role) if role else None

    @field(description="The challenge, for CHALLENGE_CREATED and CHALLENGE_COMPLETED.")
    def challenge_id(self) -> strawberry.ID | None:
        return _challenge_id(self.item.event)

    @field(description="The event's attendance counts after the change, for EVENT_ATTENDANCE.")
    def attendance(self) -> EventAttendance | None:
        if self.item.kind is not ActivityKind.EVENT_ATTENDANCE:
            return None
        return attendance_of(self.item.event)


@strawberry.type(description="Something that happened in a club.")
class ClubActivity(Activity):
    club_id: strawberry.Private[str]

    @field(description="The club; null once you may no longer see it.")
    async def club(self, info: Info) -> Club | None:
        record = await club_reads.club(info.context.loaders, self.club_id)
        return Club(record=record) if record is not None else None

    @field(description="The nomination, for NOMINATED and VOUCHED.")
    async def nomination(self, info: Info) -> Nomination | None:
        if not self.item.event.topic.startswith("peer."):
            return None
        nomination_id = self.item.event.payload["id"]
        record = await peer_award_reads.nomination(info.context.loaders, nomination_id)
        return Nomination(record=record) if record is not None else None

    @field(description="The peer badge it is about, when visible to you.")
    async def badge(self, info: Info) -> Badge | None:
        payload = self.item.event.payload
        badge_id = payload["id"] if self.item.event.topic == "badge.peer_created" else None
        if self.item.award is not None:
            badge_id = self.item.award.record.badge_id
        badge_id = badge_id or payload.get("badgeId")
        record = await info.context.loaders.visibility.badge(badge_id) if badge_id else None
        return Badge(record=record) if record is not None else None


@strawberry.type(
    description="A team's leaderboard may have moved: points were recorded, a challenge "
    "completed, or a member earned, lost, joined or left. Changes arriving together are "
    "delivered as one."
)
class LeaderboardChange:
    event_id: strawberry.ID = strawberry.field(
        description="The id of the (last) event that moved it, to drop duplicates."
    )
    at: datetime = strawberry.field(description="When that event happened.")
    team_id: strawberry.Private[str]
    challenge: strawberry.Private[str | None]

    @field(description="The team.")
    async def team(self, info: Info) -> Team | None:
        record = await team_reads.team(info.context.loaders, self.team_id)
        return Team(record=record) if record is not None else None

    @field(
        description="The challenge whose leaderboard this is (the one subscribed to); null "
        "for the team's own leaderboard."
    )
    def challenge_id(self) -> strawberry.ID | None:
        return strawberry.ID(to_global("Challenge", self.challenge)) if self.challenge else None

    @field(
        description="The leaderboard as it stands now (read when asked for: one read per "
        "subscriber that selects it). The team's board in the given window, or the "
        "challenge's board."
    )
    async def leaderboard(
        self,
        info: Info,
        window: Annotated[
            LeaderboardWindow, described("The time points count in.")
        ] = LeaderboardWindow.ALL_TIME,
    ) -> Leaderboard:
        return await board(info, self.team_id, self.challenge, BoardWindow(window.name))


def _challenge_id(event: LiveEvent) -> strawberry.ID | None:
    if not event.topic.startswith("challenge."):
        return None
    local = event.payload.get("challengeId") or event.payload.get("id")
    return strawberry.ID(to_global("Challenge", local)) if local else None
