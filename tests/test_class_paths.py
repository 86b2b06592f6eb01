"""Done means: a class works through a private path, and outsiders never see it."""

from odznaka_graph.ids import local_id
from tests.helpers import Api, register, tx, verified_issuer
from tests.team_helpers import (
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

CLASS_VIEW = """query($id: ID!) { team(id: $id) {
  paths { totalCount edges { node { id } } }
  pathProgress { edges { node { member { handle } paths { percent finished } } } } } }"""


async def test_a_class_works_through_a_private_path(api: Api) -> None:
    """Done means: a teacher creates a class, pupils join with the code, the teacher
    publishes a private path, pupils progress as they earn badges, the completion badge
    arrives once, and outsiders see neither the path nor the class."""
    school = await verified_issuer(api)
    teacher = school.owner
    intro, project, essay, talk, done_badge = await badges(api, school, 5)
    team = await create_team(api, school)
    ola, kuba = await pupils(api, team["joinCode"], 2)
    path = await create_path(
        api,
        teacher.token,
        teamId=team["id"],
        title=tx("Projekt semestralny"),
        steps=[
            step("intro", intro),
            step("project", project, prerequisites=["intro"]),
            step("essay", essay, group="show", prerequisites=["project"]),
            step("talk", talk, group="show", prerequisites=["project"]),
        ],
        groups=[{"key": "show", "minimum": 1}],
        completionBadgeId=done_badge,
    )
    assert (path["visibility"], path["completionBadge"]["id"]) == ("TEAM", done_badge)
    for pupil in (ola, kuba):
        followed = await api.mutate("followPath", {"pathId": path["id"]}, PATH, pupil.token)
        assert followed["viewerFollows"] is True

    await award(api, school, intro, ola)
    await award(api, school, intro, kuba)
    assert (await my_progress(api, path["id"], ola))["percent"] == 33
    await award(api, school, project, ola)
    assert keys((await my_progress(api, path["id"], ola))["nextSteps"]) == ["essay", "talk"]
    assert await ledger_awards(api, done_badge) == []
    await award(api, school, talk, ola)
    finished = await my_progress(api, path["id"], ola)
    assert (finished["percent"], finished["finished"]) == (100, True)
    await award(api, school, essay, ola)  # more than needed: still one completion badge
    [granted] = await ledger_awards(api, done_badge)
    assert granted.recipient_id == local_id(ola.id, "User")

    view = (await api.query(CLASS_VIEW, {"id": team["id"]}, teacher.token))["team"]
    assert view["paths"]["totalCount"] == 1
    progress_by_pupil = {
        edge["node"]["member"]["handle"]: edge["node"]["paths"][0]
        for edge in view["pathProgress"]["edges"]
    }
    assert progress_by_pupil == {
        ola.handle: {"percent": 100, "finished": True},
        kuba.handle: {"percent": 33, "finished": False},
    }

    outsider = await register(api)
    for token in (outsider.token, None):
        assert (await api.query(ONE, {"id": path["id"]}, token)) == {"path": None, "node": None}
        assert (await api.query(CLASS_VIEW, {"id": team["id"]}, token))["team"] is None
        assert await listed(api, token) == (0, set())
        assert await listed(api, token, teamId=team["id"]) == (0, set())
    assert (await listed(api, ola.token))[1] == {path["id"]}
    await api.mutate("leaveTeam", {"teamId": team["id"]}, "", kuba.token)
    assert (await api.query(ONE, {"id": path["id"]}, kuba.token))["path"] is None
