"""Self check-in at events (issue 15): the host's staff show a code that changes every
minute; an attendee who enters it during the event is confirmed and gets its badge once,
also when checking in twice at the same moment; a wrong or closed check-in is refused with
a typed error and awards nothing; guessing is throttled."""

import asyncio
from datetime import UTC, datetime, timedelta

from tests.check_in_helpers import CODE
from tests.check_in_helpers import awards_of as _awards
from tests.check_in_helpers import check_in as _check_in
from tests.event_helpers import create_event
from tests.helpers import Api, published_badge, register, verified_issuer


async def test_a_checked_in_attendee_gets_the_badge_once(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    starts = datetime.now(UTC) - timedelta(minutes=10)
    event_id = await create_event(api, issuer, "Warsztat", starts, badgeId=badge_id)
    attendee = await register(api)
    assert (await api.query(CODE, {"id": event_id}, attendee.token))["eventCheckInCode"] is None
    shown = (await api.query(CODE, {"id": event_id}, issuer.owner.token))["eventCheckInCode"]
    assert len(shown["code"]) == 6 and shown["code"].isdigit() and "<svg" in shown["qrSvg"]

    wrong = f"{(int(shown['code']) + 1) % 1_000_000:06d}"
    for code in (wrong, "ąęść", ""):
        refused = await _check_in(api, event_id, code, attendee)
        assert refused["__typename"] == "ValidationError", refused
    assert await _awards(api, badge_id) == 0

    both = await asyncio.gather(
        *(_check_in(api, event_id, shown["code"], attendee) for _ in range(2))
    )
    assert {row["status"] for row in both} == {"CONFIRMED_AND_AWARDED"}, both
    assert len({row["awardId"] for row in both}) == 1
    again = await _check_in(api, event_id, shown["code"], attendee)
    assert again["awardId"] == both[0]["awardId"]
    assert await _awards(api, badge_id) == 1


async def test_check_in_outside_the_event_or_by_guessing_is_refused(api: Api) -> None:
    issuer = await verified_issuer(api)
    later = await create_event(api, issuer, "Jutro", datetime.now(UTC) + timedelta(days=1))
    attendee = await register(api)
    assert (await api.query(CODE, {"id": later}, issuer.owner.token))["eventCheckInCode"] is None
    closed = await _check_in(api, later, "123456", attendee)
    assert (closed["__typename"], closed["reason"]) == ("ConflictError", "CHECK_IN_CLOSED")
    now_on = await create_event(api, issuer, "Teraz", datetime.now(UTC) - timedelta(minutes=1))
    guesses = [await _check_in(api, now_on, f"{n:06d}", attendee) for n in range(12)]
    kinds = [guess["__typename"] for guess in guesses]
    assert "RateLimitedError" in kinds and kinds[0] == "ValidationError", kinds
