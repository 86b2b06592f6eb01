"""What the live streams of a team or club may deliver, and to whom: who may subscribe,
whose progress reaches a classmate, which award a subscriber may see. The streams
(resolvers/activity.py) only move events; every decision is here, on the request's
visibility service."""

from collections.abc import Iterable

from odznaka_graph import routing
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.teams import TeamAccess
from odznaka_graph.ledger.journal import projected_after
from odznaka_graph.pubsub import LiveEvent
from odznaka_graph.services.clubs import ClubService
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.permissions import Action, allowed, require
from odznaka_graph.services.teams import TeamService

# Who an event is about (the first of these present in its payload).
MEMBER_FIELDS = ("recipientId", "userId", "accountId", "nomineeId")
# Events telling a member's points or credentials: see shares_progress.
PROGRESS_TOPICS = frozenset(
    {
        "points.recorded",
        "challenge.completed",
        "award.issued",
        "award.claimed",
        "award.revoked",
    }
)

# An event's attendance changes (services/events.attendance_changed), with the counts.
ATTENDANCE_TOPICS = frozenset(
    {
        "event.attendance_registered",
        "event.attendance_cancelled",
        "event.attendance_confirmed",
        "event.checked_in",
    }
)

MISSED_MAX = 200  # events one catch-up delivers; a client resubscribes from the last for more
MISSED_PAGES = 10  # outbox pages of MISSED_MAX read for one catch-up, at most


async def missed(
    loaders: Loaders, channel: str, topics: Iterable[str], since: int
) -> list[LiveEvent]:
    """What the stream `channel` carried after the outbox id `since`, oldest first, routed
    as the live events are (routing.py). Other streams' events are read and passed over, a
    page at a time; past MISSED_PAGES pages the catch-up ends where it got to."""
    found: list[LiveEvent] = []
    wanted = sorted(topics)
    for _ in range(MISSED_PAGES):
        async with loaders.ledger.reading() as conn:
            events = await projected_after(conn, wanted, since, MISSED_MAX)
        if not events:
            break
        channels = await routing.routes(loaders.graph, events)
        for event in events:
            if channel in channels[event.event_id]:
                at, payload = event.created_at, event.payload
                found.append(LiveEvent(event.event_id, event.topic, at, payload, event.id))
        since = events[-1].id
        if len(found) >= MISSED_MAX or len(events) < MISSED_MAX:
            break
    return found[:MISSED_MAX]


async def team_member(teams: TeamService, loaders: Loaders, team_id: str) -> TeamAccess:
    """The viewer's standing in a team whose stream they ask for; NotFound for outsiders."""
    return await teams.access(loaders.viewer, team_id)


async def club_member(clubs: ClubService, loaders: Loaders, club_id: str) -> None:
    """Refuses anyone but the club's members (a public club's visitors too)."""
    club = await clubs.club(loaders.viewer, club_id)
    require(Action.ACT_IN_CLUB, loaders.viewer, club.viewer_role)


async def shares_progress(loaders: Loaders, event: LiveEvent, access: TeamAccess) -> bool:
    """A member's points and credentials reach their classmates only as far as the
    member's profile shows awards; the team's teachers (and leaders) see them all. The
    attendance of the team's events reaches its teachers and leaders only."""
    if event.topic in ATTENDANCE_TOPICS:
        return allowed(Action.SEE_TEAM_PROGRESS, loaders.viewer, access.role)
    if event.topic not in PROGRESS_TOPICS:
        return True
    member_id = next((event.payload[f] for f in MEMBER_FIELDS if event.payload.get(f)), None)
    if member_id is None:
        return True
    return member_id in await loaders.visibility.shares_progress([member_id], access.role)


async def award(loaders: Loaders, event: LiveEvent) -> AwardRecord | None:
    """The award an event names, if the subscriber may see it (the rules of `award(id:)`)."""
    return await loaders.visibility.award(event.payload["id"])
