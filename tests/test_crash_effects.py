"""Everything that follows an award happens exactly once although the API process is
killed (SIGKILL) right after the award was committed and projected, before any of its
event handlers ran: after a restart on the same stores, the points, the challenge
completion with its reward, the path's completion badge and every notification are there,
each once."""

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from tests.api_process import AWARD, api_process
from tests.helpers import published_badge
from tests.live_helpers import remote, remote_issuer
from tests.team_helpers import create_path, create_team, pupils, step

CHALLENGE = "... on Challenge { id status }"


async def _scene(base: str) -> dict[str, Any]:
    """A class with a pupil, a challenge and a path that one badge completes."""
    async with remote(base) as api:
        issuer = await remote_issuer(api)
        team = await create_team(api, issuer)
        [pupil] = await pupils(api, team["joinCode"], 1)
        goal, reward, done = [await published_badge(api, issuer) for _ in range(3)]
        challenge = await api.mutate(
            "createChallenge",
            {
                "teamId": team["id"],
                "title": "Tydzień danych",
                "endsAt": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
                "goal": {"kind": "BADGES", "badgeIds": [goal]},
                "rewardPoints": 50,
                "rewardBadgeId": reward,
            },
            CHALLENGE,
            issuer.owner.token,
        )
        assert challenge["__typename"] == "Challenge", challenge
        path = await create_path(
            api,
            issuer.owner.token,
            organizationId=issuer.org_id,
            steps=[step("only", goal)],
            completionBadgeId=done,
        )
        await api.mutate("followPath", {"pathId": path["id"]}, "... on Path { id }", pupil.token)
        return {
            "token": issuer.owner.token,
            "pupil": local_id(pupil.id, "User"),
            "pupil_id": pupil.id,
            "goal": goal,
            "badges": [local_id(b, "Badge") for b in (goal, reward, done)],
            "challenge": local_id(challenge["id"], "Challenge"),
        }


def _award_and_die(base: str, scene: dict[str, Any]) -> None:
    """Awards, and waits for the process to die after projecting it. An award answers at
    its ledger commit (issue 17), so the answer may come before the kill or not at all."""
    variables = {"i": {"badgeId": scene["goal"], "recipientId": scene["pupil_id"]}}
    try:
        httpx.post(
            f"http://{base}/graphql",
            json={"query": AWARD, "variables": variables},
            headers={"Authorization": f"Bearer {scene['token']}"},
            timeout=60,
        )
    except httpx.TransportError:
        return  # no answer: the process died on the way
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://{base}/healthz", timeout=2)
        except httpx.TransportError:
            return  # died while projecting the award, after answering
        time.sleep(0.1)
    raise AssertionError("the process did not die after projecting the award")


def _effects(db: Path, scene: dict[str, Any]) -> dict[str, Any]:
    pupil = scene["pupil"]
    with sqlite3.connect(db) as sql:

        def rows(query: str, *args: Any) -> list[Any]:
            return sql.execute(query, args).fetchall()

        held = rows(
            "SELECT badge_id, count(*) FROM awards WHERE recipient_id = ? GROUP BY badge_id", pupil
        )
        return {
            "awards": dict(held),
            "points": rows(
                "SELECT reason, count(*) FROM point_events WHERE account_id = ? GROUP BY reason "
                "ORDER BY reason",
                pupil,
            ),
            "completions": rows("SELECT count(*) FROM challenge_completions")[0][0],
            "notified": rows(
                "SELECT subject_id, count(*) FROM notifications WHERE account_id = ? "
                "AND kind = 'AWARD_RECEIVED' GROUP BY subject_id",
                pupil,
            ),
            "pushes": rows(
                "SELECT count(*) FROM outbox WHERE topic = 'notification.created' "
                "AND json_extract(payload, '$.account_id') = ?",
                pupil,
            )[0][0],
        }


def _complete(found: dict[str, Any], scene: dict[str, Any]) -> bool:
    return len(found["awards"]) == 3 and found["completions"] == 1 and len(found["notified"]) == 3


async def test_effects_of_an_award_survive_a_kill_after_its_commit(
    settings: Settings, tmp_path: Path
) -> None:
    with api_process(settings, tmp_path, CRASH_AFTER_PROJECTING="award.issued") as base:
        scene = await _scene(base)
        _award_and_die(base, scene)
    before = _effects(tmp_path / "odznaka.db", scene)
    assert before["awards"] == {scene["badges"][0]: 1}  # the award was committed
    assert before["completions"] == 0 and before["notified"] == []  # nothing followed yet

    with api_process(settings, tmp_path):
        deadline = time.monotonic() + 90
        found = _effects(tmp_path / "odznaka.db", scene)
        while not _complete(found, scene) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            found = _effects(tmp_path / "odznaka.db", scene)
        await asyncio.sleep(3)  # a few more relay passes: nothing may come twice
        found = _effects(tmp_path / "odznaka.db", scene)

    assert found["awards"] == {badge: 1 for badge in scene["badges"]}, found
    assert found["completions"] == 1, found
    # the goal badge, the reward badge and the completion badge: each earned once; the
    # challenge's reward points once
    assert found["points"] == [("CHALLENGE_COMPLETED", 1), ("CREDENTIAL_EARNED", 3)], found
    assert sorted(count for _, count in found["notified"]) == [1, 1, 1], found
    assert found["pushes"] == 3, found  # one live push per notification, each once
