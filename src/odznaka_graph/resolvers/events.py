"""Events: the map query, single reads, hosting and attendance mutations."""

from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import from_global, local_id, to_global
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, After, Before, First, Id, Last, described
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import Connection, texts_input, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.events import (
    AttendanceConfirmation,
    AttendanceConfirmationRow,
    AttendEventInput,
    BoundingBoxInput,
    CancelAttendanceInput,
    ConfirmationStatus,
    ConfirmAttendanceInput,
    ConfirmAttendanceResult,
    CreateEventInput,
    Event,
    EventFilter,
    EventResult,
    EventSort,
    NearInput,
)
from odznaka_graph.services import event_reads
from odznaka_graph.services.event_reads import HOST_LABELS, BoundingBox, MapFilter, Near
from odznaka_graph.services.events import ConfirmationRow
from odznaka_graph.services.messages import translate

MAX_RADIUS_KM = 20_000.0  # half the Earth's circumference: anything further is everywhere
MAX_TEXT = 200


async def event_by_id(info: Info, event_id: str) -> Event | None:
    record = await event_reads.event(info.context.loaders, event_id)
    return Event(record=record) if record is not None else None


async def _changed(info: Info, event_id: str) -> Event:
    return Event(record=await event_reads.changed_event(info.context.loaders, event_id))


def _check_point(latitude: float, longitude: float, name: str) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise UserInputError(
            f"`filter.{name}` needs a latitude in [-90, 90] and a longitude in [-180, 180]."
        )


def _area(area: BoundingBoxInput | None) -> BoundingBox | None:
    if area is None:
        return None
    _check_point(area.south, area.west, "area")
    _check_point(area.north, area.east, "area")
    if area.south > area.north:
        raise UserInputError("`filter.area.south` must not be north of `filter.area.north`.")
    return BoundingBox(area.south, area.west, area.north, area.east)


def _near(near: NearInput | None) -> Near | None:
    if near is None:
        return None
    _check_point(near.latitude, near.longitude, "near")
    if near.radius_km is not None and not 0 < near.radius_km <= MAX_RADIUS_KM:
        raise UserInputError(
            f"`filter.near.radiusKm` must be above 0 and at most {MAX_RADIUS_KM:g}."
        )
    return Near(near.latitude, near.longitude, near.radius_km)


def _host_id(global_id: strawberry.ID | None) -> str | None:
    if global_id is None:
        return None
    decoded = from_global(global_id)
    if decoded is None or decoded[0] not in HOST_LABELS:
        raise UserInputError("`filter.hostId` is not the id of an event host.")
    return decoded[1]


def _skill_id(global_id: strawberry.ID | None) -> str | None:
    if global_id is None:
        return None
    skill_id = local_id(global_id, "Skill")
    if skill_id is None:
        raise UserInputError("`filter.skillId` is not the id of a Skill.")
    return skill_id


def _filter(f: EventFilter, sort: EventSort) -> MapFilter:
    near = _near(f.near)
    if sort == EventSort.DISTANCE and near is None:
        raise UserInputError("Sorting by DISTANCE needs `filter.near`.")
    # Without a window, what has not ended yet: a map of past events helps nobody.
    starts_before: datetime | None = None
    ends_after: datetime | None = datetime.now(UTC)
    if f.window is not None:
        starts_before, ends_after = f.window.to, f.window.from_
        if any(t is not None and t.tzinfo is None for t in (starts_before, ends_after)):
            raise UserInputError("`filter.window` times need a time zone, e.g. 2027-01-01T00:00Z.")
    if starts_before and ends_after and starts_before <= ends_after:
        raise UserInputError("`filter.window.to` must be after `filter.window.from`.")
    text = (f.text or "").strip()
    if len(text) > MAX_TEXT:
        raise UserInputError(f"`filter.text` has at most {MAX_TEXT} characters.")
    return MapFilter(
        area=_area(f.area),
        near=near,
        ends_after=ends_after,
        starts_before=starts_before,
        skill_id=_skill_id(f.skill_id),
        host_id=_host_id(f.host_id),
        form=f.form.value if f.form else None,
        text=text or None,
        needs_place=sort == EventSort.DISTANCE,
    )


def _host(global_id: strawberry.ID) -> tuple[str, str]:
    """The host's type and id: an organisation, team or club."""
    decoded = from_global(global_id)
    if decoded is None or decoded[0] not in HOST_LABELS:
        return "Organization", local(global_id, "Organization", "hostId")  # NOT_AN_ID
    return decoded


