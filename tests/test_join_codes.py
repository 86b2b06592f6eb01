"""Class join codes cannot be guessed (issue 11): attempts throttled per account and per
client address, codes expire, and teachers may approve each join."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import Api, Person, register, verified_issuer
from tests.team_helpers import TEAM, create_team, join

REQUESTED = "... on JoinRequested { message }"


async def _class(api: Api) -> tuple[Person, dict[str, Any]]:
    issuer = await verified_issuer(api)
    return issuer.owner, await create_team(api, issuer)


async def test_guessing_join_codes_is_throttled_per_account(api: Api) -> None:
    _, team = await _class(api)
    guesser = await register(api)
    limit = api.runtime.settings.join_max_attempts
    codes = [(await join(api, f"ZZZ-{i:03d}", guesser)).get("code") for i in range(limit + 2)]
    assert codes == ["NOT_FOUND"] * limit + ["RATE_LIMITED"] * 2
    # Even the right code waits now: guesses cannot be checked by trying it.
    assert (await join(api, team["joinCode"], guesser))["__typename"] == "RateLimitedError"


async def test_guessing_join_codes_is_throttled_per_client_address(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.runtime.settings, "join_max_attempts_per_client", 4)
    await _class(api)
    guessers = [await register(api) for _ in range(3)]
    codes = [(await join(api, f"QQQ-{i:03d}", guessers[i % 3])).get("code") for i in range(6)]
    assert codes == ["NOT_FOUND"] * 4 + ["RATE_LIMITED"] * 2


async def test_join_codes_expire_and_rotating_gives_a_live_one(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher, team = await _class(api)
    found = await api.query(
        "query($id: ID!) { team(id: $id) { joinCodeExpiresAt } }", {"id": team["id"]}, teacher.token
    )
    expires = datetime.fromisoformat(found["team"]["joinCodeExpiresAt"])
    days = api.runtime.settings.join_code_days
    assert timedelta(days=days - 1) < expires - datetime.now(UTC) <= timedelta(days=days)
    monkeypatch.setattr(api.runtime.settings, "join_code_days", 0)  # codes made now are stale
    rotated = await api.mutate("rotateTeamCode", {"teamId": team["id"]}, TEAM, teacher.token)
    late = await register(api)
    assert (await join(api, rotated["joinCode"], late))["code"] == "NOT_FOUND"
    monkeypatch.setattr(api.runtime.settings, "join_code_days", 14)
    fresh = await api.mutate("rotateTeamCode", {"teamId": team["id"]}, TEAM, teacher.token)
    assert (await join(api, fresh["joinCode"], late))["viewerRole"] == "STUDENT"


async def test_teachers_can_approve_joins(api: Api) -> None:
    teacher, team = await _class(api)
    setting = await api.mutate(
        "setTeamJoinApproval",
        {"teamId": team["id"], "joinApproval": True},
        "... on Team { joinApproval }",
        teacher.token,
    )
    assert setting["joinApproval"] is True
    ola, ela = await register(api), await register(api)
    for pupil in (ola, ela):
        asked = await api.mutate("joinTeam", {"code": team["joinCode"]}, REQUESTED, pupil.token)
        assert asked["__typename"] == "JoinRequested"
    query = "query($id: ID!) { team(id: $id) { memberCount joinRequests { handle userId } } }"
    waiting = (await api.query(query, {"id": team["id"]}, teacher.token))["team"]
    assert waiting["memberCount"] == 1
    assert {r["handle"] for r in waiting["joinRequests"]} == {ola.handle, ela.handle}
    assert (await api.query(query, {"id": team["id"]}, ola.token))["team"] is None  # not yet in
    by_id = {r["handle"]: r["userId"] for r in waiting["joinRequests"]}
    answer = {"teamId": team["id"], "userId": by_id[ola.handle]}
    approved = await api.mutate("approveJoinRequest", answer, TEAM, teacher.token)
    assert approved["memberCount"] == 2
    rejected = await api.mutate(
        "rejectJoinRequest",
        {"teamId": team["id"], "userId": by_id[ela.handle]},
        TEAM,
        teacher.token,
    )
    assert rejected["memberCount"] == 2
    after = (await api.query(query, {"id": team["id"]}, teacher.token))["team"]
    assert after["joinRequests"] == []
    assert (await api.query(query, {"id": team["id"]}, ola.token))["team"]["memberCount"] == 2
    # Only teachers answer.
    by_pupil = await api.mutate("approveJoinRequest", answer, TEAM, ola.token)
    assert by_pupil["code"] == "PERMISSION_DENIED"


async def test_codes_made_before_expiry_existed_keep_working_after_migration(api: Api) -> None:
    from odznaka_graph.graph_model.migrations import migrate

    _, team = await _class(api)
    graph = api.runtime.services.stores.graph
    await graph.write("MATCH (t:Team) REMOVE t.codeExpiresAt")
    await graph.write("MATCH (m:SchemaMigration {version: 10}) DETACH DELETE m")
    assert 10 in await migrate(graph)
    pupil = await register(api)
    assert (await join(api, team["joinCode"], pupil))["__typename"] != "NotFoundError"
