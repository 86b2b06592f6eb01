"""Badge requests (issue 15): a learner asks an organisation for a badge with evidence;
its staff see the requests (paged, counted), approve (the award is issued once, however
many approvals race) or decline with a reason; the learner and the staff are notified."""

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import awards
from odznaka_graph.observability import RoundTrips
from tests.club_helpers import club_of, peer_badge
from tests.helpers import Api, Issuer, Person, published_badge, register, verified_issuer

REQUEST = """... on BadgeRequest { id status narrative link evidenceFileUrl declineReason
  decidedAt badge { id } learner { handle } award { id status evidence { url narrative } } }"""
LIST = """query($org: ID!, $status: BadgeRequestStatus, $first: Int, $after: String) {
  badgeRequests(organizationId: $org, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status narrative learner { handle } } } } }"""
MINE = """query { myBadgeRequests { totalCount edges { node { id status declineReason } } } }"""
NOTIFICATIONS = """{ me { notifications { totalCount edges { node { kind note
  subject { __typename id } pl: message(lang: PL) } } } } }"""
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def ask(api: Api, learner: Person, badge_id: str, **extra: Any) -> dict[str, Any]:
    data = {"badgeId": badge_id, "narrative": "Poprowadziłam warsztaty z Excela."} | extra
    return await api.mutate("requestBadge", data, REQUEST, learner.token)


async def approve(api: Api, person: Person, request_id: str) -> dict[str, Any]:
    return await api.mutate("approveBadgeRequest", {"requestId": request_id}, REQUEST, person.token)


async def decline(api: Api, person: Person, request_id: str, reason: str) -> dict[str, Any]:
    data = {"requestId": request_id, "reason": reason}
    return await api.mutate("declineBadgeRequest", data, REQUEST, person.token)


async def upload_evidence(api: Api, person: Person, data: bytes) -> dict[str, Any]:
    response = await api.client.post(
        "/files/evidence", content=data, headers={"Authorization": f"Bearer {person.token}"}
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def told(api: Api, person: Person, kind: str) -> dict[str, Any]:
    """The person's notification of this kind, once the handler has made it."""
    for _ in range(150):
        data = await api.query(NOTIFICATIONS, token=person.token)
        found = [
            e["node"] for e in data["me"]["notifications"]["edges"] if e["node"]["kind"] == kind
        ]
        if found:
            return found[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"{person.handle} was not told {kind}")


async def _setup(api: Api) -> tuple[Issuer, str, Person]:
    issuer = await verified_issuer(api)
    return issuer, await published_badge(api, issuer), await register(api)


async def test_a_learner_asks_with_evidence_and_staff_approve_once(api: Api) -> None:
    issuer, badge_id, learner = await _setup(api)
    evidence = await upload_evidence(api, learner, PDF)
    assert evidence["contentType"] == "application/pdf"
    asked = await ask(
        api, learner, badge_id, link="https://example.org/praca", evidenceFileId=evidence["id"]
    )
    assert asked["__typename"] == "BadgeRequest", asked
    assert (asked["status"], asked["learner"]["handle"]) == ("OPEN", learner.handle)
    assert asked["evidenceFileUrl"] == evidence["url"]
    again = await ask(api, learner, badge_id)
    assert again["reason"] == "BADGE_REQUEST_OPEN"

    staff_told = await told(api, issuer.owner, "BADGE_REQUESTED")
    assert staff_told["subject"] == {"__typename": "Badge", "id": badge_id}
    listed = await api.query(LIST, {"org": issuer.org_id, "status": "OPEN"}, issuer.owner.token)
    assert listed["badgeRequests"]["totalCount"] == 1
    assert listed["badgeRequests"]["edges"][0]["node"]["learner"]["handle"] == learner.handle
    stranger = await register(api)
    hidden = await api.query(LIST, {"org": issuer.org_id}, stranger.token)
    assert hidden["badgeRequests"]["totalCount"] == 0

    path = "/files/" + evidence["url"].rsplit("/", 1)[1]
    for person, status in ((issuer.owner, 200), (learner, 200), (stranger, 404)):
        served = await api.client.get(path, headers={"Authorization": f"Bearer {person.token}"})
        assert served.status_code == status
    served = await api.client.get(path, headers={"Authorization": f"Bearer {learner.token}"})
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"] == "attachment"
    assert served.headers["x-content-type-options"] == "nosniff"

    assert (await approve(api, learner, asked["id"]))["reason"] == "ACTION_NOT_ALLOWED"
    assert (await approve(api, stranger, asked["id"]))["reason"] == "BADGE_REQUEST_NOT_FOUND"
    approved = await approve(api, issuer.owner, asked["id"])
    assert approved["status"] == "APPROVED", approved
    assert approved["award"]["status"] == "VALID"
    assert approved["award"]["evidence"] == [
        {"url": "https://example.org/praca", "narrative": "Poprowadziłam warsztaty z Excela."}
    ]
    repeated = await approve(api, issuer.owner, asked["id"])
    assert repeated["award"]["id"] == approved["award"]["id"]
    closed = await decline(api, issuer.owner, asked["id"], "Jednak nie.")
    assert closed["reason"] == "BADGE_REQUEST_CLOSED"
    assert (await told(api, learner, "AWARD_RECEIVED"))["subject"]["__typename"] == "Award"
    held = await ask(api, learner, badge_id)
    assert held["reason"] == "ALREADY_HOLDS_BADGE"


async def test_a_declined_request_says_why_and_may_be_asked_again(api: Api) -> None:
    issuer, badge_id, learner = await _setup(api)
    asked = await ask(api, learner, badge_id)
    short = await decline(api, issuer.owner, asked["id"], "x")
    assert short["reason"] == "INVALID_INPUT"
    declined = await decline(api, issuer.owner, asked["id"], "Brak zdjęć z warsztatów.")
    assert (declined["status"], declined["declineReason"]) == (
        "DECLINED",
        "Brak zdjęć z warsztatów.",
    )
    assert declined["award"] is None
    notice = await told(api, learner, "BADGE_REQUEST_DECLINED")
    assert notice["note"] == "Brak zdjęć z warsztatów."
    assert "odrzucona" in notice["pl"]
    mine = (await api.query(MINE, token=learner.token))["myBadgeRequests"]
    assert mine["edges"][0]["node"]["declineReason"] == "Brak zdjęć z warsztatów."
    assert (await approve(api, issuer.owner, asked["id"]))["reason"] == "BADGE_REQUEST_CLOSED"
    anew = await ask(api, learner, badge_id)
    assert anew["status"] == "OPEN"


async def test_what_cannot_be_requested(api: Api) -> None:
    issuer, badge_id, learner = await _setup(api)
    owner, member = await register(api), await register(api)
    club_id = await club_of(api, owner, [member])
    peer = await peer_badge(api, club_id, owner)
    assert (await ask(api, member, peer))["reason"] == "BADGE_NOT_REQUESTABLE"
    someone_else = await upload_evidence(api, owner, PDF)
    foreign = await ask(api, learner, badge_id, evidenceFileId=someone_else["id"])
    assert foreign["reason"] == "FILE_NOT_FOUND"
    anonymous = await api.mutate(
        "requestBadge", {"badgeId": badge_id, "narrative": "Proszę."}, REQUEST
    )
    assert anonymous["reason"] == "SIGN_IN_REQUIRED"
    mine = (await api.query(MINE, token=learner.token))["myBadgeRequests"]
    assert mine["totalCount"] == 0  # nothing refused was kept


async def test_staff_page_through_the_requests(api: Api) -> None:
    issuer, badge_id, _ = await _setup(api)
    learners = [await register(api) for _ in range(3)]
    for learner in learners:
        await ask(api, learner, badge_id)
    first = (await api.query(LIST, {"org": issuer.org_id, "first": 2}, issuer.owner.token))[
        "badgeRequests"
    ]
    assert (first["totalCount"], len(first["edges"])) == (3, 2)
    assert first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    rest = (
        await api.query(
            LIST, {"org": issuer.org_id, "first": 2, "after": after}, issuer.owner.token
        )
    )["badgeRequests"]
    handles = [e["node"]["learner"]["handle"] for e in first["edges"] + rest["edges"]]
    assert handles == [learner.handle for learner in reversed(learners)]  # newest first


@pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)
async def test_concurrent_approvals_award_once(api: Api) -> None:
    issuer, badge_id, learner = await _setup(api)
    asked = await ask(api, learner, badge_id)
    answers = await asyncio.gather(*(approve(api, issuer.owner, asked["id"]) for _ in range(4)))
    assert {answer["status"] for answer in answers} == {"APPROVED"}, answers
    assert len({answer["award"]["id"] for answer in answers}) == 1
    statement = (
        sa.select(sa.func.count())
        .select_from(awards)
        .where(awards.c.badge_id == local_id(badge_id, "Badge"))
    )
    async with api.runtime.services.stores.ledger.reading() as conn:
        assert (await conn.execute(statement)).scalar_one() == 1


