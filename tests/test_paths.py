"""Development paths: shape rules, progress from valid awards, the completion badge once,
and privacy in lists, counts and node(id:)."""

import asyncio
from typing import Any

from odznaka_graph.ids import local_id
from odznaka_graph.projection import Projector
from odznaka_graph.services.awards import awardable_badge, issue
from odznaka_graph.services.tokens import Viewer
from tests.helpers import (
    BADGE,
    Api,
    Issuer,
    Person,
    complete_badge,
    published_badge,
    register,
    tx,
    verified_issuer,
)
from tests.team_helpers import (
    LIST,
    ONE,
    PATH,
    award,
    badges,
    create_path,
    create_team,
    keys,
    ledger_awards,
    listed,
    my_progress,
    pupils,
    step,
)


def _fields(result: dict[str, Any]) -> dict[str, str]:
    assert result["__typename"] == "ValidationError", result
    return {f["field"]: f["message"] for f in result["fields"]}


async def test_a_path_must_have_a_sound_shape(api: Api) -> None:
    issuer = await verified_issuer(api)
    a, b, c = await badges(api, issuer, 3)
    draft = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": complete_badge()},
        BADGE,
        issuer.owner.token,
    )
    other = await verified_issuer(api)
    foreign = await published_badge(api, other)
    token, org = issuer.owner.token, issuer.org_id

    looped = await create_path(
        api,
        token,
        organizationId=org,
        steps=[
            step("a", a, prerequisites=["c"]),
            step("b", b, prerequisites=["a", "zz"]),
            step("c", c, prerequisites=["b"]),
        ],
    )
    errors = _fields(looped)
    assert looped["reason"] == "PATH_INVALID"  # which rule each field breaks: its message
    assert errors["steps.1.prerequisites.1"] == "No step of this path has this key."
    assert "a → c → b → a" in errors["steps.0.prerequisites"]

    bad = await create_path(
        api,
        token,
        organizationId=org,
        visibility="TEAM",
        steps=[
            step("a", a),
            step("a", draft["id"]),
            step("b", b, group="x", required=True),
            step("c", c, group="nope", prerequisites=["c"]),
            step("d", a),
        ],
        groups=[{"key": "x", "minimum": 2}],
        completionBadgeId=foreign,
    )
    assert _fields(bad) == {
        "visibility": "An organisation's path is PUBLIC or ORGANIZATION.",
        "steps.1.key": "Two steps have this key.",
        "steps.1.badgeId": "Only a published, public badge can be a step.",
        "steps.2.required": "A step of an elective group is chosen, not required.",
        "steps.3.group": "No elective group has this key.",
        "steps.3.prerequisites.0": "A step cannot come before itself.",
        "steps.4.badgeId": "This badge is already step “a”.",
        "groups.0.minimum": "The group has 1 step(s): its minimum cannot be more.",
        "completionBadgeId": "Not a badge of the path's organisation.",
    }
    same = await create_path(
        api, token, organizationId=org, steps=[step("a", a)], completionBadgeId=a
    )
    assert _fields(same) == {"completionBadgeId": "The completion badge cannot also be a step."}
    empty = await create_path(api, token, organizationId=org, steps=[])
    assert "steps" in _fields(empty)
    both = await create_path(api, token, steps=[step("a", a)])
    assert (both["reason"], list(_fields(both))) == ("PATH_OWNER_MISSING", ["organizationId"])

    stranger = await register(api)
    denied = await create_path(api, stranger.token, organizationId=org, steps=[step("a", a)])
    assert denied["code"] == "PERMISSION_DENIED"


async def test_progress_follows_valid_awards_through_branches_and_electives(api: Api) -> None:
    issuer = await verified_issuer(api)
    basics, sql, python, excel, viz = await badges(api, issuer, 5)
    path = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[
            step("basics", basics),
            step("sql", sql, prerequisites=["basics"]),
            step("python", python, group="tools"),
            step("excel", excel, group="tools"),
            step("viz", viz, group="tools", prerequisites=["sql"]),
        ],
        groups=[{"key": "tools", "minimum": 2}],
    )
    assert path["__typename"] == "Path", path
    assert path["groups"] == [
        {"key": "tools", "minimum": 2, "stepKeys": ["python", "excel", "viz"]}
    ]
    learner = await register(api)

    start = await my_progress(api, path["id"], learner)
    assert (start["percent"], start["finished"]) == (0, False)
    assert keys(start["nextSteps"]) == ["basics", "python", "excel"]
    blocked = {b["step"]["key"]: keys(b["waitingFor"]) for b in start["blockedSteps"]}
    assert blocked == {"sql": ["basics"], "viz": ["sql"]}

    await award(api, issuer, sql, learner)  # earned out of order: it still counts
    python_award = await award(api, issuer, python, learner)
    middle = await my_progress(api, path["id"], learner)
    assert keys(middle["completedSteps"]) == ["sql", "python"]
    assert middle["percent"] == 50  # 2 of 4: basics, sql, and 2 electives
    assert keys(middle["nextSteps"]) == ["basics", "excel", "viz"]
    assert [(g["done"], g["satisfied"]) for g in middle["groups"]] == [(1, False)]

    revoked = await api.mutate(
        "revokeAward",
        {"awardId": python_award, "reason": "Issued by mistake."},
        "... on Award { id }",
        issuer.owner.token,
    )
    assert revoked["id"] == python_award
    graph = api.runtime.services.stores.graph
    await graph.write(  # the sql award expired yesterday
        "MATCH (a:Award)-[:OF]->(:Badge {id: $id}) SET a.expiresAt = datetime() - duration('P1D')",
        id=local_id(sql, "Badge"),
    )
    after = await my_progress(api, path["id"], learner)
    assert (keys(after["completedSteps"]), after["percent"]) == ([], 0)


