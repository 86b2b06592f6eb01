"""A Redis pub/sub backend for broadcaster that fails loudly.

broadcaster's own Redis backend starts listening in a race with the first subscription
(and can stop listening for good) and swallows a dropped connection. This one polls its
subscription and lets a connection error end broadcaster's listener, which the hub's
heartbeat notices (see fanout.py).
"""

import asyncio
import contextlib
from typing import Any

from broadcaster import Event
from broadcaster._backends.base import BroadcastBackend
from redis import asyncio as redis


class RedisBackend(BroadcastBackend):
    def __init__(self, url: str) -> None:
        # Publishing gets its own client with socket timeouts, so a call never needs to be
        # cancelled from outside (redis-py leaks a connection cancelled while connecting).
        self._conn = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._listen = redis.Redis.from_url(url, socket_connect_timeout=2)
        self._pubsub = self._listen.pubsub(ignore_subscribe_messages=True)

    async def connect(self) -> None:
        await self._conn.ping()

    async def disconnect(self) -> None:
        # Each close on its own: after Redis died, the first may fail, the rest must run.
        for close in (self._pubsub.aclose, self._listen.aclose, self._conn.aclose):
            with contextlib.suppress(Exception):
                await close()

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)

    async def unsubscribe(self, channel: str) -> None:
        await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: Any) -> None:
        await self._conn.publish(channel, message)

    async def next_published(self) -> Event:
        while True:
            if not self._pubsub.subscribed:
                await asyncio.sleep(0.05)
                continue
            message = await self._pubsub.get_message(timeout=1.0)
            if message is not None and message["type"] == "message":
                return Event(channel=message["channel"].decode(), message=message["data"].decode())
