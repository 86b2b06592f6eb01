"""The first request a newcomer makes, GET /, leads to GraphiQL instead of a 404."""

from tests.helpers import Api


async def test_the_root_redirects_to_graphiql(api: Api) -> None:
    response = await api.client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 307
    assert response.headers["location"] == "/graphql"
