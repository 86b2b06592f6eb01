"""The pub/sub hub: slow subscribers are cut off alone, and a Redis restart is survived
(each listener is told of the gap it left)."""

import asyncio
import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from odznaka_graph.fanout import Hub, LiveGap, SubscriberTooSlow
from tests.redis_server import RedisServer


async def _drain(listener: object, count: int) -> list[str]:
    got: list[str] = []
    async for message in listener:  # type: ignore[attr-defined]
        got.append(message)
        if len(got) == count:
            break
    return got


async def test_a_slow_subscriber_is_closed_without_holding_up_the_others() -> None:
    hub = Hub("memory://", queue_size=5)
    await hub.start()
    try:
        async with hub.listen("class.3b") as slow, hub.listen("class.3b") as fast:
            reader = asyncio.create_task(_drain(fast, 50))
            for i in range(50):
                await hub.publish("class.3b", f"m{i}")
                await asyncio.sleep(0)
            assert await asyncio.wait_for(reader, 5) == [f"m{i}" for i in range(50)]
            with pytest.raises(SubscriberTooSlow):
                await asyncio.wait_for(_drain(slow, 50), 5)
    finally:
        await hub.stop()
    assert hub.listener_count() == 0


# When Redis dies under it, redis-py leaves the dead socket's transport to the garbage
# collector; that ResourceWarning is about the killed server, not about the hub.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_listeners_resume_after_redis_restarts(redis_server: RedisServer) -> None:
    hub = Hub(redis_server.url, heartbeat=0.5, stale_after=1.5)
    await hub.start()
    try:
        async with hub.listen("user.ania") as listener:
            await asyncio.sleep(0.3)
            await hub.publish("user.ania", "before")
            assert await asyncio.wait_for(_drain(listener, 1), 5) == ["before"]

            redis_server.stop()
            redis_server.start()
            restarted = time.monotonic()
            received, gaps = None, 0
            while time.monotonic() - restarted < 5 and received is None:
                try:
                    await hub.publish("user.ania", "after")
                    received = await asyncio.wait_for(_drain(listener, 1), 0.5)
                except (TimeoutError, RedisConnectionError):
                    await asyncio.sleep(0.2)
                except LiveGap:
                    gaps += 1  # told once that messages may be lost; it listens on
            assert received == ["after"], "the listener did not resume within 5 s"
            assert hub.reconnects >= 1
            assert gaps == hub.reconnects, "each reconnect tells the listener of its gap"
    finally:
        await hub.stop()
