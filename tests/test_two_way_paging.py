"""Lists that gained `last`/`before` (issue 18) page backward over the same items, in the
same order, as forward."""

from typing import Any

from tests.helpers import Api, published_badge, tx, verified_issuer

PAGE = """query($id: ID!, $first: Int, $last: Int, $before: String) {
  organization(id: $id) {
    badges(first: $first, last: $last, before: $before) {
      totalCount
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage }
    }
  }
}"""


async def test_an_organisations_badges_page_backward(api: Api) -> None:
    issuer = await verified_issuer(api)
    for name in ("Pierwsza", "Druga", "Trzecia"):
        await published_badge(api, issuer, name=tx(name, name))
    org, owner = {"id": issuer.org_id}, issuer.owner

    async def page(**args: object) -> Any:
        found = await api.query(PAGE, {"id": org["id"], **args}, owner.token)
        return found["organization"]["badges"]

    forward = await page(first=3)
    ids = [edge["node"]["id"] for edge in forward["edges"]]
    assert len(ids) == 3
    last_two = await page(last=2)
    assert [edge["node"]["id"] for edge in last_two["edges"]] == ids[1:]
    assert last_two["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}
    third_cursor = forward["edges"][2]["cursor"]
    before = await page(last=1, before=third_cursor)
    assert [edge["node"]["id"] for edge in before["edges"]] == ids[1:2]
    assert before["totalCount"] == 3
