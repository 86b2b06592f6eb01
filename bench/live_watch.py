"""Fault bench (issue 17), live updates: a few learners subscribed to `notifications` over
WebSocket (graphql-transport-ws), spread over the API instances, behaving as a good client:
each drops a duplicate by its event id and, when its stream ends or breaks, subscribes again
(to any instance that answers) with `since` set to the last sequence it received. After the
awards every subscriber catches up once more since its last sequence, and what it then holds
is compared with the notifications in the SQL store.

Per run: deliveries expected (the subscribed learners' notifications in the store), delivered
live (first received while the awards ran), recovered by catch-up (first received on the
final catch-up), missing after catch-up (must be 0), duplicates the server delivered (the
same event id received again by one subscriber) and, of those, the ones the client dropped
(all of them: a good client shows an event once), and reconnects.
"""

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets

SUBSCRIBE = """subscription($since: Int) { notifications(since: $since) {
  eventId sequence kind } }"""
FINAL_QUIET = 3.0  # the final catch-up ends when nothing more comes for this long


@dataclass
class Subscriber:
    """What one learner's devices received, by event id, and where its stream stands."""

    token: str
    account: str  # the learner's global id
    live: set[str] = field(default_factory=set)
    recovered: set[str] = field(default_factory=set)
    server_duplicates: int = 0
    reconnects: int = 0
    last_sequence: int = 0  # the first subscription too asks since 0: nothing falls between

    def receive(self, item: dict[str, Any], catching_up: bool) -> bool:
        """Keep an item once by its event id; False when it is a duplicate (dropped)."""
        event = str(item["eventId"])
        sequence = item.get("sequence")
        if sequence is not None:
            self.last_sequence = max(sequence, self.last_sequence)
        if event in self.live or event in self.recovered:
            self.server_duplicates += 1
            return False
        (self.recovered if catching_up else self.live).add(event)
        return True


def account(subscribers: list[Subscriber], expected: dict[str, set[str]]) -> dict[str, Any]:
    """The run's live figures: `expected` is each subscribed account's notification event
    ids in the SQL store."""
    wanted = sum(len(ids) for ids in expected.values())
    live = sum(len(s.live & expected.get(s.account, set())) for s in subscribers)
    recovered = sum(len(s.recovered & expected.get(s.account, set())) for s in subscribers)
    duplicates = sum(s.server_duplicates for s in subscribers)
    return {
        "expected": wanted,
        "delivered_live": live,
        "recovered_by_catch_up": recovered,
        "missing_after_catch_up": wanted - live - recovered,
        "duplicates_from_server": duplicates,
        "duplicates_dropped_by_client": duplicates,
        "reconnects": sum(s.reconnects for s in subscribers),
        "per_subscriber": [
            [len(expected.get(s.account, ())), len(s.live), len(s.recovered), s.last_sequence]
            for s in subscribers
        ],  # expected, live, recovered, last sequence received
    }


class Watch:
    """The subscribers' connections, in a thread with an event loop of its own. `bases`
    gives the instances' current addresses (they change when an API is restarted)."""

    def __init__(self, subscribers: list[Subscriber], bases: Callable[[], list[str]]) -> None:
        self.subscribers, self.bases = subscribers, bases
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(60)

    def stop_and_catch_up(self) -> None:
        """End the live streams, then catch every subscriber up since its last sequence."""
        self._stop.set()
        self._thread.join()
        asyncio.run(self._catch_up_all())

    async def _run(self) -> None:
        started = [asyncio.Event() for _ in self.subscribers]
        tasks = [
            asyncio.create_task(self._follow(s, i, ready))
            for i, (s, ready) in enumerate(zip(self.subscribers, started, strict=True))
        ]
        await asyncio.gather(*(ready.wait() for ready in started))
        self._ready.set()
        await asyncio.to_thread(self._stop.wait)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _follow(self, sub: Subscriber, n: int, ready: asyncio.Event) -> None:
        """Stay subscribed: on a closed or broken stream, subscribe again since the last
        sequence, trying the instances in turn."""
        attempt = n
        while not self._stop.is_set():
            bases = self.bases()
            base = bases[attempt % len(bases)]
            attempt += 1
            try:
                await self._stream(base, sub, False, ready, None)
            except (OSError, websockets.WebSocketException, TimeoutError):
                pass
            if ready.is_set():
                sub.reconnects += 1
            await asyncio.sleep(0.5)

    async def _catch_up_all(self) -> None:
        bases = self.bases()
        await asyncio.gather(
            *(
                self._stream(bases[i % len(bases)], s, True, asyncio.Event(), FINAL_QUIET)
                for i, s in enumerate(self.subscribers)
            )
        )

    async def _stream(
        self, base: str, sub: Subscriber, final: bool, ready: asyncio.Event, quiet: float | None
    ) -> None:
        url = base.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            init = {"Authorization": f"Bearer {sub.token}"}
            await ws.send(json.dumps({"type": "connection_init", "payload": init}))
            await asyncio.wait_for(ws.recv(), 30)  # connection_ack
            variables = {"since": sub.last_sequence}
            payload = {"query": SUBSCRIBE, "variables": variables}
            await ws.send(json.dumps({"id": "n", "type": "subscribe", "payload": payload}))
            ready.set()
            while not self._stop.is_set() or final:
                try:
                    raw = await asyncio.wait_for(ws.recv(), quiet or 0.5)
                except TimeoutError:
                    if final:
                        return
                    continue
                message = json.loads(raw)
                if message["type"] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif message["type"] == "next":
                    item = (message["payload"].get("data") or {}).get("notifications")
                    if item:
                        sub.receive(item, final)
                    else:
                        print(f"live stream: {str(message)[:300]}", flush=True)
                elif message["type"] in ("error", "complete"):
                    print(f"live stream ended: {str(message)[:300]}", flush=True)
                    return
