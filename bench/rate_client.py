"""The load client of bench/rate.py, in a process of its own so that its CPU is not the
server's: one JSON POST sent on a fixed schedule (open loop) for a given time.

    python -m bench.rate_client < spec.json > result.json

The spec: {"url", "body", "rate": req/s, "seconds", "connections": the most in flight}.
Every request is sent on its own task at its scheduled time, whatever the earlier ones are
doing; its latency runs from that scheduled time (so a late client or a full pool counts, no
coordinated omission). Prints {"scheduled", "requests" answered, "errors", "seconds",
"achieved_rps", latency percentiles, "send_lag", "from_send" (latency from the actual
send), "most_in_flight", "worst_ms_by_second" (by scheduled second),
"client_cpu_ms_per_request"} as JSON.
"""

import asyncio
import json
import resource
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import httptools
import uvloop

from bench.common import percentiles


class Connection:
    """One keep-alive HTTP/1.1 connection; httptools (uvicorn's parser) reads the answers.
    Far less CPU per request than httpx, so the client's own delays stay small."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.body = bytearray()
        self.complete = False

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True

    async def send(self, request: bytes) -> tuple[int, bytes]:
        parser = httptools.HttpResponseParser(self)
        self.body, self.complete = bytearray(), False
        self.writer.write(request)
        while not self.complete:
            data = await self.reader.read(1 << 16)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        return parser.get_status_code(), bytes(self.body)


class Pool:
    """Up to `most` connections to one host; a request takes an idle one or opens one."""

    def __init__(self, host: str, port: int, most: int) -> None:
        self.host, self.port, self.most = host, port, most
        self.idle: asyncio.LifoQueue[Connection] = asyncio.LifoQueue()
        self.opened = 0

    async def send(self, request: bytes) -> tuple[int, bytes]:
        if self.idle.empty() and self.opened < self.most:
            self.opened += 1
            connection = await self.connect()
        else:
            connection = await self.idle.get()
            if connection.reader.at_eof():  # closed by the server while idle (uvicorn: 5 s)
                connection.writer.close()
                connection = await self.connect()
        try:
            answer = await connection.send(request)
        except BaseException:
            connection.writer.close()
            self.opened -= 1
            raise
        self.idle.put_nowait(connection)
        return answer

    async def connect(self) -> Connection:
        return Connection(*await asyncio.open_connection(self.host, self.port))

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().writer.close()


def http_post(url: str, body: dict[str, Any]) -> tuple[str, int, bytes]:
    """(host, port, the request's bytes) of a JSON POST to `url`."""
    parts = urlsplit(url)
    content = json.dumps(body).encode()
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(content)}\r\n\r\n"
    )
    return parts.hostname or "127.0.0.1", parts.port or 80, head.encode() + content


class Schedule:
    """Sends one request every 1/rate s, each on its own task, and keeps what happened."""

    def __init__(self, pool: Pool, request: bytes, spec: dict[str, Any]) -> None:
        self.pool, self.request = pool, request
        self.rate = float(spec["rate"])
        self.count = round(self.rate * float(spec["seconds"]))
        self.latencies: list[float] = []
        self.by_second: dict[int, list[float]] = {}
        self.from_send: list[float] = []
        self.lags: list[float] = []
        self.errors: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def run(self) -> float:
        """Sends the whole schedule and waits for every answer; the seconds from the first
        scheduled send to the last answer."""
        start = self.start = time.perf_counter() + 0.05
        tasks = []
        for i in range(self.count):
            due = start + i / self.rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.one(due)))
        await asyncio.gather(*tasks)
        return time.perf_counter() - start

    async def one(self, due: float) -> None:
        sent = time.perf_counter()
        self.lags.append(sent - due)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            status, body = await asyncio.wait_for(self.pool.send(self.request), 30)
        except (OSError, TimeoutError, httptools.HttpParserError) as error:
            self.errors.append(repr(error))
        else:
            if status != 200 or b'"errors"' in body:
                self.errors.append(f"{status} {body[:300]!r}")
            else:
                done = time.perf_counter()
                self.latencies.append(done - due)
                self.by_second.setdefault(int(due - self.start), []).append(done - due)
                self.from_send.append(done - sent)
        finally:
            self.in_flight -= 1


async def fire(spec: dict[str, Any]) -> dict[str, Any]:
    host, port, request = http_post(spec["url"], spec["body"])
    pool = Pool(host, port, int(spec["connections"]))
    schedule = Schedule(pool, request, spec)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    try:
        seconds = await schedule.run()
    finally:
        pool.close()
    used = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    answered = len(schedule.latencies)
    return {
        "scheduled": schedule.count,
        "requests": answered,
        "errors": len(schedule.errors),
        "first_error": schedule.errors[0] if schedule.errors else None,
        "seconds": round(seconds, 2),
        "achieved_rps": round(answered / seconds, 1),
        **(percentiles(schedule.latencies) if answered > 1 else {}),
        "send_lag": percentiles(schedule.lags),
        "from_send": percentiles(schedule.from_send) if answered > 1 else {},
        "most_in_flight": schedule.most_in_flight,
        "worst_ms_by_second": [
            round(1000 * max(found), 1) for _, found in sorted(schedule.by_second.items())
        ],
        "connections_opened": pool.opened,
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(schedule.count, 1), 2),
    }


def main() -> None:
    spec = json.load(sys.stdin)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        print(json.dumps(runner.run(fire(spec))))


if __name__ == "__main__":
    main()
