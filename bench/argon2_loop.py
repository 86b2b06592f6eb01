"""How long the event loop stalls while eight sign-ins check passwords at once: argon2 on
the loop (as before issue 11) against argon2 in worker threads (services/tokens.py).

    uv run python bench/argon2_loop.py

Prints the longest gap a 1 ms ticker saw and the wall time of the eight checks."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from odznaka_graph.services import tokens

CONCURRENT = 8


async def _ticker(stop: asyncio.Event, gaps: list[float]) -> None:
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def _run(check: Callable[[str], Awaitable[bool]], stored: str) -> tuple[float, float]:
    stop, gaps = asyncio.Event(), list[float]()
    ticker = asyncio.create_task(_ticker(stop, gaps))
    await asyncio.sleep(0.01)
    start = time.perf_counter()
    await asyncio.gather(*(check(stored) for _ in range(CONCURRENT)))
    wall = time.perf_counter() - start
    stop.set()
    await ticker
    return max(gaps) * 1000, wall * 1000


async def main() -> None:
    stored = tokens.hash_password_now("correct horse battery")

    async def on_loop(h: str) -> bool:
        return tokens._matches(h, "wrong password")

    async def in_threads(h: str) -> bool:
        return await tokens.password_matches(h, "wrong password")

    for name, check in (("on the event loop", on_loop), ("in worker threads", in_threads)):
        stall, wall = await _run(check, stored)
        print(f"{CONCURRENT} checks {name}: longest loop stall {stall:6.1f} ms, ", end="")
        print(f"all done in {wall:6.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
