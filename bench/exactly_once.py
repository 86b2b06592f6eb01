"""Fault bench (issue 17): awards from concurrent retrying clients while the API process is
killed (SIGKILL) and restarted, then a check of every consequence in the SQL store.

Each learner is in a class with a challenge that their first award completes, so an award
brings: its points, a notification, a challenge completion with its reward points. The
clients retry (same idempotency key) until an award is acknowledged. Reported: awards
acknowledged, lost (acknowledged, not in the ledger), duplicated (awards, notifications,
completions or reward points more than once), effects missing (a notification or a
completion that never came), catch-up time after the last acknowledgement, and write
latency p50/p95 of the acknowledged requests.

    uv run python -m bench.exactly_once --awards 300 --kills 3 [--code /work/main/src]

`--code` runs the API from another source tree (e.g. the code before issue 17: "before").
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from tests.api_process import mailed_token

from bench.common import api_server, neo4j, percentiles, save
from odznaka_graph.settings import PROJECT_ROOT

PASSWORD = "correct horse battery"
REVIEWER = "checker@example.org"
AWARD = """mutation($i: AwardBadgeInput!) { awardBadge(input: $i) {
  __typename ... on Award { id } } }"""


class Api:
    """The current address of the API (it changes at each restart) and a GraphQL call."""

    def __init__(self, base: str) -> None:
        self.base = base

    def gql(self, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=30,
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]

    def mutate(self, name: str, kind: str, data: dict[str, Any], token: str | None = None) -> Any:
        query = (
            f"mutation($i: {kind}!) {{ {name}(input: $i) {{ __typename ... on Node {{ id }} }} }}"
        )
        return self.gql(query, {"i": data}, token)[name]


def _register(api: Api, handle: str, email: str | None = None) -> tuple[str, str]:
    found = api.gql(
        """mutation($i: RegisterInput!) { register(input: $i) {
        ... on AuthPayload { accessToken userId } } }""",
        {
            "i": {
                "email": email or f"{handle}@example.org",
                "password": PASSWORD,
                "handle": handle,
                "displayName": handle,
            }
        },
    )["register"]
    return found["accessToken"], found["userId"]


def _reviewer(api: Api, db: Path) -> str:
    _register(api, "checker", REVIEWER)
    api.gql(  # the token only in the mail, as the server's SMTP server received it
        "mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { __typename } }",
        {"i": {"token": mailed_token(db.parent / "mailbox.db", REVIEWER)}},
    )
    login = api.gql(
        "mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }",
        {"i": {"email": REVIEWER, "password": PASSWORD}},
    )
    return str(login["login"]["accessToken"])


def _scene(api: Api, db: Path, learners: int, badges: int) -> dict[str, Any]:
    """An issuer with published badges, one class with a challenge, its learners."""
    from tests.helpers import complete_badge, tx

    checker = _reviewer(api, db)
    owner, _ = _register(api, "owner")
    org = api.mutate(
        "createOrganization", "CreateOrganizationInput", {"kind": "SCHOOL", "name": tx("S")}, owner
    )["id"]
    api.mutate(
        "acceptIssuerAgreement", "AcceptIssuerAgreementInput", {"organizationId": org}, owner
    )
    api.mutate(
        "reviewOrganization",
        "ReviewOrganizationInput",
        {"organizationId": org, "approve": True},
        checker,
    )
    badge_ids = []
    for _ in range(badges):
        badge = api.mutate(
            "createBadge",
            "CreateBadgeInput",
            {"organizationId": org, "content": complete_badge()},
            owner,
        )["id"]
        api.mutate("submitBadgeForReview", "BadgeIdInput", {"badgeId": badge}, owner)
        api.mutate("reviewBadge", "ReviewBadgeInput", {"badgeId": badge, "approve": True}, checker)
        badge_ids.append(badge)
    team = api.gql(
        """mutation($i: CreateTeamInput!) { createTeam(input: $i) {
        ... on Team { id joinCode } } }""",
        {"i": {"organizationId": org, "name": tx("Klasa"), "kind": "CLASS"}},
        owner,
    )["createTeam"]
    ends = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 7 * 86400))
    api.mutate(
        "createChallenge",
        "CreateChallengeInput",
        {
            "teamId": team["id"],
            "title": "Pierwsza odznaka",
            "endsAt": ends,
            "goal": {"kind": "POINTS", "points": 1},
            "rewardPoints": 5,
        },
        owner,
    )
    people = []
    for i in range(learners):
        token, user = _register(api, f"learner{i}")
        api.mutate("joinTeam", "JoinTeamInput", {"code": team["joinCode"]}, token)
        people.append(user)
    return {"owner": owner, "badges": badge_ids, "learners": people}


def _award_until_acknowledged(api: Api, owner: str, badge: str, learner: str, key: str) -> float:
    """Retry (same key) until acknowledged; the seconds the acknowledged request took."""
    variables = {"i": {"badgeId": badge, "recipientId": learner, "idempotencyKey": key}}
    while True:
        started = time.perf_counter()
        try:
            found = api.gql(AWARD, variables, owner)["awardBadge"]
            if found["__typename"] == "Award":
                return time.perf_counter() - started
        except (httpx.TransportError, RuntimeError, ValueError):
            pass
        time.sleep(0.2)


def _check(db: Path, learners: list[str]) -> dict[str, Any]:
    from odznaka_graph.ids import local_id

    ids = [str(local_id(learner, "User")) for learner in learners]
    marks = ",".join("?" * len(ids))
    with sqlite3.connect(db) as sql:

        def counts(query: str) -> list[int]:
            return [row[0] for row in sql.execute(query, ids)]

        awards = counts(
            f"SELECT count(*) FROM awards WHERE recipient_id IN ({marks}) "
            "GROUP BY recipient_id, badge_id"
        )
        notified = counts(
            f"SELECT count(*) FROM notifications WHERE account_id IN ({marks}) "
            "AND kind = 'AWARD_RECEIVED' GROUP BY subject_id"
        )
        completions = counts(
            f"SELECT count(*) FROM challenge_completions WHERE account_id IN ({marks}) "
            "GROUP BY account_id"
        )
        rewards = counts(
            f"SELECT count(*) FROM point_events WHERE account_id IN ({marks}) "
            "AND reason = 'CHALLENGE_COMPLETED' GROUP BY account_id"
        )
    return {
        "awards": len(awards),
        "notifications": len(notified),
        "completions": len(completions),
        "duplicated": sum(
            c - 1 for group in (awards, notified, completions, rewards) for c in group
        ),
    }


def run(awards: int, kills: int, clients: int, code: str | None) -> dict[str, Any]:
    var = PROJECT_ROOT / "var" / "bench-exactly-run"
    shutil.rmtree(var, ignore_errors=True)
    shutil.rmtree(PROJECT_ROOT / "var" / "bench-exactly", ignore_errors=True)  # a fresh graph
    var.mkdir(parents=True)
    db = var / "odznaka.db"
    env = {
        "REVIEWER_EMAILS": json.dumps([REVIEWER]),
        "REGISTER_MAX_PER_CLIENT": "100000",
        "LOGIN_MAX_ATTEMPTS_PER_CLIENT": "100000",
        "JOIN_MAX_ATTEMPTS_PER_CLIENT": "100000",
    } | ({"PYTHONPATH": code} if code else {})
    learners_count, badges_count = max(1, awards // 3), 3
    with neo4j("exactly", heap="1g", page_cache="256m") as server:
        server_ctx = api_server(server, var, with_pid=True, **env)
        base, pid = server_ctx.__enter__()
        api = Api(f"http://{base}")
        scene = _scene(api, db, learners_count, badges_count)
        jobs = [
            (badge, learner, f"bench-award-{n}")
            for n, (badge, learner) in enumerate(
                (b, lr) for lr in scene["learners"] for b in scene["badges"]
            )
        ][:awards]
        random.Random(17).shuffle(jobs)
        latencies: list[float] = []
        done = threading.Event()
        acknowledged_at = [0.0]

        def work(job: tuple[str, str, str]) -> None:
            latencies.append(_award_until_acknowledged(api, scene["owner"], *job))
            acknowledged_at[0] = time.monotonic()

        def killer() -> None:
            nonlocal server_ctx, pid
            for _ in range(kills):
                if done.wait(random.uniform(3, 6)):
                    return
                os.kill(pid, signal.SIGKILL)
                server_ctx.__exit__(None, None, None)
                server_ctx = api_server(server, var, with_pid=True, **env)
                base, pid = server_ctx.__enter__()
                api.base = f"http://{base}"
                print(f"killed and restarted the API ({len(latencies)} acknowledged)", flush=True)

        thread = threading.Thread(target=killer)
        thread.start()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(work, jobs))
        done.set()
        thread.join()
        last_ack = acknowledged_at[0]
        found = _check(db, scene["learners"])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
            found["notifications"] < len(jobs) or found["completions"] < learners_count
        ):
            time.sleep(0.5)
            found = _check(db, scene["learners"])
        catch_up = time.monotonic() - last_ack
        time.sleep(3)
        found = _check(db, scene["learners"])
        server_ctx.__exit__(None, None, None)
    timing = percentiles(latencies)
    p95 = round(sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000, 2)
    return {
        "code": code or "this tree",
        "awards": len(jobs),
        "clients": clients,
        "kills": kills,
        "acknowledged": len(latencies),
        "lost": len(jobs) - found["awards"],
        "duplicated": found["duplicated"],
        "notifications_missing": len(jobs) - found["notifications"],
        "completions_missing": learners_count - found["completions"],
        "catch_up_seconds": round(catch_up, 1),
        "write_p50_ms": timing["p50_ms"],
        "write_p95_ms": p95,
        "write_p99_ms": timing["p99_ms"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--awards", type=int, default=300)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--code", help="run the API from this source tree (PYTHONPATH)")
    parser.add_argument("--name", default="exactly-once")
    args = parser.parse_args()
    result = run(args.awards, args.kills, args.clients, args.code)
    print(json.dumps(result, indent=2))
    save(args.name, result)


if __name__ == "__main__":
    main()
