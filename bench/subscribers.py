"""Live-update fan-out: N WebSocket subscribers on one API instance.

    uv run python -m bench.subscribers [--counts 1000 5000] [--events 5] [--idle 10000]
        [--name subscribers]

Opens N graphql-transport-ws connections to a real uvicorn process, each subscribed to
`awardReceived` for one learner (as if on N devices), then awards that learner several
badges through HTTP and measures, for every delivery, the time from sending the award
mutation to the subscriber receiving it, and how far it came behind the first delivery of
the same event (the fan-out's own cost, apart from the mutation's). Also reports the
server's resident memory per connection. `--idle` counts open that many subscriptions and
only measure memory (no events). Writes bench/results/<name>.json.
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench.common import api_server, neo4j, percentiles, save
from odznaka_graph.neo4j_server import free_port
from odznaka_graph.settings import PROJECT_ROOT

SUBSCRIBE = "subscription { awardReceived { id } }"
PASSWORD = "correct horse battery"


def _cpu_seconds(pid: int) -> float:
    """The server process's CPU time so far (user + system)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = (
        await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    ).json()
    assert "errors" not in body, body
    assert "message" not in json.dumps(body), body  # a typed mutation error
    return body["data"]  # type: ignore[no-any-return]


async def _connect(url: str, token: str) -> Any:
    ws = await websockets.connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        compression=None,
        max_queue=64,
        open_timeout=120,  # ten thousand handshakes queue up on a busy two-core machine
    )
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    await ws.recv()
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return ws


async def _receive(ws: Any, expected: int, out: list[tuple[str, float]]) -> None:
    got = 0
    while got < expected:
        message = json.loads(await ws.recv())
        if message.get("type") == "next":
            out.append((message["payload"]["data"]["awardReceived"]["id"], time.perf_counter()))
            got += 1


AWARD = """mutation($i: AwardBadgeInput!) { awardBadge(input: $i) {
  ... on Award { id } ... on MutationError { code message } } }"""


async def _register(client: httpx.AsyncClient, handle: str) -> tuple[str, str]:
    data = await _gql(
        client,
        """mutation($i: RegisterInput!) { register(input: $i) {
        ... on AuthPayload { accessToken userId } } }""",
        {
            "i": {
                "email": f"{handle}@bench.example.org",
                "password": PASSWORD,
                "handle": handle,
                "displayName": handle,
            }
        },
    )
    return data["register"]["accessToken"], data["register"]["userId"]


async def prepare(
    client: httpx.AsyncClient, var: Path, tag: str, events: int
) -> tuple[str, str, str, list[str]]:
    """A learner, an issuer and `events` published badges to award. The reviewer's address
    is in the server's REVIEWER_EMAILS: the role comes once it is verified."""
    from tests.api_process import verify_address
    from tests.helpers import complete_badge

    learner_token, learner_id = await _register(client, f"uczen{tag}")
    owner, _ = await _register(client, f"szef{tag}")
    checker, _ = await _register(client, f"recenzent{tag}")
    base = client.base_url.netloc.decode()
    await asyncio.to_thread(verify_address, base, f"recenzent{tag}@bench.example.org", var)
    org = (
        await _gql(
            client,
            """mutation($i: CreateOrganizationInput!) {
        createOrganization(input: $i) { ... on Organization { id } } }""",
            {"i": {"kind": "SCHOOL", "name": [{"lang": "PL", "text": "Szkoła"}]}},
            owner,
        )
    )["createOrganization"]["id"]
    step = (
        "mutation($i: {kind}!) {{ {name}(input: $i) "
        "{{ __typename ... on MutationError {{ message }} }} }}"
    )
    await _gql(
        client,
        step.format(kind="AcceptIssuerAgreementInput", name="acceptIssuerAgreement"),
        {"i": {"organizationId": org}},
        owner,
    )
    await _gql(
        client,
        step.format(kind="ReviewOrganizationInput", name="reviewOrganization"),
        {"i": {"organizationId": org, "approve": True}},
        checker,
    )
    badges = []
    for _ in range(events):
        badge = (
            await _gql(
                client,
                """mutation($i: CreateBadgeInput!) { createBadge(input: $i) {
            ... on Badge { id } } }""",
                {"i": {"organizationId": org, "content": complete_badge()}},
                owner,
            )
        )["createBadge"]["id"]
        await _gql(
            client,
            step.format(kind="BadgeIdInput", name="submitBadgeForReview"),
            {"i": {"badgeId": badge}},
            owner,
        )
        await _gql(
            client,
            step.format(kind="ReviewBadgeInput", name="reviewBadge"),
            {"i": {"badgeId": badge, "approve": True}},
            checker,
        )
        badges.append(badge)
    return learner_token, learner_id, owner, badges


async def _close_all(sockets: list[Any]) -> None:
    for start in range(0, len(sockets), 500):
        await asyncio.gather(*(ws.close() for ws in sockets[start : start + 500]))


def _profiler(pid: int, out: Path | None) -> subprocess.Popen[bytes] | None:
    """py-spy sampling the server (raw collapsed stacks in `out`) until stopped."""
    if out is None:
        return None
    command = ["uv", "tool", "run", "py-spy", "record", "-p", str(pid), "-r", "250"]
    return subprocess.Popen([*command, "-f", "raw", "-o", str(out)], stdout=subprocess.DEVNULL)


