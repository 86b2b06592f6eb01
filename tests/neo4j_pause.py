"""Pausing the Neo4j the tests start (SIGSTOP), resumed after a while or when the block ends."""

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from odznaka_graph.neo4j_server import Neo4jServer


@asynccontextmanager
async def neo4j_paused(server: Neo4jServer | None, seconds: float) -> AsyncIterator[asyncio.Event]:
    """Neo4j answers nothing inside the block for up to `seconds`; the event is set once it
    was resumed (so a test can tell whether something answered while it was paused)."""
    assert server is not None, "this test pauses the Neo4j the tests start"
    pid = int(server.pid_path.read_text())
    resumed = asyncio.Event()

    async def resume_later() -> None:
        await asyncio.sleep(seconds)
        os.kill(pid, signal.SIGCONT)
        resumed.set()

    os.kill(pid, signal.SIGSTOP)
    resumer = asyncio.create_task(resume_later())
    try:
        yield resumed
    finally:
        resumer.cancel()
        os.kill(pid, signal.SIGCONT)
