"""The public catalogue: pagination edges, privacy of drafts, node(id:), page-size limits."""

from tests.helpers import BADGE, Api, complete_badge, published_badge, verified_issuer

PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $sort: BadgeSort) {
  badges(first: $first, after: $after, last: $last, before: $before, sort: $sort) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def _catalogue(api: Api, names: list[str]) -> None:
    issuer = await verified_issuer(api)
    for name in names:
        await published_badge(api, issuer, name=[{"lang": "PL", "text": name}])


async def test_pages_forward_and_back_by_name(api: Api) -> None:
    await _catalogue(api, ["Ekologia", "Astronomia", "Chemia", "Biologia", "Dietetyka"])
    first = (await api.query(PAGE, {"first": 2, "sort": "NAME"}))["badges"]
    assert first["totalCount"] == 5
    assert [e["node"]["name"] for e in first["edges"]] == ["Astronomia", "Biologia"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]

    after = first["pageInfo"]["endCursor"]
    second = (await api.query(PAGE, {"first": 2, "after": after, "sort": "NAME"}))["badges"]
    assert [e["node"]["name"] for e in second["edges"]] == ["Chemia", "Dietetyka"]
    last_page = (
        await api.query(
            PAGE, {"first": 2, "after": second["pageInfo"]["endCursor"], "sort": "NAME"}
        )
    )["badges"]
    assert [e["node"]["name"] for e in last_page["edges"]] == ["Ekologia"]
    assert not last_page["pageInfo"]["hasNextPage"]

    back = (
        await api.query(
            PAGE, {"last": 2, "before": last_page["pageInfo"]["startCursor"], "sort": "NAME"}
        )
    )["badges"]
    assert [e["node"]["name"] for e in back["edges"]] == ["Chemia", "Dietetyka"]
    assert back["pageInfo"]["hasPreviousPage"] and back["pageInfo"]["hasNextPage"]
    tail = (await api.query(PAGE, {"last": 2, "sort": "NAME"}))["badges"]
    assert [e["node"]["name"] for e in tail["edges"]] == ["Dietetyka", "Ekologia"]
    empty = (await api.query(PAGE, {"first": 0}))["badges"]
    assert empty["edges"] == [] and empty["totalCount"] == 5


async def test_newest_first_by_default(api: Api) -> None:
    await _catalogue(api, ["Pierwsza", "Druga", "Trzecia"])
    page = (await api.query(PAGE, {"first": 3}))["badges"]
    assert [e["node"]["name"] for e in page["edges"]] == ["Trzecia", "Druga", "Pierwsza"]


async def test_text_filter(api: Api) -> None:
    await _catalogue(api, ["Programowanie w Pythonie", "Ratownictwo"])
    found = await api.query('{ badges(filter: {text: "python"}) { totalCount } }')
    assert found["badges"]["totalCount"] == 1


async def test_drafts_stay_private_in_lists_counts_and_node(api: Api) -> None:
    issuer = await verified_issuer(api)
    await published_badge(api, issuer)
    draft = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": complete_badge("Szkic")},
        BADGE,
        issuer.owner.token,
    )
    listed = await api.query("{ badges { totalCount edges { node { name } } } }")
    assert listed["badges"]["totalCount"] == 1
    node = "query($id: ID!) { node(id: $id) { id ... on Badge { status } } }"
    assert (await api.query(node, {"id": draft["id"]}))["node"] is None
    assert (await api.query(node, {"id": draft["id"]}, issuer.owner.token))["node"] == {
        "id": draft["id"],
        "status": "DRAFT",
    }
    assert (await api.query(node, {"id": draft["id"]}, issuer.reviewer.token))["node"] is not None
    many = await api.query(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [draft["id"], "garbage", issuer.org_id]},
    )
    assert many["nodes"] == [None, None, {"id": issuer.org_id}]


async def test_page_size_and_cursor_errors_are_clear(api: Api) -> None:
    too_many = (await api.raw("{ badges(first: 101) { totalCount } }")).json()
    assert "between 0 and 100" in too_many["errors"][0]["message"]  # the limit, for people
    both = (await api.raw("{ badges(first: 1, last: 1) { totalCount } }")).json()
    cursor = (await api.raw('{ badges(after: "bogus!") { totalCount } }')).json()
    assert [body["errors"][0]["extensions"] for body in (too_many, both, cursor)] == [
        {"code": "BAD_USER_INPUT", "reason": "BAD_PAGE_ARGUMENTS"},
        {"code": "BAD_USER_INPUT", "reason": "BAD_PAGE_ARGUMENTS"},
        {"code": "BAD_USER_INPUT", "reason": "BAD_CURSOR"},
    ]
