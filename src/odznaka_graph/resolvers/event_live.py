"""The live attendance count of an event (issue 15), for its host's staff only.

Each attendance change (registered, cancelled, checked in, confirmed) is recorded with the
counts read after it was committed; the outbox publishes it to the event's channel, and
each item here is such a recorded change, never anything held in a request's memory. The
viewer's standing as host staff is read again for each burst: a teacher removed from the
class, or a moderator demoted, stops receiving at once (PERMISSION_DENIED)."""

from collections.abc import AsyncIterator

from odznaka_graph.context import Info
from odznaka_graph.pubsub import event_channel
from odznaka_graph.resolvers.live import decoded, member_bursts, signed_in
from odznaka_graph.schema.check_ins import EventAttendance, attendance_of


async def event_attendance(info: Info, event_gid: str) -> AsyncIterator[EventAttendance]:
    signed_in(info)
    event_id = decoded(event_gid, "Event", "eventId")
    events = info.context.services.events

    async def check() -> None:
        await events.hosted(info.context.viewer, event_id)

    async for burst, _ in member_bursts(info, event_channel(event_id), check, lambda _: False):
        for event in burst:
            yield attendance_of(event)
