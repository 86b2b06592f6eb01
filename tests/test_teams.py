"""Classes and business teams: creating, joining by code, roles, the last teacher, privacy."""

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from odznaka_graph.observability import RoundTrips
from odznaka_graph.services.teams import CODE_ALPHABET
from tests.helpers import Api, Person, published_badge, register, tx, verified_issuer
from tests.team_helpers import TEAM, create_path, create_team, join, pupils, step

TEAM_QUERY = """query($id: ID!) { team(id: $id) { id name kind viewerRole joinCode memberCount
  members(first: 10) { totalCount edges { node { handle role userId } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Team { name } } }"
MY_TEAMS = "{ me { teams { totalCount edges { node { id name viewerRole } } } } }"


async def test_a_class_is_joined_with_its_code_and_seen_by_members_only(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    assert (team["kind"], team["viewerRole"], team["memberCount"]) == ("CLASS", "TEACHER", 1)
    code = team["joinCode"]
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{3}}-[{CODE_ALPHABET}]{{3}}", code), code

    ola, outsider = await register(api), await register(api)
    typed = code.lower().replace("-", " ")  # as a pupil might type it
    joined = await join(api, typed, ola)
    assert (joined["viewerRole"], joined["memberCount"], joined["joinCode"]) == ("STUDENT", 2, None)
    again = await join(api, code, ola)
    assert (again["viewerRole"], again["memberCount"]) == ("STUDENT", 2)
    wrong = await join(api, "ZZZ-ZZZ", outsider)
    assert wrong["__typename"] == "NotFoundError"

    seen = (await api.query(TEAM_QUERY, {"id": team["id"]}, ola.token))["team"]
    assert seen["name"] == "Klasa 3b" and seen["members"]["totalCount"] == 2
    roles = {edge["node"]["role"] for edge in seen["members"]["edges"]}
    assert roles == {"TEACHER", "STUDENT"}
    for token in (outsider.token, None):
        assert (await api.query(TEAM_QUERY, {"id": team["id"]}, token))["team"] is None
        assert (await api.query(NODE, {"id": team["id"]}, token))["node"] is None
    assert (await api.query(NODE, {"id": team["id"]}, ola.token))["node"]["name"] == "Klasa 3b"

    mine = (await api.query(MY_TEAMS, token=ola.token))["me"]["teams"]
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["viewerRole"] == "STUDENT"
    others = """query($h: String!) { user(handle: $h) { teams { totalCount } } }"""
    assert (await api.query(others, {"h": ola.handle}, outsider.token))["user"]["teams"] == {
        "totalCount": 0
    }


async def test_only_organisation_staff_create_teams(api: Api) -> None:
    issuer = await verified_issuer(api)
    stranger = await register(api)
    data = {"organizationId": issuer.org_id, "name": tx("Zespół"), "kind": "BUSINESS_TEAM"}
    denied = await api.mutate("createTeam", data, TEAM, stranger.token)
    assert denied["code"] == "PERMISSION_DENIED"
    anonymous = await api.mutate("createTeam", data, TEAM)
    assert anonymous["code"] == "UNAUTHENTICATED"
    nameless = await api.mutate("createTeam", data | {"name": []}, TEAM, issuer.owner.token)
    assert [f["field"] for f in nameless["fields"]] == ["name"]
    team = await api.mutate("createTeam", data, TEAM, issuer.owner.token)
    assert (team["kind"], team["viewerRole"]) == ("BUSINESS_TEAM", "LEADER")
    member = await register(api)
    assert (await join(api, team["joinCode"], member))["viewerRole"] == "MEMBER"


async def test_a_rotated_code_replaces_the_old_one(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [ola] = await pupils(api, team["joinCode"], 1)
    refused = await api.mutate("rotateTeamCode", {"teamId": team["id"]}, TEAM, ola.token)
    assert refused["code"] == "PERMISSION_DENIED"
    rotated = await api.mutate("rotateTeamCode", {"teamId": team["id"]}, TEAM, issuer.owner.token)
    assert rotated["joinCode"] != team["joinCode"]
    late = await register(api)
    assert (await join(api, team["joinCode"], late))["__typename"] == "NotFoundError"
    assert (await join(api, rotated["joinCode"], late))["memberCount"] == 3


async def test_teachers_manage_members_and_a_class_keeps_a_teacher(api: Api) -> None:
    issuer = await verified_issuer(api)
    teacher = issuer.owner
    team = await create_team(api, issuer)
    ola, kuba, second = await register(api), await register(api), await register(api)

    def member(person: object, role: str = "STUDENT") -> dict[str, str]:
        return {"teamId": team["id"], "userId": person.id, "role": role}  # type: ignore[attr-defined]

    added = await api.mutate("addTeamMember", member(ola), TEAM, teacher.token)
    assert added["memberCount"] == 2
    leader = await api.mutate("addTeamMember", member(kuba, "LEADER"), TEAM, teacher.token)
    assert [f["field"] for f in leader["fields"]] == ["role"]
    by_pupil = await api.mutate("addTeamMember", member(kuba), TEAM, ola.token)
    assert by_pupil["code"] == "PERMISSION_DENIED"
    by_outsider = await api.mutate("addTeamMember", member(kuba), TEAM, kuba.token)
    assert by_outsider["code"] == "NOT_FOUND"

    remove = {"teamId": team["id"], "userId": teacher.id}
    itself = await api.mutate("removeTeamMember", remove, TEAM, teacher.token)
    assert [f["field"] for f in itself["fields"]] == ["userId"]
    last = await api.mutate("leaveTeam", {"teamId": team["id"]}, "", teacher.token)
    assert last["code"] == "CONFLICT"
    demoted = await api.mutate("addTeamMember", member(teacher), TEAM, teacher.token)
    assert demoted["code"] == "CONFLICT"

    await api.mutate("addTeamMember", member(second, "TEACHER"), TEAM, teacher.token)
    gone = await api.mutate(
        "removeTeamMember", {"teamId": team["id"], "userId": ola.id}, TEAM, second.token
    )
    assert gone["memberCount"] == 2
    left = await api.mutate(
        "leaveTeam", {"teamId": team["id"]}, "... on TeamLeft { teamId }", teacher.token
    )
    assert left["teamId"] == team["id"]
    # The teacher owns the school: its owners and admins see every class (issue 15).
    as_owner = (await api.query(TEAM_QUERY, {"id": team["id"]}, teacher.token))["team"]
    assert as_owner["viewerRole"] is None
    assert (await api.query(TEAM_QUERY, {"id": team["id"]}, ola.token))["team"] is None
    not_member = await api.mutate("leaveTeam", {"teamId": team["id"]}, "", ola.token)
    assert not_member["code"] == "NOT_FOUND"


async def test_two_teachers_removing_each_other_at_once_leave_one(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    first, second = issuer.owner, await register(api)
    await api.mutate(
        "addTeamMember",
        {"teamId": team["id"], "userId": second.id, "role": "TEACHER"},
        TEAM,
        first.token,
    )
    results = await asyncio.gather(
        api.mutate(
            "removeTeamMember", {"teamId": team["id"], "userId": second.id}, TEAM, first.token
        ),
        api.mutate(
            "removeTeamMember", {"teamId": team["id"], "userId": first.id}, TEAM, second.token
        ),
    )
    kinds = sorted(result["__typename"] for result in results)
    assert kinds in (
        ["ConflictError", "Team"],
        ["NotFoundError", "Team"],
        ["PermissionDeniedError", "Team"],
    )
    teachers = await api.runtime.services.stores.graph.read(
        "MATCH (:User)-[m:MEMBER_OF {role: 'TEACHER'}]->(:Team) RETURN count(m) AS n"
    )
    assert teachers[0]["n"] == 1


async def test_members_page_by_name(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    await pupils(api, team["joinCode"], 4)
    query = """query($id: ID!, $after: String) { team(id: $id) { members(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { displayName } } } } }"""
    names: list[str] = []
    after = None
    while True:
        data = await api.query(query, {"id": team["id"], "after": after}, issuer.owner.token)
        page = data["team"]["members"]
        assert page["totalCount"] == 5
        names += [edge["node"]["displayName"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(names) == 5 and names == sorted(names, key=str.lower)


async def test_badges_of_a_teams_organisation_stay_public(api: Api) -> None:
    """A team changes nothing about who sees the organisation's badges."""
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    await create_team(api, issuer)
    query = "query($id: ID!) { badge(id: $id) { id } }"
    assert (await api.query(query, {"id": badge_id}))["badge"]["id"] == badge_id