async def _followed_path(api: Api) -> tuple[Issuer, list[str], str, dict[str, Any], Person]:
    issuer = await verified_issuer(api)
    *steps, done_badge = await badges(api, issuer, 3)
    path = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[step(f"s{i}", badge_id) for i, badge_id in enumerate(steps)],
        completionBadgeId=done_badge,
    )
    learner = await register(api)
    followed = await api.mutate("followPath", {"pathId": path["id"]}, PATH, learner.token)
    assert (followed["viewerFollows"], followed["followerCount"]) == (True, 1)
    return issuer, steps, done_badge, path, learner


async def test_the_completion_badge_arrives_once(api: Api) -> None:
    issuer, steps, done_badge, path, learner = await _followed_path(api)
    await award(api, issuer, steps[0], learner)
    assert await ledger_awards(api, done_badge) == []
    last = await award(api, issuer, steps[1], learner)
    [granted] = await ledger_awards(api, done_badge)
    assert granted.awarded_by == local_id(issuer.owner.id, "User")
    assert (await my_progress(api, path["id"], learner))["finished"] is True
    me = "{ me { awards(first: 10) { edges { node { badge { id } } } } } }"
    held = (await api.query(me, token=learner.token))["me"]["awards"]["edges"]
    assert done_badge in {edge["node"]["badge"]["id"] for edge in held}

    # Losing a step and earning it again does not grant the badge a second time.
    await api.mutate(
        "revokeAward", {"awardId": last, "reason": "Re-assessed."}, "", issuer.owner.token
    )
    await award(api, issuer, steps[1], learner)
    assert len(await ledger_awards(api, done_badge)) == 1


async def _last_step_in_ledger_only(
    api: Api, issuer: Issuer, badge_id: str, learner: Person
) -> str:
    """Award a badge in the ledger without projecting it, as if Neo4j had been away."""
    async with api.runtime.services.stores.ledger.transaction() as conn:
        owner = Viewer(local_id(issuer.owner.id, "User"), "USER")
        badge, actor = await awardable_badge(conn, owner, str(local_id(badge_id, "Badge")))
        recipient = str(local_id(learner.id, "User"))
        await issue(conn, badge, actor, recipient, None, f"last-step:{recipient}", [])
    return recipient


async def test_concurrent_projection_awards_the_completion_badge_once(api: Api) -> None:
    issuer, steps, done_badge, path, learner = await _followed_path(api)
    second = await register(api)
    await api.mutate("followPath", {"pathId": path["id"]}, PATH, second.token)
    for person in (learner, second):
        await award(api, issuer, steps[0], person)
    stores, completion = api.runtime.services.stores, api.runtime.services.paths.completion

    # Retried and concurrent completion checks for one learner race in the ledger.
    recipient = await _last_step_in_ledger_only(api, issuer, steps[1], learner)
    await Projector(stores.ledger, stores.graph).flush()  # into the graph, no after-steps
    await asyncio.gather(*(completion.award_finished([recipient]) for _ in range(3)))
    assert len(await ledger_awards(api, done_badge)) == 1

    # Two API instances project the same award at once, each running the completion step.
    await _last_step_in_ledger_only(api, issuer, steps[1], second)
    other = Projector(stores.ledger, stores.graph)
    other.effects.handlers = stores.projector.effects.handlers
    both = await asyncio.gather(stores.projector.flush(), other.flush())
    # each saw the award (and the points it brought) and runs the event handlers
    assert list(both) == [2, 2]
    await asyncio.gather(stores.projector.effects.run_pass(), other.effects.run_pass())
    await stores.projector.drain()
    holders = [row.recipient_id for row in await ledger_awards(api, done_badge)]
    assert sorted(holders) == sorted([recipient, str(local_id(second.id, "User"))])


async def test_following_a_path_already_done_awards_at_once(api: Api) -> None:
    issuer = await verified_issuer(api)
    first, done_badge = await badges(api, issuer, 2)
    path = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[step("only", first)],
        completionBadgeId=done_badge,
    )
    learner = await register(api)
    await award(api, issuer, first, learner)
    assert await ledger_awards(api, done_badge) == []
    await api.mutate("followPath", {"pathId": path["id"]}, PATH, learner.token)
    assert len(await ledger_awards(api, done_badge)) == 1
    # The creator finishing their own path is never a self-award.
    await award(api, await _second_staff(api, issuer), first, issuer.owner)
    await api.mutate("followPath", {"pathId": path["id"]}, PATH, issuer.owner.token)
    assert len(await ledger_awards(api, done_badge)) == 1


