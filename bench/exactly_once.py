"""Fault bench (issue 17), the pieces every run shares: the scene (an issuer, a class with a
challenge, a path with a completion badge, learners following it), clients that retry an
award (same idempotency key) until it is acknowledged, and the check of every consequence
in the SQL store (SQLite or PostgreSQL).

Each learner's first award completes the class challenge (reward points) and the first
badge completes the path (its completion badge, itself awarded with points and a
notification). bench/exactly_once_faults.py kills a process (-9) during the awards;
bench/exactly_once_matrix.py runs the old and the current code interleaved:

    uv run python -m bench.exactly_once_matrix --awards 1000 --rounds 1
"""

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from tests.api_process import mailed_token

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
    """An issuer with published badges, one class with a challenge, a path that the first
    badge completes, its learners (in the class, following the path)."""
    from tests.helpers import tx

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
    badge_ids = [_published_badge(api, org, owner, checker) for _ in range(badges)]
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
    completion = _published_badge(api, org, owner, checker)
    path = api.mutate(
        "createPath",
        "CreatePathInput",
        {
            "organizationId": org,
            "title": tx("Ścieżka"),
            "steps": [{"key": "first", "badgeId": badge_ids[0]}],
            "completionBadgeId": completion,
        },
        owner,
    )["id"]
    people, tokens = [], []
    for i in range(learners):
        token, user = _register(api, f"learner{i}")
        tokens.append(token)
        api.mutate("joinTeam", "JoinTeamInput", {"code": team["joinCode"]}, token)
        api.mutate("followPath", "FollowPathInput", {"pathId": path}, token)
        people.append(user)
    return {
        "owner": owner,
        "badges": badge_ids,
        "completion": completion,
        "learners": people,
        "tokens": tokens,
    }


def _published_badge(api: Api, org: str, owner: str, checker: str) -> str:
    from tests.helpers import complete_badge

    content = {"organizationId": org, "content": complete_badge()}
    badge = str(api.mutate("createBadge", "CreateBadgeInput", content, owner)["id"])
    api.mutate("submitBadgeForReview", "BadgeIdInput", {"badgeId": badge}, owner)
    api.mutate("reviewBadge", "ReviewBadgeInput", {"badgeId": badge, "approve": True}, checker)
    return badge


class Clients:
    """Awards from retrying clients: each retries with its key until acknowledged (or gives
    up after `patience` seconds); the acknowledged requests' seconds, the failed attempts
    by what they met (HTTP status, error code or message, transport error)."""

    def __init__(self, api: Api, owner: str, patience: float = 240.0) -> None:
        self.api, self.owner, self.patience = api, owner, patience
        self.latencies: list[float] = []
        self.failures: Counter[str] = Counter()
        self.acknowledged: list[tuple[str, str]] = []
        self.last_ack = 0.0

    def award(self, job: tuple[str, str, str]) -> None:
        badge, learner, key = job
        variables = {"i": {"badgeId": badge, "recipientId": learner, "idempotencyKey": key}}
        give_up = time.monotonic() + self.patience
        while time.monotonic() < give_up:
            started = time.perf_counter()
            failure = self._attempt(variables)
            if failure is None:
                self.latencies.append(time.perf_counter() - started)
                self.acknowledged.append((badge, learner))
                self.last_ack = time.monotonic()
                return
            self.failures[failure] += 1
            time.sleep(0.2)

    def _attempt(self, variables: dict[str, Any]) -> str | None:
        try:
            response = httpx.post(
                f"{self.api.base}/graphql",
                json={"query": AWARD, "variables": variables},
                headers={"Authorization": f"Bearer {self.owner}"},
                timeout=30,
            )
            body = response.json()
        except (httpx.TransportError, ValueError) as error:
            return f"transport: {type(error).__name__}"
        if body.get("errors"):
            error = body["errors"][0]
            code = (error.get("extensions") or {}).get("code") or error.get("message", "")[:60]
            return f"HTTP {response.status_code}: {code}"
        if (body.get("data") or {}).get("awardBadge", {}).get("__typename") == "Award":
            return None
        return f"HTTP {response.status_code}: {str(body.get('data'))[:60]}"


