"""The live streams of a team or club, leaderboard changes, and new notifications.

Only members subscribe to a team's or club's stream (a team's TEACHER or LEADER is one):
anyone else is refused with NOT_FOUND (a team, or a members-only club, does not exist for
them) or FORBIDDEN (a public club they have not joined). An award reaches only subscribers
who may see it, through the same read rules as `award(id:)`; people and badges on an item
are read through the usual loaders, fresh for each event.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.fanout import Listener, LiveGap
from odznaka_graph.live_sharing import audience, shared_root
from odznaka_graph.pubsub import (
    LiveEvent,
    Recent,
    club_channel,
    live_event,
    team_channel,
    user_channel,
)
from odznaka_graph.resolvers.live import (
    decoded,
    listening,
    may_catch_up,
    member_bursts,
    membership_ended,
    refresh,
    signed_in,
)
from odznaka_graph.schema.activity import (
    CLUB_KINDS,
    TEAM_KINDS,
    ActivityItem,
    ActivityKind,
    ClubActivity,
    LeaderboardChange,
    TeamActivity,
)
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.notifications import Notification
from odznaka_graph.services import activity_reads, notification_reads
from odznaka_graph.services.notifications import TOPIC, from_message
from odznaka_graph.services.team_reads import TeamAccess

TEAM_ENDINGS = ("team.member_removed", "team.member_left")
CLUB_ENDINGS = ("club.member_removed", "club.member_left")
# What moves a team's leaderboard besides a completed challenge.
MOVES = {
    "points.recorded",
    "award.issued",
    "award.claimed",
    "award.revoked",
    "team.member_joined",
    "team.member_added",
    "team.member_left",
    "team.member_removed",
}
# Leaderboard changes arriving within this many seconds are delivered as one: a teacher's
# bulk award would otherwise make every pupil's screen refetch thirty times.
LEADERBOARD_QUIET = 0.25


async def team_activity(
    info: Info, team_gid: str, since: int | None = None
) -> AsyncIterator[TeamActivity]:
    user_id = signed_in(info)
    team_id = decoded(team_gid, "Team", "teamId")
    channel = team_channel(team_id)

    async def check() -> TeamAccess:
        return await activity_reads.team_member(services.teams, info.context.loaders, team_id)

    services = info.context.services
    ended = membership_ended(user_id, TEAM_ENDINGS)
    caught_up = await _catch_up(info, channel, TEAM_KINDS, since)
    async for burst, access in member_bursts(info, channel, check, ended, missed=caught_up):
        for event in burst:
            if not await activity_reads.shares_progress(info.context.loaders, event, access):
                continue
            if item := await _item(info, event, TEAM_KINDS):
                yield TeamActivity(item=item, team_id=team_id)


async def club_activity(
    info: Info, club_gid: str, since: int | None = None
) -> AsyncIterator[ClubActivity]:
    user_id = signed_in(info)
    club_id = decoded(club_gid, "Club", "clubId")
    channel = club_channel(club_id)

    async def check() -> None:
        await activity_reads.club_member(info.context.services.clubs, info.context.loaders, club_id)

    ended = membership_ended(user_id, CLUB_ENDINGS)
    caught_up = await _catch_up(info, channel, CLUB_KINDS, since)
    async for burst, _ in member_bursts(info, channel, check, ended, missed=caught_up):
        for event in burst:
            if item := await _item(info, event, CLUB_KINDS):
                yield ClubActivity(item=item, club_id=club_id)


async def _catch_up(
    info: Info, channel: str, kinds: dict[str, ActivityKind], since: int | None
) -> Callable[[], Awaitable[list[LiveEvent]]] | None:
    """What the stream carried after `since` (the `sequence` of the last item received)."""
    if since is None:
        return None
    await may_catch_up(info, signed_in(info))
    return partial(activity_reads.missed, info.context.loaders, channel, kinds, since)


async def _item(
    info: Info, event: LiveEvent, kinds: dict[str, ActivityKind]
) -> ActivityItem | None:
    """The event as an activity item, or None when it is not one, or is an award the
    subscriber may not see."""
    kind = kinds.get(event.topic)
    if kind is None:
        return None
    if not event.topic.startswith("award."):
        return ActivityItem(event, kind)
    record = await activity_reads.award(info.context.loaders, event)
    return ActivityItem(event, kind, Award(record=record)) if record is not None else None


async def leaderboard_changes(
    info: Info, team_gid: str, challenge_gid: str | None
) -> AsyncIterator[LeaderboardChange]:
    user_id = signed_in(info)
    team_id = decoded(team_gid, "Team", "teamId")
    challenge = decoded(challenge_gid, "Challenge", "challengeId") if challenge_gid else None

    async def check() -> TeamAccess:
        return await activity_reads.team_member(services.teams, info.context.loaders, team_id)

    services = info.context.services
    ended = membership_ended(user_id, TEAM_ENDINGS)
    channel = team_channel(team_id)
    async for burst, _ in member_bursts(info, channel, check, ended, LEADERBOARD_QUIET):
        moved = [event for event in burst if _moves(event, challenge)]
        if moved and not ended(burst[-1]):
            last = moved[-1]
            yield LeaderboardChange(
                event_id=strawberry.ID(last.event_id),
                at=last.at,
                team_id=team_id,
                challenge=challenge,
            )


def _moves(event: LiveEvent, challenge: str | None) -> bool:
    if event.topic == "challenge.completed":
        return challenge is None or event.payload.get("challengeId") == challenge
    return event.topic in MOVES


async def notifications(info: Info, since: int | None) -> AsyncIterator[Notification]:
    """Live notifications; with `since`, first those pushed after that sequence (read from
    the SQL store, after listening started so nothing falls between), each once. When
    pub/sub was away meanwhile (`LiveGap`), the stream reads what it missed from the store
    itself, after the last sequence it delivered (with none delivered yet, the client is
    told to catch up)."""
    recent = Recent()  # holds more ids than one catch-up delivers (MISSED_MAX)
    user_id = signed_in(info)
    if since is not None:
        await may_catch_up(info, user_id)
    last = since
    async with listening(info, user_channel(user_id)) as listener:
        missed = since is not None
        while True:
            if missed:
                for sequence, record in await notification_reads.missed(
                    info.context.loaders, last or 0
                ):
                    if recent.first_time(record.id):
                        yield Notification(record=record, position=sequence)
            try:
                async for note in _live(info, listener, recent):
                    last = max(last or 0, note.position or 0)
                    yield note
                return
            except LiveGap:
                if last is None:
                    raise
                missed = True


async def _live(info: Info, listener: Listener, recent: Recent) -> AsyncIterator[Notification]:
    async for message in listener:
        event = live_event(message)
        if event.topic != TOPIC:
            continue
        # Dropped by id, never by sequence: on PostgreSQL a lower sequence can commit
        # (and be pushed) after a higher one the catch-up already read.
        if not recent.first_time(str(event.payload.get("id"))):
            continue  # delivered twice (two instances, or caught up already)
        refresh(info)
        note = await shared_root(
            message, ("notification", audience(info.context)), partial(_note, event)
        )
        if note is not None:
            yield note


async def _note(event: LiveEvent) -> Notification:
    return Notification(record=from_message(event.payload), position=event.sequence)
