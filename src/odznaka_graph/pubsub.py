"""What is published where: projected outbox events routed to channels, and listening."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson

from odznaka_graph.fanout import Hub, Listener


def user_channel(user_id: str) -> str:
    return f"user.{user_id}"


# Topics that a user's own stream carries, and who the recipient is in the payload.
USER_TOPICS = {"award.issued": "recipientId", "award.claimed": "recipientId"}


def channels_for(topic: str, payload: dict[str, Any]) -> list[str]:
    recipient_field = USER_TOPICS.get(topic)
    recipient = payload.get(recipient_field) if recipient_field else None
    return [user_channel(recipient)] if recipient else []


class PubSub:
    def __init__(self, url: str, queue_size: int = 256) -> None:
        self.hub = Hub(url, queue_size=queue_size)

    async def connect(self) -> None:
        await self.hub.start()

    async def disconnect(self) -> None:
        await self.hub.stop()

    async def publish_event(self, event_id: str, topic: str, payload: dict[str, Any]) -> None:
        """Every message carries the outbox event id, so clients can drop duplicates."""
        message = orjson.dumps({"eventId": event_id, "topic": topic, "payload": payload})
        for channel in channels_for(topic, payload):
            await self.hub.publish(channel, message.decode())

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[Listener]:
        async with self.hub.listen(channel) as listener:
            yield listener

    async def ping(self) -> None:
        await self.hub.publish("health", "ping")


def decode(message: str) -> dict[str, Any]:
    return orjson.loads(message)  # type: ignore[no-any-return]
