"""Channels, publishing projected outbox events to them, and listening."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from odznaka_graph.fanout import Hub, Listener
from odznaka_graph.live_sharing import decoded


def user_channel(user_id: str) -> str:
    return f"user.{user_id}"


def team_channel(team_id: str) -> str:
    return f"team.{team_id}"


def club_channel(club_id: str) -> str:
    return f"club.{club_id}"


def event_channel(event_id: str) -> str:
    """An event's attendance changes, for its host's staff (issue 15)."""
    return f"event.{event_id}"


class PubSub:
    def __init__(self, url: str, queue_size: int = 256) -> None:
        self.hub = Hub(url, queue_size=queue_size)

    async def connect(self) -> None:
        await self.hub.start()

    async def disconnect(self) -> None:
        await self.hub.stop()

    async def publish_event(
        self,
        event_id: str,
        topic: str,
        payload: dict[str, Any],
        channels: Iterable[str],
        at: datetime | None = None,
        sequence: int | None = None,
    ) -> None:
        """Every message carries the outbox event id, so clients can drop duplicates, its
        sequence (the outbox's order, to catch up from) and when the event happened
        (`routing.py` says which channels it goes to)."""
        found = {"eventId": event_id, "sequence": sequence, "topic": topic, "at": at}
        message = orjson.dumps(found | {"payload": payload})
        for channel in channels:
            await self.hub.publish(channel, message.decode())

    def listen(self, channel: str) -> Listener:
        """`async with pubsub.listen(channel) as listener`: the channel's messages."""
        return self.hub.listen(channel)

    async def ping(self) -> None:
        await self.hub.publish("health", "ping")


def decode(message: str) -> dict[str, Any]:
    """A message's JSON, parsed once for all local listeners of its channel: read only."""
    return decoded(message)


@dataclass(frozen=True)
class LiveEvent:
    """A message as a subscriber reads it."""

    event_id: str
    topic: str
    at: datetime
    payload: dict[str, Any]
    sequence: int | None = None  # the outbox id: where a client catches up from


def live_event(message: str) -> LiveEvent:
    found = decode(message)
    at = datetime.fromisoformat(found["at"]) if found.get("at") else datetime.now(UTC)
    return LiveEvent(found["eventId"], found["topic"], at, found["payload"], found.get("sequence"))


class Recent:
    """Event ids seen lately on one stream: a message delivered twice (by two instances,
    or by a catch-up and then live) is dropped by its id."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._ids: dict[str, None] = {}

    def first_time(self, event_id: str) -> bool:
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        if len(self._ids) > self.size:
            del self._ids[next(iter(self._ids))]
        return True
