"""Learning events on the map: hosts, places, attendance and confirmation payloads."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.clubs import Club
from odznaka_graph.schema.common import (
    NODE_ID,
    Connection,
    Failure,
    Node,
    TextInput,
    Translation,
    localized,
    localized_name,
    to_connection,
    translations_of,
)
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.organizations import Organization
from odznaka_graph.schema.person import PersonFacts, PersonRow
from odznaka_graph.schema.skills import Skill
from odznaka_graph.schema.teams import Team
from odznaka_graph.services import club_reads, event_reads, team_reads
from odznaka_graph.services.event_reads import AttendeeRecord, EventRecord

EventHost = Annotated[
    Organization | Team | Club,
    strawberry.union(
        "EventHost",
        description="Who hosts an event: an organisation (public events), or a team, class "
        "or club (events for its members only).",
    ),
]


@describe_values(
    ONLINE="Online, by a link.",
    ON_SITE="In a place.",
    HYBRID="Both: a place and a link.",
)
@strawberry.enum(description="How people take part: a link, a place, or both.")
class EventForm(Enum):
    ONLINE = "ONLINE"
    ON_SITE = "ON_SITE"
    HYBRID = "HYBRID"


@describe_values(
    PUBLIC="Everyone (an organisation's event).",
    MEMBERS="The hosting team's, class's or club's members only (and a class's school admins).",
)
@strawberry.enum(description="Who sees an event.")
class EventVisibility(Enum):
    PUBLIC = "PUBLIC"
    MEMBERS = "MEMBERS"


@describe_values(
    SOONEST="Starting soonest first.",
    DISTANCE="Nearest to the given centre first.",
)
@strawberry.enum(description="Orders for the events list.")
class EventSort(Enum):
    SOONEST = "SOONEST"
    DISTANCE = "DISTANCE"


@strawberry.type(description="A point on the map with its address.")
class Place:
    latitude: float = strawberry.field(description="Degrees north (WGS-84).")
    longitude: float = strawberry.field(description="Degrees east (WGS-84).")
    address: str = strawberry.field(description="The street address.")


@strawberry.type(description="Someone registered for an event (seen by the host's staff).")
class Attendee(PersonRow, who="attendee"):
    record: strawberry.Private[AttendeeRecord]

    def person(self) -> PersonFacts:
        return self.record

    @field(description="When they registered.")
    def registered_at(self) -> datetime:
        return self.record.registered_at

    @field(description="When the organiser confirmed they attended, if so.")
    def confirmed_at(self) -> datetime | None:
        return self.record.confirmed_at

    @field(description="The award the attendance led to, if the event awards one.")
    def award_id(self) -> strawberry.ID | None:
        award_id = self.record.award_id
        return strawberry.ID(to_global("Award", award_id)) if award_id else None


@strawberry.type(description="A learning event: online (a link), at a place, or both.")
class Event(Node):
    record: strawberry.Private[EventRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Event", self.record.id))

    title = localized_name("title", "The title in the best matching language.")
    description = localized("description", "The description in the best matching language.")

    @field(description="When the event starts.")
    def starts_at(self) -> datetime:
        return self.record.starts_at

    @field(description="When the event ends.")
    def ends_at(self) -> datetime:
        return self.record.ends_at

    @field(description="Where to join online, if it can be joined online.")
    def online_url(self) -> str | None:
        return self.record.online_url

    @field(description="Where it takes place, if on site.")
    def place(self) -> Place | None:
        p = self.record.place
        return Place(latitude=p.latitude, longitude=p.longitude, address=p.address) if p else None

    @field(description="Online, on site, or both.")
    def form(self) -> EventForm:
        online, on_site = self.record.online_url is not None, self.record.place is not None
        if online and on_site:
            return EventForm.HYBRID
        return EventForm.ONLINE if online else EventForm.ON_SITE

    @field(description="Kilometres from the centre given in the filter; else null.")
    def distance_km(self) -> float | None:
        return self.record.distance_km

    @field(description="How many may attend; null when there is no limit.")
    def capacity(self) -> int | None:
        return self.record.capacity

    @field(description="How many people registered.")
    def attendee_count(self) -> int:
        return self.record.attendee_count

    @field(description="Free places left; null when there is no limit.")
    def seats_left(self) -> int | None:
        if self.record.capacity is None:
            return None
        return max(0, self.record.capacity - self.record.attendee_count)

    @field(description="Whether the signed-in viewer registered for it.")
    def viewer_is_attending(self) -> bool:
        return self.record.viewer_attending

    @field(description="Who sees the event.")
    def visibility(self) -> EventVisibility:
        return EventVisibility(self.record.visibility)

    @field(description="When the event was created.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="Check-ins are taken only this many metres around its place; else null.")
    def geofence_metres(self) -> int | None:
        return self.record.geofence_metres

    @field(
        description="How many attendees are confirmed (checked in, or confirmed by staff); "
        "null unless the host's staff. Live: the `eventAttendance` subscription."
    )
    async def checked_in_count(self, info: Info) -> int | None:
        return await event_reads.checked_in_count(info.context.loaders, self.record)

    @field(description="Who hosts the event: an organisation, team, class or club.")
    async def host(self, info: Info) -> EventHost | None:
        loaders, host_id = info.context.loaders, self.record.host_id
        if self.record.host_type == "Team":
            team = await team_reads.team(loaders, host_id)
            return Team(record=team) if team else None
        if self.record.host_type == "Club":
            club = await club_reads.club(loaders, host_id)
            return Club(record=club) if club else None
        record = await loaders.organization_by_id.load(host_id)
        return Organization(record=record) if record else None

    @field(description="Skills the event teaches.")
    async def teaches(self, info: Info) -> list[Skill]:
        records = await info.context.loaders.skill_by_id.load_many(self.record.skill_ids)
        return [Skill(record=record) for record in records if record is not None]

    @field(description="The badge confirmed attendees receive, if any.")
    async def badge(self, info: Info) -> Badge | None:
        badge_id = self.record.badge_id
        record = await info.context.loaders.visibility.badge(badge_id) if badge_id else None
        return Badge(record=record) if record is not None else None

    @field(description="Who registered, first come first; null unless host staff.")
    async def attendees(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Attendee] | None:
        page_window = window(info, first, after, last, before)
        page = await event_reads.attendees(info.context.loaders, self.record, page_window)
        return None if page is None else to_connection(page, lambda r: Attendee(record=r))

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)


@strawberry.input(description="A point on the map (WGS-84 degrees) with its address.")
class PlaceInput:
    latitude: float = strawberry.field(description="Degrees north, -90 to 90.")
    longitude: float = strawberry.field(description="Degrees east, -180 to 180.")
    address: str = strawberry.field(description="The street address, 3 to 500 characters.")


@strawberry.input(description="A new event; give an online link, a place, or both.")
class CreateEventInput:
    host_id: strawberry.ID = strawberry.field(
        description="The host: an organisation (its staff; a public event), or a team or "
        "class (its teachers and leaders) or a club (its owners and moderators): an event "
        "for its members only."
    )
    title: list[TextInput] = strawberry.field(description="At least one language.")
    starts_at: datetime = strawberry.field(description="With a time zone.")
    ends_at: datetime = strawberry.field(description="After the start, with a time zone.")
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What happens there, per language."
    )
    online_url: str | None = strawberry.field(default=None, description="Where to join online.")
    place: PlaceInput | None = strawberry.field(default=None, description="Where it happens.")
    capacity: int | None = strawberry.field(default=None, description="Null: no limit.")
    skill_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Skills the event teaches."
    )
    badge_id: strawberry.ID | None = strawberry.field(
        default=None, description="A published badge of the host, for confirmed attendees."
    )
    geofence_metres: int | None = strawberry.field(
        default=None,
        description="Take check-ins only this many metres (20 to 5000) around the place; "
        "needs a place.",
    )


@strawberry.input(description="The event to register for.")
class AttendEventInput:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")


@strawberry.input(description="The event to withdraw from.")
class CancelAttendanceInput:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")


@strawberry.input(description="Attendees to confirm (at most 500 per call).")
class ConfirmAttendanceInput:
    event_id: strawberry.ID = strawberry.field(description="The event (its global id).")
    user_ids: list[strawberry.ID] = strawberry.field(
        description="Registered users who attended; repeated ids count once."
    )


@strawberry.input(description="A map area: south-west and north-east corners in degrees.")
class BoundingBoxInput:
    south: float = strawberry.field(description="Southern edge, degrees north.")
    west: float = strawberry.field(description="Western edge, degrees east.")
    north: float = strawberry.field(description="Northern edge, degrees north.")
    east: float = strawberry.field(description="Eastern edge, degrees east.")


@strawberry.input(description="A centre for distances; with radiusKm, only events that near.")
class NearInput:
    latitude: float = strawberry.field(description="Degrees north of the centre.")
    longitude: float = strawberry.field(description="Degrees east of the centre.")
    radius_km: float | None = strawberry.field(
        default=None, description="Only events this close (kilometres); null: any distance."
    )


@strawberry.input(description="Events overlapping this window; either end may be open.")
class TimeWindowInput:
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Events ending after this."
    )
    to: datetime | None = strawberry.field(default=None, description="Events starting before this.")


@strawberry.input(description="Event filters; all given ones must hold.")
class EventFilter:
    area: BoundingBoxInput | None = strawberry.field(
        default=None, description="Only events inside this map area."
    )
    near: NearInput | None = strawberry.field(
        default=None, description="A centre: distances, DISTANCE order, and an optional radius."
    )
    window: TimeWindowInput | None = strawberry.field(
        default=None, description="Default: events that have not ended yet."
    )
    skill_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only events that teach this skill."
    )
    host_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only events of this host."
    )
    form: EventForm | None = strawberry.field(
        default=None, description="ONLINE: has a link; ON_SITE: has a place; HYBRID: both."
    )
    text: str | None = strawberry.field(default=None, description="Part of a title, any language.")


@describe_values(
    CONFIRMED_AND_AWARDED="Attendance confirmed and the event's badge awarded.",
    CONFIRMED="Attendance confirmed (the event awards no badge).",
    ALREADY_HELD="Confirmed; they hold the badge already.",
    NOT_REGISTERED="They did not register for the event.",
    AWARD_REFUSED="Confirmed, but the badge could not be awarded.",
)
@strawberry.enum(description="What confirming one attendee did.")
class ConfirmationStatus(Enum):
    CONFIRMED_AND_AWARDED = "CONFIRMED_AND_AWARDED"
    CONFIRMED = "CONFIRMED"
    ALREADY_HELD = "ALREADY_HELD"
    NOT_REGISTERED = "NOT_REGISTERED"
    AWARD_REFUSED = "AWARD_REFUSED"


@strawberry.type(description="The outcome for one user id given.")
class AttendanceConfirmationRow:
    user_id: strawberry.ID = strawberry.field(description="The id as given.")
    status: ConfirmationStatus = strawberry.field(description="What happened for this user.")
    award_id: strawberry.ID | None = strawberry.field(description="The award, when one was made.")
    message: str | None = strawberry.field(description="Why, when not confirmed or not awarded.")


@strawberry.type(description="Attendance confirmed: one row per distinct user id given.")
class AttendanceConfirmation:
    event: Event = strawberry.field(description="The event, with its updated counts.")
    rows: list[AttendanceConfirmationRow] = strawberry.field(
        description="One row per distinct user id, in the order given."
    )

    @field(description="Rows confirmed (with or without an award).")
    def confirmed_count(self) -> int:
        return sum(row.status != ConfirmationStatus.NOT_REGISTERED for row in self.rows)

    @field(description="Rows whose attendee holds the event's badge through it.")
    def awarded_count(self) -> int:
        return sum(row.status == ConfirmationStatus.CONFIRMED_AND_AWARDED for row in self.rows)


EventResult: TypeAlias = Annotated[
    Event | Failure, strawberry.union("EventResult", description="The event, or why not.")
]
ConfirmAttendanceResult: TypeAlias = Annotated[
    AttendanceConfirmation | Failure,
    strawberry.union("ConfirmAttendanceResult", description="Per-attendee outcomes, or why not."),
]
