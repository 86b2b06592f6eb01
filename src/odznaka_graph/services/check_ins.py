"""Self check-in at an event (issue 15). From 15 minutes before the event's start to its
end, the host's staff show a code (`eventCheckInCode`, also as a QR code) that changes
every minute; an attendee who enters it (`checkIn`) is registered, confirmed and given the
event's badge in the name of the staff member who created the event, once: a retried or
concurrent check-in awards nothing more (the attendance award's key is the same).

Codes are 6 digits of HMAC-SHA256(the JWT secret, "check-in", event, minute): the same on
every instance, nothing stored; the current and the previous minute's code are accepted.
Every attempt, right or wrong, counts against the attendee and their client address, as
joining a team does (JOIN_MAX_ATTEMPTS, JOIN_MAX_ATTEMPTS_PER_CLIENT).

An event with a geofence (metres around its place) takes check-ins only with the
attendee's position inside it (great-circle distance): without a position, or farther,
the check-in is refused with its own reason and awards nothing."""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import Field

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, ValidationFailed
from odznaka_graph.graph_model import events as event_graph
from odznaka_graph.graph_model.events import EventRecord
from odznaka_graph.outcomes import EventReason
from odznaka_graph.services import throttling
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.events import ATTEND_REFUSALS, ConfirmationRow, EventService
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

SLOT_SECONDS = 60
EARLY = timedelta(minutes=15)
EARTH_RADIUS_METRES = 6_371_008.8


class CheckInInput(Model):
    event_id: str
    code: Annotated[str, Field(min_length=1, max_length=20)]
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


@dataclass(frozen=True)
class CheckInCode:
    code: str
    valid_until: datetime


class CheckIns:
    def __init__(self, stores: Stores, events: EventService) -> None:
        self.stores = stores
        self.events = events
        self._key = stores.settings.jwt_secret.get_secret_value().encode()

    async def code(self, viewer: Viewer, event_id: str) -> CheckInCode:
        """The code to show now, for the host's staff, while check-in is open."""
        event, _ = await self.events.hosted(viewer, event_id)
        at = _open(event)
        slot = int(at.timestamp()) // SLOT_SECONDS
        until = datetime.fromtimestamp((slot + 2) * SLOT_SECONDS, UTC)
        return CheckInCode(self._code(event.id, slot), min(until, event.ends_at))

    async def check_in(
        self, viewer: Viewer, data: dict[str, Any], client: str | None
    ) -> ConfirmationRow:
        user_id = signed_in(viewer)
        settings = self.stores.settings
        await throttling.admit(
            self.stores.ledger,
            throttling.check_in(settings, user_id, client),
            "Too many check-in attempts; wait a little.",
            EventReason.CHECK_IN_THROTTLED,
        )
        request = parse(CheckInInput, data)
        event = await self.events.event(request.event_id, viewer)
        at = _open(event)
        slot = int(at.timestamp()) // SLOT_SECONDS
        given = request.code.strip().encode()
        codes = (self._code(event.id, s).encode() for s in (slot, slot - 1))
        if not any(hmac.compare_digest(given, code) for code in codes):
            raise ValidationFailed(
                {"code": "This is not the event's current check-in code."},
                reason=EventReason.CHECK_IN_CODE_WRONG,
            )
        _check_position(event, request)
        outcome = await event_graph.attend(self.stores.graph, event.id, user_id, at)
        if outcome in ATTEND_REFUSALS:
            message, reason = ATTEND_REFUSALS[outcome]
            raise Conflict(message, reason=reason)
        awarder = Viewer(event.created_by or "", "USER")
        [row] = await self.events.settle(event, awarder, [user_id])
        await self.events.attendance_changed(
            user_id, "event.checked_in", event.id, {"userId": user_id}
        )
        return row

    def _code(self, event_id: str, slot: int) -> str:
        digest = hmac.new(self._key, f"check-in:{event_id}:{slot}".encode(), hashlib.sha256)
        return f"{int.from_bytes(digest.digest()[:8], 'big') % 1_000_000:06d}"


def _open(event: EventRecord) -> datetime:
    """Now, while check-in is open; else CHECK_IN_CLOSED."""
    at = now()
    if not event.starts_at - EARLY <= at < event.ends_at:
        raise Conflict(
            "Check-in is open from 15 minutes before the event's start to its end.",
            reason=EventReason.CHECK_IN_CLOSED,
        )
    return at


def _check_position(event: EventRecord, request: CheckInInput) -> None:
    """Inside the event's geofence, when it has one; else a refusal that awards nothing."""
    fence, place = event.geofence_metres, event.place
    if fence is None or place is None:
        return
    if request.latitude is None or request.longitude is None:
        raise ValidationFailed(
            {"position": "Send your position: this event takes check-ins only at its place."},
            reason=EventReason.CHECK_IN_POSITION_NEEDED,
        )
    away = distance_metres(place.latitude, place.longitude, request.latitude, request.longitude)
    if away > fence:
        raise Conflict(
            "You are too far from the event's place to check in.",
            reason=EventReason.CHECK_IN_TOO_FAR,
        )


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine) between two points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, h)))
