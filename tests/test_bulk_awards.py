"""Bulk awarding: a class of 500 in one call, mixed rows, retries and concurrency."""

import asyncio

import pytest
import sqlalchemy as sa

from odznaka_graph.ledger.tables import awards
from tests.helpers import Api, published_badge, register, verified_issuer

pytestmark = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)

BULK = """
mutation($input: BulkAwardBadgeInput!) { bulkAwardBadge(input: $input) {
  __typename
  ... on MutationError { code message }
  ... on ValidationError { fields { field message } }
  ... on BulkAwardReport {
    awarded pendingClaims alreadyHeld refused
    rows { recipient outcome award { id status } }
  }
} }"""


async def _bulk(api: Api, token: str, **input: object) -> dict:  # type: ignore[type-arg]
    data = await api.query(BULK, {"input": input}, token)
    return data["bulkAwardBadge"]  # type: ignore[no-any-return]


async def test_mixed_rows_each_get_their_own_result(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    ola, kuba = await register(api, "ola.k"), await register(api, "kuba.m")
    first = await _bulk(
        api,
        issuer.owner.token,
        badgeId=badge_id,
        idempotencyKey="class-3b-2026",
        recipients=[kuba.handle],
    )
    assert first["awarded"] == 1
    report = await _bulk(
        api,
        issuer.owner.token,
        badgeId=badge_id,
        idempotencyKey="class-3b-2027",
        recipients=[
            "@ola.k",
            "nowa.uczennica@example.org",
            "not-an-address@",
            "nikt.taki",
            issuer.owner.handle,
            "ola.k",
            kuba.handle,
        ],
    )
    outcomes = [(row["recipient"], row["outcome"]) for row in report["rows"]]
    assert outcomes == [
        ("@ola.k", "AWARDED"),
        ("nowa.uczennica@example.org", "PENDING_CLAIM"),
        ("not-an-address@", "INVALID_ADDRESS"),
        ("nikt.taki", "UNKNOWN_HANDLE"),
        (issuer.owner.handle, "SELF_AWARD"),
        ("ola.k", "DUPLICATE_ROW"),
        (kuba.handle, "ALREADY_HELD"),
    ]
    assert (
        report["awarded"],
        report["pendingClaims"],
        report["alreadyHeld"],
        report["refused"],
    ) == (1, 1, 1, 4)
    assert report["rows"][1]["award"]["status"] == "PENDING_CLAIM"
    me = await api.query("{ me { awards { totalCount } } }", token=ola.token)
    assert me["me"]["awards"]["totalCount"] == 1


async def test_a_class_of_500_retried_and_raced_awards_each_pupil_once(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    pupils = [f"uczen{i:03d}@szkola.example.org" for i in range(500)]
    request = {"badgeId": badge_id, "idempotencyKey": "class-of-500", "recipients": pupils}
    first, second = await asyncio.gather(
        _bulk(api, issuer.owner.token, **request), _bulk(api, issuer.owner.token, **request)
    )
    again = await _bulk(api, issuer.owner.token, **request)
    for report in (first, second, again):
        assert report["__typename"] == "BulkAwardReport"
        assert report["pendingClaims"] == 500
    ids = {row["award"]["id"] for row in again["rows"]}
    assert ids == {row["award"]["id"] for row in first["rows"]} and len(ids) == 500
    async with api.runtime.services.stores.ledger.reading() as conn:
        count = (await conn.execute(sa.select(sa.func.count()).select_from(awards))).scalar_one()
    assert count == 500


async def test_refusals(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    stranger = await register(api)
    denied = await _bulk(
        api,
        stranger.token,
        badgeId=badge_id,
        idempotencyKey="stranger-key",
        recipients=["someone@example.org"],
    )
    assert denied["__typename"] == "PermissionDeniedError"
    empty = await _bulk(
        api, issuer.owner.token, badgeId=badge_id, idempotencyKey="short", recipients=[]
    )
    assert {f["field"] for f in empty["fields"]} == {"recipients", "idempotencyKey"}
