"""Attendance: idempotent registration, capacity under races, confirmation that awards once."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import audit_log, awards
from tests.event_helpers import EVENT, attend, create_event, event_input, next_month
from tests.helpers import (
    AWARD,
    BADGE,
    Api,
    Person,
    complete_badge,
    published_badge,
    register,
    verified_issuer,
)

CONFIRMATION = """... on AttendanceConfirmation { confirmedCount awardedCount
  event { attendeeCount } rows { userId status awardId message } }"""


def _now() -> datetime:
    return datetime.now(UTC)


async def _confirm(api: Api, event_id: str, user_ids: list[str], token: str) -> dict[str, Any]:
    return await api.mutate(
        "confirmAttendance", {"eventId": event_id, "userIds": user_ids}, CONFIRMATION, token
    )


async def _awards_of(api: Api, badge_id: str) -> list[Any]:
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(
            sa.select(awards).where(awards.c.badge_id == local_id(badge_id, "Badge"))
        )
        return list(rows)


async def _audit_actions(api: Api, event_id: str) -> list[str]:
    subject = (audit_log.c.subject_type == "Event") & (
        audit_log.c.subject_id == local_id(event_id, "Event")
    )
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = await conn.execute(
            sa.select(audit_log.c.action).where(subject).order_by(audit_log.c.id)
        )
        return list(rows.scalars())


async def _people(api: Api, count: int) -> list[Person]:
    return [await register(api) for _ in range(count)]


async def test_attending_is_idempotent_and_capacity_holds(api: Api) -> None:
    issuer = await verified_issuer(api)
    a, b, c = await _people(api, 3)
    event_id = await create_event(api, issuer, "Mała sala", next_month()[0], capacity=2)
    await attend(api, event_id, a.token)
    again = await attend(api, event_id, a.token)
    assert (again["attendeeCount"], again["viewerIsAttending"], again["seatsLeft"]) == (1, True, 1)
    assert (await attend(api, event_id, b.token))["seatsLeft"] == 0
    full = await attend(api, event_id, c.token)
    assert (full["__typename"], full["reason"]) == ("ConflictError", "EVENT_FULL")

    cancelled = await api.mutate("cancelAttendance", {"eventId": event_id}, EVENT, a.token)
    assert (cancelled["attendeeCount"], cancelled["viewerIsAttending"]) == (1, False)
    twice = await api.mutate("cancelAttendance", {"eventId": event_id}, EVENT, a.token)
    assert twice["__typename"] == "Event"
    assert (await attend(api, event_id, c.token))["attendeeCount"] == 2

    anonymous = await api.mutate("attendEvent", {"eventId": event_id}, EVENT)
    assert anonymous["code"] == "UNAUTHENTICATED"
    missing = await attend(api, "RXZlbnQ6bm9wZQ", a.token)  # Event:nope
    assert missing["__typename"] == "NotFoundError"
    wrong = await attend(api, issuer.org_id, a.token)
    assert wrong["__typename"] == "ValidationError" and wrong["fields"][0]["field"] == "eventId"


async def test_concurrent_registrations_never_overbook(api: Api) -> None:
    issuer = await verified_issuer(api)
    people = await _people(api, 8)
    event_id = await create_event(api, issuer, "Trzy miejsca", next_month()[0], capacity=3)
    results = await asyncio.gather(*(attend(api, event_id, p.token) for p in people))
    kinds = sorted(result["__typename"] for result in results)
    assert kinds == ["ConflictError"] * 5 + ["Event"] * 3
    query = "query($id: ID!) { event(id: $id) { attendeeCount seatsLeft } }"
    assert (await api.query(query, {"id": event_id}))["event"] == {
        "attendeeCount": 3,
        "seatsLeft": 0,
    }


async def test_an_ended_event_takes_no_registrations(api: Api) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    event_id = await create_event(api, issuer, "Minione", _now() - timedelta(hours=3), hours=2)
    ended = await attend(api, event_id, learner.token)
    assert (ended["__typename"], ended["reason"]) == ("ConflictError", "EVENT_ENDED")


async def _running_event(api: Api, **extra: Any) -> tuple[Any, str, str]:
    """An issuer, its published badge and an event with it that started an hour ago."""
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    event_id = await create_event(
        api, issuer, "Warsztat", _now() - timedelta(hours=1), badgeId=badge_id, **extra
    )
    return issuer, badge_id, event_id


async def test_confirmation_awards_each_attendee_once(api: Api) -> None:
    issuer, badge_id, event_id = await _running_event(api)
    a, b, c, absent, holder = await _people(api, 5)
    for person in (a, b, c, holder):
        await attend(api, event_id, person.token)
    direct = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": holder.id}, AWARD, issuer.owner.token
    )
    assert direct["__typename"] == "Award"
    given = [a.id, b.id, c.id, absent.id, holder.id, "bogus", a.id]

    first = await _confirm(api, event_id, given, issuer.owner.token)
    statuses = [(row["userId"], row["status"]) for row in first["rows"]]
    assert statuses == [
        (a.id, "CONFIRMED_AND_AWARDED"),
        (b.id, "CONFIRMED_AND_AWARDED"),
        (c.id, "CONFIRMED_AND_AWARDED"),
        (absent.id, "NOT_REGISTERED"),
        (holder.id, "ALREADY_HELD"),
        ("bogus", "NOT_REGISTERED"),
    ]
    assert (first["confirmedCount"], first["awardedCount"]) == (4, 3)

    retry = await _confirm(api, event_id, given, issuer.owner.token)
    assert retry["rows"] == first["rows"]  # the same awards, not new ones
    # Had the graph lost which award each attendance led to (a crash between the award and
    # noting it), the awards' idempotency keys still replay the same awards.
    await api.runtime.services.stores.graph.write("MATCH ()-[r:ATTENDS]->() REMOVE r.awardId")
    replay = await _confirm(api, event_id, given, issuer.owner.token)
    assert replay["rows"] == first["rows"]
    assert len(await _awards_of(api, badge_id)) == 4  # three from the event, one direct

    query = """query($id: ID!) { event(id: $id) { attendees(first: 10) { edges { node {
      userId confirmedAt awardId } } } } }"""
    edges = (await api.query(query, {"id": event_id}, issuer.owner.token))["event"]["attendees"]
    seen = {e["node"]["userId"]: e["node"] for e in edges["edges"]}
    assert seen[a.id]["confirmedAt"] and seen[a.id]["awardId"] == first["rows"][0]["awardId"]
    assert seen[holder.id]["confirmedAt"] and seen[holder.id]["awardId"] is None

    withdrawn = await api.mutate("cancelAttendance", {"eventId": event_id}, EVENT, a.token)
    assert withdrawn["__typename"] == "ConflictError"
    actions = await _audit_actions(api, event_id)
    assert actions[0] == "event.created"
    assert actions.count("event.attendance_registered") == 4
    assert actions.count("event.attendance_confirmed") == 3


async def test_concurrent_confirmations_award_once(api: Api) -> None:
    issuer, badge_id, event_id = await _running_event(api)
    people = await _people(api, 6)
    for person in people:
        await attend(api, event_id, person.token)
    ids = [person.id for person in people]
    one, two = await asyncio.gather(
        _confirm(api, event_id, ids, issuer.owner.token),
        _confirm(api, event_id, ids, issuer.owner.token),
    )
    assert {row["status"] for row in one["rows"] + two["rows"]} == {"CONFIRMED_AND_AWARDED"}
    assert one["rows"] == two["rows"]
    held = await _awards_of(api, badge_id)
    assert sorted(row.recipient_id for row in held) == sorted(local_id(i, "User") for i in ids)


async def test_only_host_staff_confirm_and_not_before_the_start(api: Api) -> None:
    issuer, _, event_id = await _running_event(api)
    learner = await register(api)
    await attend(api, event_id, learner.token)
    refused = await _confirm(api, event_id, [learner.id], learner.token)
    assert refused["__typename"] == "PermissionDeniedError"
    soon = await create_event(api, issuer, "Jutro", _now() + timedelta(days=1))
    early = await _confirm(api, soon, [learner.id], issuer.owner.token)
    assert early["__typename"] == "ConflictError"
    too_many = await _confirm(api, event_id, [learner.id] * 2 + ["x"] * 500, issuer.owner.token)
    assert too_many["__typename"] == "ValidationError"
    assert too_many["fields"][0]["field"] == "userIds"


async def test_organisers_do_not_award_themselves(api: Api) -> None:
    issuer, _, event_id = await _running_event(api)
    await attend(api, event_id, issuer.owner.token)
    result = await _confirm(api, event_id, [issuer.owner.id], issuer.owner.token)
    row = result["rows"][0]
    assert (row["status"], row["message"]) == (
        "AWARD_REFUSED",
        "Nobody awards a badge to themselves.",
    )


async def test_events_without_a_badge_confirm_only(api: Api) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    event_id = await create_event(api, issuer, "Bez odznaki", _now() - timedelta(minutes=5))
    await attend(api, event_id, learner.token)
    result = await _confirm(api, event_id, [learner.id], issuer.owner.token)
    assert result["rows"] == [
        {"userId": learner.id, "status": "CONFIRMED", "awardId": None, "message": None}
    ]


async def test_the_badge_must_be_a_published_one_of_the_host(api: Api) -> None:
    issuer = await verified_issuer(api)
    draft = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": complete_badge("Szkic")},
        BADGE,
        issuer.owner.token,
    )
    data = event_input(issuer, "Z szkicem", next_month()[0], badgeId=draft["id"])
    result = await api.mutate("createEvent", data, EVENT, issuer.owner.token)
    assert (result["__typename"], result["reason"]) == ("ValidationError", "BADGE_NOT_PUBLISHED")
    assert [f["field"] for f in result["fields"]] == ["badgeId"]