CLASS_PROGRESS = """query($id: ID!) { team(id: $id) { name pathProgress(first: 100) {
  totalCount edges { node {
    member { handle role user { handle } }
    paths { percent finished path { title } completedSteps { key badge { name } }
      nextSteps { key } blockedSteps { step { key } waitingFor { key } }
      groups { done satisfied } } } } }
  challenges(first: 5) { totalCount edges { node { title status goal { kind }
    leaderboard { entries(first: 100) { totalCount edges { node { rank score handle } } } }
  } } } } }"""


async def _challenges(api: Api, issuer: Any, team_id: str, badge_ids: list[str]) -> None:
    """Five challenges of every kind, for the teacher's dashboard."""
    ends = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    goals = [
        {"kind": "POINTS", "points": 50},
        {"kind": "BADGES", "badgeIds": badge_ids[:2]},
        {"kind": "BADGES", "badgeIds": badge_ids[2:]},
        {"kind": "POINTS", "points": 100},
        {"kind": "BADGES", "badgeIds": badge_ids[:1]},
    ]
    for number, goal in enumerate(goals):
        data = {"teamId": team_id, "title": f"Wyzwanie {number}", "endsAt": ends, "goal": goal}
        created = await api.mutate(
            "createChallenge", data, "... on Challenge { id }", issuer.owner.token
        )
        assert created["__typename"] == "Challenge", created


