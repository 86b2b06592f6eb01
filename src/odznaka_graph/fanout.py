"""A resilient fan-out over broadcaster: bounded queues per subscriber, and a heartbeat
that notices a dead backend connection and rebuilds it.

broadcaster on its own has two failure modes we must not inherit: its Redis listener task
dies silently when Redis drops the connection (every subscription then hangs forever), and
it queues without bound for a slow subscriber. Here one pump per channel reads from
broadcaster and hands each message to every local listener without ever waiting; a
listener whose queue is full is closed with `SubscriberTooSlow` (its client resubscribes
and refetches). A heartbeat published through the backend every second must come back
within `stale_after` seconds, or the hub reconnects and restarts every pump, so live
listeners resume by themselves after a Redis restart; each is then told of the gap
(`LiveGap`), since what was published meanwhile is lost to it.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from broadcaster import Broadcast

from odznaka_graph.deadlines import now_waiting
from odznaka_graph.lean_async import Mailbox
from odznaka_graph.live_sharing import Delivery
from odznaka_graph.redis_backend import RedisBackend

log = logging.getLogger(__name__)


def _broadcast(url: str) -> Broadcast:
    if url.startswith(("redis://", "rediss://")):
        return Broadcast(backend=RedisBackend(url))
    return Broadcast(url)


async def _close(broadcast: Broadcast) -> None:
    """Close a broadcast whether or not it ever connected, never raising."""
    listener = getattr(broadcast, "_listener_task", None)
    if listener is not None:
        listener.cancel()
        with contextlib.suppress(BaseException):
            await listener
    with contextlib.suppress(Exception):
        await asyncio.wait_for(broadcast._backend.disconnect(), timeout=2.0)


def _settled(task: asyncio.Task[None]) -> None:
    # A pump ends by cancellation or because the backend failed; either way the watchdog
    # deals with it, so its exception is read here rather than reported as unretrieved.
    if not task.cancelled():
        task.exception()


class SubscriberTooSlow(Exception):
    """The listener fell `queue_size` messages behind and was closed."""


class LiveGap(Exception):
    """The hub lost its backend connection for a while: messages published meanwhile did
    not reach this listener (it goes on receiving after this error)."""


_OVERFLOW = object()
_GAP = object()
TOO_SLOW = "You fell behind the live updates; subscribe again."
GAP = (
    "Live updates were interrupted; subscribe again with `since` (the sequence of the "
    "last item you received) to catch up."
)


class Listener:
    """One subscriber's messages of a channel, at most the hub's `queue_size` waiting (an
    async context manager: listening starts on entry and ends on exit). Small on purpose:
    an idle listener is one object and an empty list, however many sockets there are."""

    __slots__ = ("_channel", "_hub", "_mailbox")

    def __init__(self, hub: "Hub", channel: str) -> None:
        self._hub = hub
        self._channel = channel
        self._mailbox: Mailbox[Any] = Mailbox()

    async def __aenter__(self) -> "Listener":
        await self._hub._add(self._channel, self)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._hub._remove(self._channel, self)

    def deliver(self, message: str) -> None:
        if len(self._mailbox) >= self._hub.queue_size:
            self._mailbox.take_all()  # make room for the one thing that matters now
            self._mailbox.put_nowait(_OVERFLOW)
        else:
            self._mailbox.put_nowait(message)

    def gap(self) -> None:
        """Messages may have been lost before the ones that follow (a reconnect)."""
        self._mailbox.put_nowait(_GAP)

    def ready(self) -> list[str]:
        """The messages waiting already, taken without waiting for more."""
        taken = self._mailbox.take_all()
        if _OVERFLOW in taken:
            raise SubscriberTooSlow(TOO_SLOW)
        if _GAP in taken:  # what came with it is after the gap: a catch-up reads it again
            raise LiveGap(GAP)
        return taken

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        now_waiting()  # a subscription's set-up ends where it starts waiting for events
        item = await self._mailbox.get()
        if item is _OVERFLOW:
            raise SubscriberTooSlow(TOO_SLOW)
        if item is _GAP:
            raise LiveGap(GAP)
        return item  # type: ignore[no-any-return]


class Hub:
    def __init__(
        self, url: str, queue_size: int = 256, heartbeat: float = 1.0, stale_after: float = 3.0
    ) -> None:
        self.url = url
        self.queue_size = queue_size
        self.heartbeat = heartbeat
        self.stale_after = stale_after
        self._broadcast = _broadcast(url)
        self._listeners: dict[str, set[Listener]] = {}
        self._pumps: dict[str, asyncio.Task[None]] = {}
        self._beat_channel = f"hub.heartbeat.{uuid.uuid4().hex}"
        self._last_beat = time.monotonic()
        self._watchdog: asyncio.Task[None] | None = None
        self.reconnects = 0

    async def start(self) -> None:
        await self._broadcast.connect()
        await self._start_pump(self._beat_channel)
        self._watchdog = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        await self._stop_pumps()
        await _close(self._broadcast)

    async def publish(self, channel: str, message: str) -> None:
        await self._broadcast.publish(channel, message)

    def listen(self, channel: str) -> Listener:
        """`async with hub.listen(channel) as listener`: the channel's messages from now on."""
        return Listener(self, channel)

    async def _add(self, channel: str, listener: Listener) -> None:
        self._listeners.setdefault(channel, set()).add(listener)
        if channel not in self._pumps:
            await self._start_pump(channel)

    def _remove(self, channel: str, listener: Listener) -> None:
        self._listeners[channel].discard(listener)
        if not self._listeners[channel]:
            del self._listeners[channel]
            pump = self._pumps.pop(channel, None)
            if pump is not None:
                pump.cancel()

    def listener_count(self) -> int:
        return sum(len(group) for group in self._listeners.values())

    async def _start_pump(self, channel: str) -> None:
        """Start reading a channel, and return once the backend has subscribed to it."""
        subscribed = asyncio.Event()
        pump = asyncio.create_task(self._pump(channel, subscribed))
        pump.add_done_callback(_settled)
        self._pumps[channel] = pump
        with contextlib.suppress(TimeoutError):  # if the backend is away, the watchdog retries
            await asyncio.wait_for(subscribed.wait(), timeout=2.0)

    async def _pump(self, channel: str, subscribed: asyncio.Event) -> None:
        async with self._broadcast.subscribe(channel) as subscriber:
            subscribed.set()
            async for event in subscriber:  # type: ignore[union-attr]
                if event is None:
                    return
                if channel == self._beat_channel:
                    self._last_beat = time.monotonic()
                    continue
                delivery = Delivery.of(event.message)  # one object for all: live_sharing
                for listener in list(self._listeners.get(channel, ())):
                    listener.deliver(delivery)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.publish(self._beat_channel, "beat")
            except Exception:
                log.warning("pub/sub heartbeat could not be published")
            if time.monotonic() - self._last_beat > self.stale_after:
                await self._reconnect()

    async def _reconnect(self) -> None:
        """A fresh backend connection, and every pump restarted on it."""
        log.warning("pub/sub connection lost; reconnecting")
        await self._stop_pumps()
        await _close(self._broadcast)
        fresh = _broadcast(self.url)
        try:
            await asyncio.wait_for(fresh.connect(), timeout=2.0)
        except Exception:
            log.warning("pub/sub backend still unavailable")
            await _close(fresh)
            return  # the watchdog tries again on its next beat
        self._broadcast = fresh
        self.reconnects += 1
        self._last_beat = time.monotonic()
        for channel in [self._beat_channel, *self._listeners]:
            await self._start_pump(channel)
        # Whatever was published while the connection was down never came: every listener
        # is told, once listening again, so its stream can catch up (or its client).
        for group in self._listeners.values():
            for listener in group:
                listener.gap()

    async def _stop_pumps(self) -> None:
        pumps, self._pumps = list(self._pumps.values()), {}
        for pump in pumps:
            pump.cancel()
        for pump in pumps:
            with contextlib.suppress(BaseException):
                await pump
