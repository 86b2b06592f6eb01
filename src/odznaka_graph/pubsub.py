"""Channel names and publishing of projected events through broadcaster."""

from collections.abc import AsyncIterator
from typing import Any

import orjson
from broadcaster import Broadcast


def user_channel(user_id: str) -> str:
    return f"user.{user_id}"


# Topics that a user's own stream carries, and who the recipient is in the payload.
USER_TOPICS = {"award.issued": "recipientId", "award.claimed": "recipientId"}


class PubSub:
    def __init__(self, url: str) -> None:
        self.broadcast = Broadcast(url)

    async def connect(self) -> None:
        await self.broadcast.connect()

    async def disconnect(self) -> None:
        await self.broadcast.disconnect()

    async def publish_event(self, event_id: str, topic: str, payload: dict[str, Any]) -> None:
        recipient_field = USER_TOPICS.get(topic)
        recipient = payload.get(recipient_field) if recipient_field else None
        if recipient:
            message = orjson.dumps({"eventId": event_id, "topic": topic, "payload": payload})
            await self.broadcast.publish(user_channel(recipient), message.decode())

    async def messages(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        async with self.broadcast.subscribe(channel) as subscriber:
            async for event in subscriber:  # type: ignore[union-attr]
                if event is not None:
                    yield orjson.loads(event.message)

    async def ping(self) -> None:
        await self.broadcast.publish("health", "ping")