def _stop(profiler: subprocess.Popen[bytes] | None) -> None:
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(60)


async def run_once(
    base: str, var: Path, pid: int, count: int, events: int, tag: str, profile: Path | None = None
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=f"http://{base}", timeout=120) as client:
        learner, learner_id, owner, badge_ids = await prepare(client, var, tag, events)
        before = _rss_kib(pid)
        sockets = []
        for start in range(0, count, 100):
            sockets += await asyncio.gather(
                *(
                    _connect(f"ws://{base}/graphql", learner)
                    for _ in range(start, min(count, start + 100))
                )
            )
        await asyncio.sleep(2)
        after = _rss_kib(pid)
        if not events:
            await _close_all(sockets)
            return {
                "subscribers": count,
                "idle": True,
                "server_rss_kib_per_connection": round((after - before) / count, 1),
            }
        received: list[tuple[str, float]] = []
        sent_at: dict[str, float] = {}
        mutations: list[float] = []
        cpu: list[int] = []
        receivers = [asyncio.create_task(_receive(ws, events, received)) for ws in sockets]
        profiler = _profiler(pid, profile)
        await asyncio.sleep(2 if profiler else 0)  # py-spy attaches
        for badge_id in badge_ids:
            cpu_before = _cpu_seconds(pid)
            started = time.perf_counter()
            data = await _gql(
                client, AWARD, {"i": {"badgeId": badge_id, "recipientId": learner_id}}, owner
            )
            assert "id" in data["awardBadge"], data
            sent_at[data["awardBadge"]["id"]] = started
            mutations.append(time.perf_counter() - started)
            await asyncio.sleep(1.0)
            cpu.append(round((_cpu_seconds(pid) - cpu_before) * 1000))
        await asyncio.wait_for(asyncio.gather(*receivers), timeout=600)
        _stop(profiler)
        await _close_all(sockets)
    latencies = [at - sent_at[award_id] for award_id, at in received]
    first: dict[str, float] = {}
    for award_id, at in received:
        first[award_id] = min(at, first.get(award_id, at))
    return {
        "subscribers": count,
        "events": events,
        "deliveries": len(latencies),
        "latency": percentiles(latencies),
        # behind the first subscriber to get the same event: the fan-out's own cost
        "fan_out": percentiles([at - first[award_id] for award_id, at in received]),
        "award_mutation": percentiles(mutations),
        # the server's CPU in the second after each award (the mutation, the projection and
        # the deliveries): what the load of the machine does not change
        "server_cpu_ms_per_event": cpu,
        "server_rss_kib_per_connection": round((after - before) / count, 1),
    }


def _commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    return found.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--idle", type=int, nargs="*", default=[10000])
    parser.add_argument("--name", default="subscribers", help="bench/results/<name>.json")
    parser.add_argument(
        "--profile",
        type=Path,
        help="a directory: py-spy samples the server while events are delivered and writes "
        "<dir>/subscribers-<count>.txt (collapsed stacks)",
    )
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # two descriptors a connection
    var = PROJECT_ROOT / "var" / "bench-subscribers-api"
    var.mkdir(parents=True, exist_ok=True)
    runs = []
    load_at_start = os.getloadavg()
    plan = [(count, args.events) for count in args.counts] + [(n, 0) for n in args.idle if n > 0]
    with neo4j("subscribers", heap="1g", page_cache="256m") as server:
        for count, events in plan:
            tag = f"{count}{events}{int(time.time()) % 100000}"
            with api_server(
                server,
                var,
                REVIEWER_EMAILS=f'["recenzent{tag}@bench.example.org"]',
                MAX_SOCKETS_PER_CLIENT=str(count + 10),  # every socket comes from loopback
                MAX_SOCKETS_PER_ACCOUNT=str(count + 10),  # and is the one learner's
                REGISTER_MAX_PER_CLIENT="1000",  # three accounts a run, many runs an hour
                DEV_SMTP_PORT=str(free_port()),  # 8025 may be another process's on a shared machine
                with_pid=True,
            ) as (base, pid):
                profile = args.profile / f"subscribers-{count}.txt" if args.profile else None
                result = asyncio.run(run_once(base, var, pid, count, events, tag, profile))
            memory = f"{result['server_rss_kib_per_connection']} KiB per connection"
            if events:
                latency = result["latency"]
                fan_out = result["fan_out"]
                print(
                    f"{count:6d} subscribers: p50 {latency['p50_ms']} ms, "
                    f"p99 {latency['p99_ms']} ms from the award mutation's start "
                    f"(its own p50 {result['award_mutation']['p50_ms']} ms); behind the first "
                    f"delivery p50 {fan_out['p50_ms']} ms, p99 {fan_out['p99_ms']} ms; server CPU "
                    f"per event {result['server_cpu_ms_per_event']} ms; {memory}"
                )
            else:
                print(f"{count:6d} idle subscriptions: {memory}")
            runs.append(result | {"load_average": os.getloadavg()})
    save(
        args.name,
        {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
            "machine": "2 cores, 24 GiB; one uvicorn worker (websockets-sansio, no compression); "
            "in-memory pub/sub; clients in a second process on loopback",
            "runs": runs,
        },
    )


if __name__ == "__main__":
    main()