async def _class_paths(api: Api, issuer: Any, team_id: str, badge_ids: list[str]) -> None:
    """Ten paths over five badges: chains, and electives on every other one."""
    for index in range(10):
        chosen = [badge_ids[(index + k) % len(badge_ids)] for k in range(3)]
        electives = index % 2 == 1
        path = await create_path(
            api,
            issuer.owner.token,
            teamId=team_id,
            title=tx(f"Ścieżka {index}"),
            steps=[
                step("a", chosen[0]),
                step("b", chosen[1], prerequisites=["a"], **({"group": "g"} if electives else {})),
                step("c", chosen[2], prerequisites=["b"], **({"group": "g"} if electives else {})),
            ],
            groups=[{"key": "g", "minimum": 1}] if electives else [],
        )
        assert path["__typename"] == "Path", path


async def _award_some(api: Api, issuer: Any, badge_ids: list[str], people: list[Person]) -> None:
    """Each pupil gets a different share of the badges, through the real bulk award path."""
    for index, badge_id in enumerate(badge_ids):
        handles = [p.handle for n, p in enumerate(people) if (n + index) % 3 != 0]
        result = await api.mutate(
            "bulkAwardBadge",
            {"badgeId": badge_id, "recipients": handles, "idempotencyKey": f"class-badge-{index}"},
            "... on BulkAwardReport { awarded alreadyHeld }",
            issuer.owner.token,
        )
        assert result["__typename"] == "BulkAwardReport", result


async def test_the_teachers_dashboard_costs_the_same_for_4_and_40_pupils(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    badge_ids = [await published_badge(api, issuer) for _ in range(5)]
    team = await create_team(api, issuer)
    await _class_paths(api, issuer, team["id"], badge_ids)
    await _challenges(api, issuer, team["id"], badge_ids)
    counts = []
    for size in (4, 40):
        have = (await api.query(TEAM_QUERY, {"id": team["id"]}, issuer.owner.token))["team"]
        people = await pupils(api, team["joinCode"], size - (have["memberCount"] - 1))
        await _award_some(api, issuer, badge_ids, people)
        round_trips.neo4j = round_trips.sql = 0
        data = await api.query(CLASS_PROGRESS, {"id": team["id"]}, issuer.owner.token)
        counts.append((round_trips.neo4j, round_trips.sql))
        rows = data["team"]["pathProgress"]["edges"]
        assert data["team"]["pathProgress"]["totalCount"] == size == len(rows)
        assert all(len(row["node"]["paths"]) == 10 for row in rows)
        boards = [edge["node"]["leaderboard"] for edge in data["team"]["challenges"]["edges"]]
        assert [board["entries"]["totalCount"] for board in boards] == [size] * 5
    print("dashboard round trips (neo4j, sql) for 4 and 40 pupils:", counts)
    assert counts[0] == counts[1]
    # progress: the team, its paths, the page of pupils with the badges they hold, then
    # batched loaders (profiles, badges, who blocks the viewer); the five challenges'
    # boards share one read of the team's learners (their SQL measures are per challenge)
    assert counts[1][0] <= 7


async def test_class_progress_is_for_teachers_only(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    [pupil] = await pupils(api, team["joinCode"], 1)
    query = "query($id: ID!) { team(id: $id) { pathProgress { totalCount } } }"
    assert (await api.query(query, {"id": team["id"]}, pupil.token))["team"] == {
        "pathProgress": None
    }
    assert (await api.query(query, {"id": team["id"]}, issuer.owner.token))["team"] == {
        "pathProgress": {"totalCount": 1}
    }
