"""Abuse limits: depth, aliases after fragment expansion, tokens; masked internal errors."""

from tests.helpers import Api


async def test_too_deep_a_query_is_refused(api: Api) -> None:
    deep = "{ me { awards { edges { node { badge { issuer { badges { edges { node {" + (
        " issuer { badges { edges { node { name } } } } } } } } } } } } } }"
    )
    body = (await api.raw(deep)).json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "13 levels deep; the limit is 12" in body["errors"][0]["message"]


async def test_aliases_are_counted_after_fragment_expansion(api: Api) -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(8))
    query = f"fragment F on Query {{ {aliases} }} query {{ ...F x: badges {{ totalCount }} ...F }}"
    body = (await api.raw(query)).json()
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"
    assert "17 aliases" in body["errors"][0]["message"]


async def test_huge_documents_are_refused(api: Api) -> None:
    query = "{ " + " ".join("__typename" for _ in range(2100)) + " }"
    body = (await api.raw(query)).json()
    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_TOKENS", "maxTokens": 2000}
    assert "more than 2000 tokens" in body["errors"][0]["message"]


async def test_health_readiness_and_metrics(api: Api) -> None:
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "checks": {"neo4j": "ok", "sql": "ok", "pubsub": "ok"}}
    await api.query("{ __typename }")
    metrics = (await api.client.get("/metrics")).text
    assert 'odznaka_http_requests_total{path="/graphql",status="200"}' in metrics


async def test_requests_carry_an_id(api: Api) -> None:
    response = await api.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.headers["x-request-id"] == "abc-123"
    assert (await api.client.get("/healthz")).headers["x-request-id"]
    given = [
        (await api.client.post("/graphql", json={"query": "{ __typename }"})).headers
        for _ in range(3)
    ]
    assert len({headers["x-request-id"] for headers in given}) == 3  # made, each its own


async def test_unexpected_errors_are_masked(api: Api) -> None:
    from tests.helpers import published_badge, verified_issuer

    issuer = await verified_issuer(api)
    await published_badge(api, issuer)
    # Data no code path writes: mapping it fails inside a resolver.
    await api.runtime.services.stores.graph.write("MATCH (b:Badge) SET b.form = 'TELEPATHY'")
    body = (await api.raw("{ badges { edges { node { name form } } } }")).json()
    assert body["errors"][0]["message"] == "Internal server error."
    assert "TELEPATHY" not in str(body)
