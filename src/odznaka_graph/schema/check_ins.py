"""Self check-in at events (issue 15): the code the host shows, and what an attendee sends."""

from datetime import datetime
from typing import Annotated, TypeAlias

import strawberry

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


CheckInResult: TypeAlias = Annotated[
    AttendanceConfirmationRow | Failure,
    strawberry.union(
        "CheckInResult", description="Your attendance (and the event's badge), or why not."
    ),
]