def _event_data(input: Annotated[CreateEventInput, INPUT]) -> dict[str, Any]:
    place = input.place
    host_type, host_id = _host(input.host_id)
    return {
        "host_id": host_id,
        "host_type": host_type,
        "geofence_metres": input.geofence_metres,
        "title": texts_input(input.title),
        "description": texts_input(input.description),
        "starts_at": input.starts_at,
        "ends_at": input.ends_at,
        "online_url": input.online_url,
        "place": vars(place) if place else None,
        "capacity": input.capacity,
        "skill_ids": [
            local(skill_id, "Skill", f"skillIds.{index}")
            for index, skill_id in enumerate(input.skill_ids or [])
        ],
        "badge_id": local(input.badge_id, "Badge", "badgeId") if input.badge_id else None,
    }


def confirmation_row(given_id: str, row: ConfirmationRow) -> AttendanceConfirmationRow:
    award_id = strawberry.ID(to_global("Award", row.award_id)) if row.award_id else None
    return AttendanceConfirmationRow(
        user_id=strawberry.ID(given_id),
        status=ConfirmationStatus(row.status),
        award_id=award_id,
        message=translate(row.message) if row.message else None,
    )


async def _confirm(
    info: Info, input: Annotated[ConfirmAttendanceInput, INPUT]
) -> AttendanceConfirmation:
    event_id = local(input.event_id, "Event", "eventId")
    # An id that is not a User's cannot be registered; it gets its own NOT_REGISTERED row.
    user_ids = [local_id(g, "User") or f"not-a-user:{g}" for g in input.user_ids]
    given = dict(zip(user_ids, input.user_ids, strict=True))
    rows = await info.context.services.events.confirm(
        info.context.viewer, {"event_id": event_id, "user_ids": user_ids}
    )
    event = await _changed(info, event_id)
    return AttendanceConfirmation(
        event=event, rows=[confirmation_row(given[row.user_id], row) for row in rows]
    )


@strawberry.type
class EventQueries:
    @field(
        description="Events on the map: public ones, and those of your teams, classes and "
        "clubs; by area or distance, time window, skill, host."
    )
    async def events(
        self,
        info: Info,
        filter: Annotated[
            EventFilter | None, described("Which events: place, time, skill, host, form.")
        ] = None,
        sort: Annotated[EventSort | None, described("Order; soonest first when left out.")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Event]:
        page_window = window(info, first, after, last, before)
        order = sort or EventSort.SOONEST
        spec = _filter(filter or EventFilter(), order)
        page = await event_reads.on_map(info.context.loaders, spec, order.value, page_window)
        return to_connection(page, lambda record: Event(record=record))

    @field(description="An event by id.")
    async def event(self, info: Info, id: Id) -> Event | None:
        event_id = local_id(id, "Event")
        return await event_by_id(info, event_id) if event_id else None


@strawberry.type
class EventMutations:
    @mutation(
        description="Host a new event: an organisation's staff (public), or a team's teachers "
        "and leaders or a club's owners and moderators (for its members only)."
    )
    async def create_event(
        self, info: Info, input: Annotated[CreateEventInput, INPUT]
    ) -> EventResult:
        async def command() -> str:
            return await info.context.services.events.create(
                info.context.viewer, _event_data(input)
            )

        return await as_result(command(), lambda event_id: _changed(info, event_id))

    @mutation(description="Register the signed-in user; registering twice is harmless.")
    async def attend_event(
        self, info: Info, input: Annotated[AttendEventInput, INPUT]
    ) -> EventResult:
        async def command() -> str:
            event_id = local(input.event_id, "Event", "eventId")
            return await info.context.services.events.attend(info.context.viewer, event_id)

        return await as_result(command(), lambda event_id: _changed(info, event_id))

    @mutation(description="Withdraw the signed-in user's registration.")
    async def cancel_attendance(
        self, info: Info, input: Annotated[CancelAttendanceInput, INPUT]
    ) -> EventResult:
        async def command() -> str:
            event_id = local(input.event_id, "Event", "eventId")
            return await info.context.services.events.cancel(info.context.viewer, event_id)

        return await as_result(command(), lambda event_id: _changed(info, event_id))

    @mutation(
        description="Confirm who attended (host staff, up to 500 at once); when the event "
        "awards a badge, each confirmed attendee gets it exactly once, even on retries."
    )
    async def confirm_attendance(
        self, info: Info, input: Annotated[ConfirmAttendanceInput, INPUT]
    ) -> ConfirmAttendanceResult:
        return await as_result(_confirm(info, input), _same)


async def _same(value: AttendanceConfirmation) -> AttendanceConfirmation:
    return value
