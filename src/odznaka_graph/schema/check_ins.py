"""Self check-in at events (issue 15): the code the host shows, and what an attendee sends."""

from datetime import datetime
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.ids import to_global
from odznaka_graph.pubsub import LiveEvent
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.events import AttendanceConfirmationRow


@strawberry.type(description="The code attendees enter to check in; it changes every minute.")
class CheckInCode:
    code: str = strawberry.field(description="6 digits, to show (or read out) at the event.")
    qr_svg: str = strawberry.field(description="The same code as a QR code (SVG) to show.")
    valid_until: datetime = strawberry.field(
        description="Accepted until then (the next minute's code takes over before it)."
    )


@strawberry.input(description="Check in at an event with the code its host shows.")
class CheckInInput:
    event_id: strawberry.ID = strawberry.field(description="The event (its global id).")
    code: str = strawberry.field(description="The code the host shows now.")
    latitude: float | None = strawberry.field(
        default=None, description="Where you are, degrees north (needed at a geofenced event)."
    )
    longitude: float | None = strawberry.field(
        default=None, description="Where you are, degrees east (needed at a geofenced event)."
    )


CheckInResult: TypeAlias = Annotated[
    AttendanceConfirmationRow | Failure,
    strawberry.union(
        "CheckInResult", description="Your attendance (and the event's badge), or why not."
    ),
]


@strawberry.type(description="An event's attendance after a change, for its host's staff.")
class EventAttendance:
    event_id: strawberry.ID = strawberry.field(description="The event (its global id).")
    registered_count: int = strawberry.field(description="How many are registered.")
    checked_in_count: int = strawberry.field(
        description="How many are confirmed: checked in, or confirmed by staff."
    )
    at: datetime = strawberry.field(description="When the change behind these counts happened.")
    sequence: int | None = strawberry.field(
        description="The change's place in the stream (the id of the outbox event)."
    )


def attendance_of(event: LiveEvent) -> EventAttendance:
    """The counts an attendance change recorded (services/events.attendance_changed)."""
    counts = event.payload.get("attendance") or {}
    return EventAttendance(
        event_id=strawberry.ID(to_global("Event", event.payload["id"])),
        registered_count=int(counts.get("registered", 0)),
        checked_in_count=int(counts.get("checkedIn", 0)),
        at=event.at,
        sequence=event.sequence,
    )