async def _second_staff(api: Api, issuer: Issuer) -> Issuer:
    colleague = await register(api)
    await api.mutate(
        "addOrganizationStaff",
        {"organizationId": issuer.org_id, "userId": colleague.id, "role": "ISSUER"},
        "... on Organization { id }",
        issuer.owner.token,
    )
    return Issuer(colleague, issuer.reviewer, issuer.org_id)


async def test_update_replaces_what_is_given(api: Api) -> None:
    issuer = await verified_issuer(api)
    a, b = await badges(api, issuer, 2)
    path = await create_path(
        api, issuer.owner.token, organizationId=issuer.org_id, steps=[step("a", a)]
    )
    update = {"pathId": path["id"], "steps": [step("a", a), step("b", b, prerequisites=["a"])]}
    changed = await api.mutate("updatePath", update, PATH, issuer.owner.token)
    assert changed["title"] == "Ścieżka analityka"
    assert [(s["key"], s["prerequisites"]) for s in changed["steps"]] == [("a", []), ("b", ["a"])]
    renamed = await api.mutate(
        "updatePath",
        {"pathId": path["id"], "title": tx("Nowa nazwa"), "visibility": "ORGANIZATION"},
        PATH,
        issuer.owner.token,
    )
    assert (renamed["title"], renamed["visibility"], len(renamed["steps"])) == (
        "Nowa nazwa",
        "ORGANIZATION",
        2,
    )
    stranger = await register(api)
    hidden = await api.mutate("updatePath", {"pathId": path["id"]}, PATH, stranger.token)
    assert hidden["code"] == "NOT_FOUND"


async def test_private_paths_never_leak(api: Api) -> None:
    issuer = await verified_issuer(api)
    [badge_id] = await badges(api, issuer, 1)
    token = issuer.owner.token
    public = await create_path(
        api, token, organizationId=issuer.org_id, steps=[step("a", badge_id)]
    )
    staff_only = await create_path(
        api,
        token,
        organizationId=issuer.org_id,
        visibility="ORGANIZATION",
        title=tx("Dla kadry"),
        steps=[step("a", badge_id)],
    )
    team = await create_team(api, issuer)
    class_path = await create_path(api, token, teamId=team["id"], steps=[step("a", badge_id)])
    assert class_path["visibility"] == "TEAM" and class_path["team"]["id"] == team["id"]
    [pupil] = await pupils(api, team["joinCode"], 1)
    outsider = await register(api)

    assert await listed(api, None) == (1, {public["id"]})
    assert await listed(api, outsider.token) == (1, {public["id"]})
    assert await listed(api, pupil.token) == (2, {public["id"], class_path["id"]})
    every = {public["id"], staff_only["id"], class_path["id"]}
    assert await listed(api, token) == (3, every)
    assert await listed(api, outsider.token, teamId=team["id"]) == (0, set())
    assert await listed(api, token, text="KADR") == (1, {staff_only["id"]})
    assert await listed(api, None, organizationId=issuer.org_id) == (1, {public["id"]})
    for path in (staff_only, class_path):
        for viewer in (None, outsider.token):
            assert (await api.query(ONE, {"id": path["id"]}, viewer)) == {
                "path": None,
                "node": None,
            }
    seen = await api.query(ONE, {"id": class_path["id"]}, pupil.token)
    assert seen["path"]["id"] == class_path["id"] == seen["node"]["id"]
    refused = await api.mutate("followPath", {"pathId": staff_only["id"]}, PATH, outsider.token)
    assert refused["code"] == "NOT_FOUND"

    # Paging both ways over what the viewer may see.
    first = (await api.query(LIST, {"first": 2}, token))["paths"]
    assert first["pageInfo"]["hasNextPage"] and first["totalCount"] == 3
    rest = await api.query(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token)
    back = await api.query(
        LIST, {"last": 2, "before": rest["paths"]["pageInfo"]["startCursor"]}, token
    )
    assert back["paths"]["edges"] == first["edges"]


async def test_followed_paths_are_the_viewers_own(api: Api) -> None:
    issuer, _, _, path, learner = await _followed_path(api)
    query = """query($h: String!) { user(handle: $h) { followedPaths { totalCount
      edges { node { id viewerProgress { percent } } } } } }"""
    own = (await api.query(query, {"h": learner.handle}, learner.token))["user"]["followedPaths"]
    assert own["totalCount"] == 1
    assert own["edges"][0]["node"] == {"id": path["id"], "viewerProgress": {"percent": 0}}
    other = await api.query(query, {"h": learner.handle}, issuer.owner.token)
    assert other["user"]["followedPaths"] == {"totalCount": 0, "edges": []}
    dropped = await api.mutate("unfollowPath", {"pathId": path["id"]}, PATH, learner.token)
    assert (dropped["viewerFollows"], dropped["followerCount"]) == (False, 0)
