"""Client mistakes are logged in one INFO line; only our own faults reach ERROR."""

import logging

import pytest

from tests.helpers import Api, published_badge, verified_issuer


def _graphql_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("strawberry", "odznaka_graph"))]


async def test_client_mistakes_are_info_without_traceback(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    mistakes = [
        "{ badges(first: 1) { edges { node { nope } } } }",  # validation
        "{ badges(first: ",  # syntax
        '{ badges(first: 1, after: "garbage") { totalCount } }',  # refused by a resolver
    ]
    for query in mistakes:
        assert (await api.raw(query)).json()["errors"]
    variables = await api.client.post(
        "/graphql",
        json={
            "query": "query($n: Int) { badges(first: $n) { totalCount } }",
            "variables": {"n": "x"},
        },
    )
    assert variables.json()["errors"]
    records = _graphql_records(caplog)
    assert len(records) >= len(mistakes) + 1
    assert all(r.levelno == logging.INFO and not r.exc_info for r in records), [
        (r.levelname, r.getMessage()) for r in records
    ]


async def test_our_faults_are_errors_with_a_traceback(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    issuer = await verified_issuer(api)
    await published_badge(api, issuer)
    await api.runtime.services.stores.graph.write("MATCH (b:Badge) SET b.form = 'TELEPATHY'")
    caplog.set_level(logging.INFO)
    body = (await api.raw("{ badges { edges { node { name form } } } }")).json()
    assert body["errors"][0]["message"] == "Internal server error."
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    errors = [r for r in _graphql_records(caplog) if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info
