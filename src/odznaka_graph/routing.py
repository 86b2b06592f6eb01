"""Which channels each projected outbox event is published to.

- `user.<id>`: what happened to that user (awards received; their new notifications).
- `team.<id>`: the team's own events (members joining, added, leaving, removed), its
  challenges, and awards and points of every member, whichever team or issuer caused them.
- `club.<id>`: the club's own events, nominations, vouches, peer badges and peer awards.
- `event.<id>`: an event's attendance changes carrying the counts after them (`attendance`);
  a team-hosted event's also go to `team.<id>` (delivered to its teachers and leaders).

Team memberships and award holders live in the graph, so they are read once for a whole
batch of events (`audiences.audience`, one query), never once per event. Topics that do not
exist yet are routed by the shape of their payload (`teamId`, `accountId`), so new kinds of
team events need no change here.
"""

from collections.abc import Iterator
from typing import Any

from odznaka_graph.graph_model import audiences
from odznaka_graph.graph_model.audiences import Audience
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.ledger.journal import OutboxEvent
from odznaka_graph.pubsub import club_channel, event_channel, team_channel, user_channel

# The user's own stream, by the payload field naming the user.
OWN_TOPICS = {
    "award.issued": "recipientId",
    "award.claimed": "recipientId",
    "notification.created": "account_id",  # services/notifications.TOPIC
    "wallet.credential_issued": "holderId",  # a wallet picked a credential up (issue 16)
}
# Events about one member, seen by each of their teams, by the field naming the member.
MEMBER_TOPICS = {"points.recorded": "accountId"}
# Club events that name their club as `clubId` (the club's own `club.*` events name it `id`).
CLUB_TOPICS = ("peer.", "badge.peer_created")


def channels_for(topic: str, payload: dict[str, Any], found: Audience | None = None) -> list[str]:
    found = found or Audience()
    channels = [*_own(topic, payload), *_teams(topic, payload, found), *_clubs(topic, payload)]
    if topic.startswith("event.") and payload.get("attendance") and payload.get("id"):
        channels.append(event_channel(payload["id"]))
        if payload.get("hostType") == "Team" and payload.get("hostId"):
            channels.append(team_channel(payload["hostId"]))  # for its teachers' stream
    if topic.startswith("award."):
        channels += _award(payload.get("id"), found)
    return list(dict.fromkeys(channels))


def _own(topic: str, payload: dict[str, Any]) -> Iterator[str]:
    user = _named(payload, OWN_TOPICS.get(topic))
    if user:
        yield user_channel(user)


def _teams(topic: str, payload: dict[str, Any], found: Audience) -> Iterator[str]:
    if topic.startswith("team.") and payload.get("id"):
        yield team_channel(payload["id"])
    elif topic.startswith("challenge.") and payload.get("teamId"):
        yield team_channel(payload["teamId"])
    elif member := _named(payload, MEMBER_TOPICS.get(topic)):
        yield from (team_channel(team) for team in found.teams.get(member, ()))


def _clubs(topic: str, payload: dict[str, Any]) -> Iterator[str]:
    if topic.startswith("club.") and payload.get("id"):
        yield club_channel(payload["id"])
    elif topic.startswith(CLUB_TOPICS) and payload.get("clubId"):
        yield club_channel(payload["clubId"])


def _award(award_id: str | None, found: Audience) -> Iterator[str]:
    """An award reaches its holder's teams, and its club when it is a peer award."""
    holder = found.holders.get(award_id or "")
    yield from (team_channel(team) for team in found.teams.get(holder or "", ()))
    if club := found.clubs.get(award_id or ""):
        yield club_channel(club)


def _named(payload: dict[str, Any], field: str | None) -> str | None:
    value = payload.get(field) if field else None
    return value if isinstance(value, str) and value else None


async def routes(graph: Graph, events: list[OutboxEvent]) -> dict[str, list[str]]:
    """The channels of each event of a batch, by event id."""
    found = await _audience(graph, events)
    return {e.event_id: channels_for(e.topic, e.payload, found) for e in events}


async def _audience(graph: Graph, events: list[OutboxEvent]) -> Audience:
    award_ids = sorted({str(e.payload["id"]) for e in events if _is_award(e)})
    members = {_named(e.payload, MEMBER_TOPICS.get(e.topic)) for e in events}
    user_ids = sorted(user for user in members if user)
    # A failed read fails the publishing handler, which is retried (effects.py).
    return await audiences.audience(graph, award_ids, user_ids)


def _is_award(event: OutboxEvent) -> bool:
    return event.topic.startswith("award.") and bool(event.payload.get("id"))
