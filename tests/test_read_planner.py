"""The read planner (issue 13): a planned read answers exactly what the field-by-field
executor answers, in one Cypher round trip whatever the list's length, and reads only
what the selection and the visibility rules need."""

from typing import Any

from odznaka_graph.observability import RoundTrips
from tests.helpers import Api, Person, published_badge, register, tx, verified_issuer
from tests.planner_helpers import both
from tests.profile_helpers import award, befriend, expire, revoke, set_visibility
from tests.social_helpers import act
from tests.team_helpers import badges, create_path, step

PROFILE = """query Profile($h: String!, $n: Int, $after: String) { user(handle: $h) {
  id handle displayName bio visibility createdAt __typename
  awards(first: $n, after: $after) { totalCount __typename
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id issuedAt expiresAt revokedAt status __typename
      evidence { url narrative }
      badge { id name en: name(lang: EN) eqfLevel imageUrl
        issuer { id name __typename } } } } } } }"""
ME = """{ me { handle ...Mine } } fragment Mine on User { awards(first: 2) {
  edges { node { ... on Award { id badge { name } } } } totalCount } }"""


async def test_a_profile_answers_as_the_executor_does_for_every_viewer(
    api: Api, unplanned: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    holder, friend, stranger, blocked = [await register(api) for _ in range(4)]
    ids = []
    for _ in range(4):
        ids.append(await award(api, issuer, await published_badge(api, issuer), holder))
    await revoke(api, issuer, ids[0])
    await befriend(api, holder, friend)
    assert (await act(api, "blockUser", holder, blocked))["__typename"] != "ValidationError"
    viewers = [None, holder, friend, stranger, blocked]
    asked = {"h": holder.handle, "n": 3}
    shown = await both(api, unplanned, PROFILE, asked)
    assert shown["data"]["user"]["awards"]["totalCount"] == 4
    assert shown["data"]["user"]["awards"]["edges"][2]["node"]["status"] == "VALID"
    after = shown["data"]["user"]["awards"]["pageInfo"]["endCursor"]
    last = await both(api, unplanned, PROFILE, asked | {"after": after})
    assert [e["node"]["status"] for e in last["data"]["user"]["awards"]["edges"]] == ["REVOKED"]
    for levels in ({}, {"awards": "CONTACTS"}, {"profile": "CONTACTS"}, {"awards": "PRIVATE"}):
        if levels:
            await set_visibility(api, holder, **levels)
        for viewer in viewers:
            await both(api, unplanned, PROFILE, asked, viewer)
            await both(api, unplanned, ME, {}, viewer)
    assert (await both(api, unplanned, PROFILE, asked, blocked))["data"]["user"] is None


async def test_an_expired_award_and_what_a_plan_leaves_to_the_executor(
    api: Api, unplanned: Api
) -> None:
    issuer = await verified_issuer(api)
    holder = await register(api)
    badge_id = await published_badge(api, issuer, validityDays=30)
    await expire(api, await award(api, issuer, badge_id, holder))
    await both(api, unplanned, PROFILE, {"h": holder.handle})
    filtered = """query($h: String!) { user(handle: $h) {
      awards(filter: {status: [EXPIRED]}, last: 1) { totalCount edges { node { id } } } } }"""
    found = await both(api, unplanned, filtered, {"h": holder.handle})
    assert found["data"]["user"]["awards"]["totalCount"] == 1
    for bad in ({"n": 1000}, {"after": "not-a-cursor"}, {"n": "x"}):
        refused = await both(api, unplanned, PROFILE, {"h": holder.handle} | bad)
        assert refused["errors"]
    await both(api, unplanned, PROFILE, {"h": "nobody-here"})


async def test_one_round_trip_for_two_and_for_two_hundred_awards(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    holder = await register(api)
    badge_id = await published_badge(api, issuer)
    await award(api, issuer, badge_id, holder)
    await _many_awards(api, holder, badge_id, 199)
    trips = []
    for size in (2, 200):
        round_trips.neo4j = round_trips.sql = 0
        page = await api.query(PROFILE, {"h": holder.handle, "n": min(size, 100)})
        assert page["user"]["awards"]["totalCount"] == 200
        trips.append((round_trips.neo4j, round_trips.sql))
    assert trips == [(1, 0), (1, 0)]


async def _many_awards(api: Api, holder: Person, badge_id: str, n: int) -> None:
    """More awards of one badge for one holder, copied in the graph (the planner reads
    only the graph): the ledger's rules are not what this test is about."""
    await api.runtime.services.stores.graph.write(
        """MATCH (u:User)-[:EARNED]->(a:Award)-[:OF]->(b:Badge), (a)-[:AWARDED_BY]->(by:User)
        WHERE b.id = $badge
        UNWIND range(1, $n) AS i
        CREATE (u)-[:EARNED]->(c:Award {id: a.id + '-' + toString(i),
          issuedAt: a.issuedAt + duration({seconds: i}), evidenceUrls: a.evidenceUrls,
          evidenceNarratives: a.evidenceNarratives})-[:OF]->(b)
        CREATE (c)-[:AWARDED_BY]->(by)""",
        badge=_local(badge_id),
        n=n,
    )


def _local(global_id: str) -> str:
    from odznaka_graph.ids import local_id

    found = local_id(global_id, "Badge")
    assert found is not None
    return found


SEARCH = """query Search($text: String!, $n: Int, $after: String) {
  badges(filter: {text: $text}, sort: RELEVANCE, first: $n, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name issuer { id name } } } } }"""


async def test_catalogue_search_answers_as_the_executor_does(
    api: Api, unplanned: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    for pl, en in (
        ("Analiza danych", "Data analysis"),
        ("Dane w chmurze", "Cloud data"),
        ("Programowanie", "Programming"),
        ("Analiza ryzyka", "Risk analysis"),
    ):
        await published_badge(api, issuer, name=tx(pl, en))
    first = await both(api, unplanned, SEARCH, {"text": "analiza", "n": 1})
    assert first["data"]["badges"]["totalCount"] >= 2
    after = first["data"]["badges"]["pageInfo"]["endCursor"]
    await both(api, unplanned, SEARCH, {"text": "analiza", "n": 1, "after": after})
    no_total = SEARCH.replace("totalCount ", "")  # the plan without the count
    await both(api, unplanned, no_total, {"text": "analiza", "n": 1})
    await both(api, unplanned, no_total, {"text": "analiza", "n": 1, "after": after})
    round_trips.neo4j = 0
    await api.query(SEARCH, {"text": "dane", "n": 3})
    assert round_trips.neo4j == 1
    for other in (
        '{ badges(filter: {text: "dane"}, sort: NEWEST) { edges { node { name } } } }',
        '{ badges(filter: {text: "dane", eqfLevel: 5}) { totalCount } }',
        '{ badges(filter: {text: "   "}) { totalCount edges { node { name } } } }',
        '{ badges(filter: {text: "dane"}) { facets { tags { value count } } } }',
        "{ badges { totalCount edges { node { name } } } }",
    ):
        await both(api, unplanned, other, {})


PATH = """query Path($id: ID!) { path(id: $id) { id title visibility followerCount
  viewerFollows __typename steps { key required group prerequisites badge { id name } }
  viewerProgress { percent finished completedSteps { key } nextSteps { key badge { name } } } } }"""


async def test_a_path_with_progress_answers_as_the_executor_does(
    api: Api, unplanned: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    basics, sql, python, excel = await badges(api, issuer, 4)
    learner, stranger = await register(api), await register(api)
    found = {}
    for visibility in ("PUBLIC", "ORGANIZATION"):
        path = await create_path(
            api,
            issuer.owner.token,
            organizationId=issuer.org_id,
            visibility=visibility,
            steps=[
                step("basics", basics),
                step("sql", sql, prerequisites=["basics"]),
                step("python", python, group="tools"),
                step("excel", excel, group="tools"),
            ],
            groups=[{"key": "tools", "minimum": 1}],
        )
        found[visibility] = path["id"]
    await api.mutate("followPath", {"pathId": found["PUBLIC"]}, "... on Path { id }", learner.token)
    await award(api, issuer, sql, learner)
    await award(api, issuer, python, learner)
    for path_id in found.values():
        for viewer in (None, learner, stranger, issuer.owner):
            await both(api, unplanned, PATH, {"id": path_id}, viewer)
    round_trips.neo4j = 0
    mine = await api.query(PATH, {"id": found["PUBLIC"]}, learner.token)
    assert round_trips.neo4j == 1
    assert [s["key"] for s in mine["path"]["viewerProgress"]["completedSteps"]] == [
        "sql",
        "python",
    ]
    await both(api, unplanned, PATH, {"id": "bm90LWEtcGF0aA"})


def test_a_small_selection_reads_only_its_own_properties(api: Api) -> None:
    planner = _planner(api)
    planned = planner.plan('{ user(handle: "ala") { handle } }', None)
    assert planned is not None and planned.plan.cypher is not None
    cypher = planned.plan.cypher
    assert ".handle" in cypher
    for unasked in ("displayName", "bio", "createdAt", "EARNED", ".*", "name_"):
        assert unasked not in cypher, unasked
    hello = planner.plan("{ __typename }", None)
    assert hello is not None and hello.plan.cypher is None  # nothing to read


def test_a_search_reads_the_index_once(api: Api) -> None:
    """With or without `totalCount`, each full-text index is searched once per request."""
    planner = _planner(api)
    for selection in ("totalCount edges { node { name } }", "edges { node { name } }"):
        document = f'{{ badges(filter: {{text: "dane"}}) {{ {selection} }} }}'
        planned = planner.plan(document, None)
        assert planned is not None and planned.plan.cypher is not None
        cypher = planned.plan.cypher
        assert cypher.count("badge_search_folded") == 1, cypher
        assert cypher.count("badge_search_en") == 1, cypher


def test_documents_the_planner_leaves_alone(api: Api) -> None:
    planner = _planner(api)
    for document in (
        '{ user(handle: "ala") { handle @include(if: true) } }',
        '{ user(handle: "ala") { emails { email } } }',
        "mutation { logout { __typename } }",
        '{ user(handle: "ala") { ... on Node { id } } }',
        "{ nope }",
    ):
        assert planner.plan(document, None) is None, document


def _planner(api: Api) -> Any:
    from odznaka_graph.api import build_schema, planner_for

    settings = api.runtime.settings
    return planner_for(build_schema(settings), settings)


async def test_times_read_fast_are_the_same_instants(api: Api) -> None:
    """The planner's cheap microseconds agree with `micros` on both sides of 1970."""
    from odznaka_graph.graph_model.driver import EPOCH, generated, micros
    from odznaka_graph.planner.fields import fast_micros

    texts = ["1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z", "2026-05-01T10:00:00.123456+02:00"]
    query = generated(
        f"UNWIND $texts AS text WITH datetime(text) AS t "
        f"RETURN {fast_micros('t')} AS fast, {micros(generated('t'))} AS exact"
    )
    rows = await api.runtime.services.stores.graph.read(query, texts=texts, epoch=EPOCH)
    assert [row["fast"] for row in rows] == [row["exact"] for row in rows]
    assert rows[0]["exact"] == -500_000
