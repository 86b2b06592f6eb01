"""Read views of events: one event, its attendees (the host's staff only) and the map."""

from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import event_map, events
from odznaka_graph.graph_model.event_map import BoundingBox, Near
from odznaka_graph.graph_model.event_map import EventFilter as MapFilter
from odznaka_graph.graph_model.events import HOST_LABELS, AttendeeRecord, EventRecord
from odznaka_graph.outcomes import EventReason
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.visibility import (
    can_see_attendees,
    can_see_event,
    event_readers,
    hosts_event,
)

# What the map query takes and the records it gives, for the API layers.
__all__ = [
    "HOST_LABELS",
    "AttendeeRecord",
    "BoundingBox",
    "EventRecord",
    "MapFilter",
    "Near",
]


async def event(loaders: Loaders, event_id: str, fresh: bool = False) -> EventRecord | None:
    """An event the viewer may see; `fresh` reads it again after a change."""
    if fresh:
        forget(loaders.event_by_id, event_id)
    record = await loaders.event_by_id.load(event_id)
    return record if record is not None and can_see_event(loaders.viewer, record) else None


async def changed_event(loaders: Loaders, event_id: str) -> EventRecord:
    """The event a command just changed, read again."""
    found = await event(loaders, event_id, fresh=True)
    if found is None:
        raise NotFound("No such event.", reason=EventReason.EVENT_NOT_FOUND)
    return found


async def attendees(
    loaders: Loaders, record: EventRecord, window: Window
) -> Page[AttendeeRecord] | None:
    """Who registered, first come first; None unless the viewer is the host's staff."""
    if not can_see_attendees(loaders.viewer, record, await loaders.staff_roles()):
        return None
    return await events.attendees(loaders.graph, record.id, window)


async def checked_in_count(loaders: Loaders, record: EventRecord) -> int | None:
    """How many attendees are confirmed; None unless the viewer is the host's staff."""
    if not hosts_event(loaders.viewer, record, await loaders.staff_roles()):
        return None
    return record.checked_in_count


async def on_map(loaders: Loaders, spec: MapFilter, sort: str, window: Window) -> Page[EventRecord]:
    """The events the viewer may see, by area or distance, time window, skill and host."""
    viewer_id = loaders.viewer.id
    return await event_map.events(loaders.graph, spec, sort, window, viewer_id, event_readers())