FULL_LIST = """query($org: ID!) { badgeRequests(organizationId: $org, first: 50) { totalCount
  edges { node { id status badge { name issuer { name } } learner { handle }
  award { id status } } } } }"""


async def test_the_staff_list_costs_the_same_for_2_and_6_requests(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer, badge_id, _ = await _setup(api)
    counts = []
    for size in (2, 6):
        while (await api.query(LIST, {"org": issuer.org_id}, issuer.owner.token))["badgeRequests"][
            "totalCount"
        ] < size:
            asked = await ask(api, await register(api), badge_id)
            await approve(api, issuer.owner, asked["id"])
        round_trips.neo4j = round_trips.sql = 0
        listed = await api.query(FULL_LIST, {"org": issuer.org_id}, issuer.owner.token)
        assert len(listed["badgeRequests"]["edges"]) == size
        counts.append((round_trips.neo4j, round_trips.sql))
    assert counts[0] == counts[1], counts


async def test_an_erased_learner_leaves_no_request_or_evidence(api: Api) -> None:
    issuer, badge_id, learner = await _setup(api)
    evidence = await upload_evidence(api, learner, PDF)
    asked = await ask(api, learner, badge_id, evidenceFileId=evidence["id"])
    path = "/files/" + evidence["url"].rsplit("/", 1)[1]
    await api.runtime.services.erasure.erase_now(str(local_id(learner.id, "User")))
    listed = await api.query(LIST, {"org": issuer.org_id}, issuer.owner.token)
    assert listed["badgeRequests"]["totalCount"] == 0
    gone = await api.client.get(path, headers={"Authorization": f"Bearer {issuer.owner.token}"})
    assert gone.status_code == 404
    assert (await approve(api, issuer.owner, asked["id"]))["reason"] == "BADGE_REQUEST_NOT_FOUND"