def effects(url: str, scene: dict[str, Any], acknowledged: list[tuple[str, str]]) -> dict[str, Any]:
    """What the SQL store holds for the learners, against what the acknowledged awards must
    bring: lost awards, duplicates of anything, and each kind of effect missing."""
    return asyncio.run(_effects(url, scene, acknowledged))


async def _effects(
    url: str, scene: dict[str, Any], acknowledged: list[tuple[str, str]]
) -> dict[str, Any]:
    from odznaka_graph.ids import local_id
    from odznaka_graph.ledger.db import create_engine

    ids = [str(local_id(learner, "User")) for learner in scene["learners"]]
    completion = str(local_id(scene["completion"], "Badge"))
    learners = {str(local_id(lr, "User")) for _, lr in acknowledged}  # first award came
    wanted = {(str(local_id(lr, "User")), str(local_id(b, "Badge"))) for b, lr in acknowledged}
    wanted |= {(lr, completion) for lr in learners}
    engine = create_engine(url)
    try:
        async with engine.connect() as sql:

            async def groups(query: str) -> dict[tuple[Any, ...], int]:
                statement = sa.text(query).bindparams(sa.bindparam("ids", expanding=True))
                rows = await sql.execute(statement, {"ids": ids})
                return {tuple(row[:-1]): row[-1] for row in rows}

            awards = await groups(
                "SELECT recipient_id, badge_id, id, count(*) FROM awards "
                "WHERE recipient_id IN :ids GROUP BY recipient_id, badge_id, id"
            )
            held = Counter((r, b) for r, b, _ in awards)
            notified = await groups(
                "SELECT subject_id, count(*) FROM notifications WHERE account_id IN :ids "
                "AND kind = 'AWARD_RECEIVED' GROUP BY subject_id"
            )
            points = await groups(
                "SELECT account_id, reason, source_id, count(*) FROM point_events "
                "WHERE account_id IN :ids GROUP BY account_id, reason, source_id"
            )
            completed = await groups(
                "SELECT account_id, count(*) FROM challenge_completions "
                "WHERE account_id IN :ids GROUP BY account_id"
            )
    finally:
        await engine.dispose()
    award_ids = {award_id for (r, b, award_id) in awards if (r, b) in wanted}
    earned = {source for _, reason, source in points if reason == "CREDENTIAL_EARNED"}
    rewarded = {account for account, reason, _ in points if reason == "CHALLENGE_COMPLETED"}
    groups_counted = [held, notified, points, completed]
    return {
        "lost": sum(1 for pair in wanted - set(held) if pair[1] != completion),
        "duplicated": sum(c - 1 for group in groups_counted for c in group.values() if c > 1),
        "missing": {
            "points": len(award_ids - earned) + len(learners - rewarded),
            "challenge_completions": len(learners - {row[0] for row in completed}),
            "completion_badges": sum(1 for lr in learners if (lr, completion) not in held),
            "notifications": len(award_ids - set(notified_id for (notified_id,) in notified)),
        },
    }


def notified(url: str, learners: list[str]) -> dict[str, set[str]]:
    """Each learner's (global id) notification event ids in the SQL store."""
    return asyncio.run(_notified(url, learners))


async def _notified(url: str, learners: list[str]) -> dict[str, set[str]]:
    from odznaka_graph.ids import local_id
    from odznaka_graph.ledger.db import create_engine

    by_local = {str(local_id(learner, "User")): learner for learner in learners}
    statement = sa.text(
        "SELECT account_id, event_id FROM notifications WHERE account_id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    engine = create_engine(url)
    try:
        async with engine.connect() as sql:
            rows = (await sql.execute(statement, {"ids": list(by_local)})).all()
    finally:
        await engine.dispose()
    found: dict[str, set[str]] = {learner: set() for learner in learners}
    for account_id, event_id in rows:
        found[by_local[str(account_id)]].add(str(event_id))
    return found
