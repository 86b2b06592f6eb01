"""Events: hosting them, registering attendance, and confirming it (which may award a badge).

Events and attendance are community graph data, so they are written to Neo4j directly: the
capacity and "has it ended" checks must run in the same graph transaction as the write, which
an outbox projection (applied later) could not give. Each change then leaves an audit row
(its outbox event has no projection handler and is simply marked done); should the SQL store
fail right after the graph write, the change stands without that row and the client sees an
error. The badge an event awards goes through the awards ledger, idempotently per attendee.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, HttpUrl
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, DomainError, NotFound, ValidationFailed
from odznaka_graph.graph_model import events, skills
from odznaka_graph.graph_model.events import EventRecord
from odznaka_graph.i18n import pick
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import credentials
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AccountReason, BadgeReason, EventReason, OrganizationReason
from odznaka_graph.services.awards import ALREADY_HELD
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.bulk_awards import BulkAwardService, Outcome, RowResult
from odznaka_graph.services.event_hosts import require_event_host, require_host
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_event
from odznaka_graph.standard import Model, Texts

# Award idempotency keys are derived from (event, attendee): a retried or concurrent
# confirmation replays the same award instead of issuing a second one.
ATTENDANCE_AWARD_KEYS = uuid.UUID("0b6f7d8e-1c52-4f0e-9a0e-5d3c2e7b9a41")
MAX_CONFIRMATIONS = 500
TITLE_MAX = 300
GEOFENCE_MIN, GEOFENCE_MAX = 20, 5000  # metres around the event's place, for check-in


class PlaceInput(Model):
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    address: Annotated[str, Field(min_length=3, max_length=500)]


class EventInput(Model):
    host_id: str
    host_type: Literal["Organization", "Team", "Club"] = "Organization"
    title: Texts
    description: Texts = Field(default_factory=dict)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    online_url: HttpUrl | None = None
    place: PlaceInput | None = None
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = None
    skill_ids: list[str] = Field(default_factory=list, max_length=20)
    badge_id: str | None = None
    geofence_metres: Annotated[int, Field(ge=GEOFENCE_MIN, le=GEOFENCE_MAX)] | None = None


class ConfirmInput(Model):
    event_id: str
    user_ids: list[str] = Field(min_length=1, max_length=MAX_CONFIRMATIONS)


@dataclass(frozen=True)
class ConfirmationRow:
    """What happened to one attendee: CONFIRMED_AND_AWARDED, CONFIRMED, ALREADY_HELD,
    NOT_REGISTERED or AWARD_REFUSED (with the reason in `message`)."""

    user_id: str
    status: str
    award_id: str | None = None
    message: str | None = None


class EventService:
    def __init__(self, stores: Stores, bulk: BulkAwardService) -> None:
        self.stores = stores
        self.bulk = bulk

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = _event_input(data)
        await self._check_skills(request.skill_ids)
        event_id = new_id()

        async def work(conn: AsyncConnection) -> str:
            graph, host = self.stores.graph, request.host_type
            actor = await require_host(conn, graph, viewer, host, request.host_id)
            await _check_badge(conn, request)
            fields = _fields(request, event_id, actor)
            written = await graph.in_transaction(lambda tx: events.create_event(tx, fields, host))
            if not written:
                raise Conflict(
                    "The organisation is still being set up; try again shortly.",
                    reason=OrganizationReason.ORGANIZATION_NOT_READY,
                )
            await record(
                conn,
                actor_id=actor,
                action="event.created",
                subject_type="Event",
                subject_id=event_id,
                payload=_payload(fields),
            )
            return event_id

        return await self.stores.commit(work)

    async def attendance_changed(
        self, actor: str, action: str, event_id: str, payload: dict[str, Any]
    ) -> None:
        """Record a change of attendance with the counts as committed after it: the live
        count its host's staff follow (`eventAttendance`) is read from this event."""
        counts = await events.counts(self.stores.graph, event_id)
        host = {"hostType": counts.pop("hostType", None), "hostId": counts.pop("hostId", None)}
        await self._audit(actor, action, event_id, payload | host | {"attendance": counts})

    async def attend(self, viewer: Viewer, event_id: str) -> str:
        """Register the viewer; registering twice changes nothing."""
        user_id = signed_in(viewer)
        outcome = await events.attend(self.stores.graph, event_id, user_id, now())
        if outcome is None:
            raise NotFound("No such event.", reason=EventReason.EVENT_NOT_FOUND)
        if outcome in ATTEND_REFUSALS:
            message, reason = ATTEND_REFUSALS[outcome]
            raise Conflict(message, reason=reason)
        if outcome == "ATTENDING":
            await self.attendance_changed(
                user_id, "event.attendance_registered", event_id, {"userId": user_id}
            )
        return event_id

    async def cancel(self, viewer: Viewer, event_id: str) -> str:
        """Withdraw the viewer's registration; a confirmed attendance stays on record."""
        user_id = signed_in(viewer)
        outcome = await events.cancel(self.stores.graph, event_id, user_id)
        if outcome == "CONFIRMED":
            raise Conflict(
                "Your attendance was confirmed already and stays on record.",
                reason=EventReason.ATTENDANCE_CONFIRMED,
            )
        if outcome == "NOT_ATTENDING":
            await self.event(event_id, viewer)  # not found, or nothing to cancel
        else:
            await self.attendance_changed(
                user_id, "event.attendance_cancelled", event_id, {"userId": user_id}
            )
        return event_id

    async def confirm(self, viewer: Viewer, data: dict[str, Any]) -> list[ConfirmationRow]:
        """Confirm who attended, and award the event's badge to each of them, once."""
        request = parse(ConfirmInput, data)
        event, actor = await self.hosted(viewer, request.event_id)
        if event.starts_at > now():
            raise Conflict(
                "Attendance can be confirmed once the event has started.",
                reason=EventReason.EVENT_NOT_STARTED,
            )
        wanted = list(dict.fromkeys(request.user_ids))
        rows = await self.settle(event, viewer, wanted)
        confirmed = [row.user_id for row in rows if row.status != "NOT_REGISTERED"]
        await self.attendance_changed(
            actor, "event.attendance_confirmed", event.id, {"userIds": confirmed}
        )
        return rows

    async def settle(
        self, event: EventRecord, awarder: Viewer, user_ids: list[str]
    ) -> list[ConfirmationRow]:
        """Mark these registered attendees as attended and award the event's badge, in
        `awarder`'s name, to each once (a retry or a concurrent call awards nothing more)."""
        registered = await events.confirm(self.stores.graph, event.id, user_ids, now())
        awards = await self._award_all(
            awarder, event, [u for u in user_ids if u in registered and registered[u] is None]
        )
        rows = [self._row(event, u, registered, awards) for u in user_ids]
        awarded = {row.user_id: award_id for row in rows if (award_id := row.award_id)}
        await events.note_awards(self.stores.graph, event.id, awarded)
        return rows

    async def event(self, event_id: str, viewer: Viewer) -> EventRecord:
        found = await events.events_by_ids(self.stores.graph, [event_id], viewer.id)
        if event_id not in found or not can_see_event(viewer, found[event_id]):
            raise NotFound("No such event.", reason=EventReason.EVENT_NOT_FOUND)
        return found[event_id]

    async def hosted(self, viewer: Viewer, event_id: str) -> tuple[EventRecord, str]:
        """An event the viewer hosts (its host's staff), and the viewer's id."""
        event = await self.event(event_id, viewer)
        async with self.stores.ledger.reading() as conn:
            return event, await require_event_host(conn, viewer, event)

    async def _award_all(
        self, viewer: Viewer, event: EventRecord, user_ids: list[str]
    ) -> dict[str, ConfirmationRow]:
        """The event's badge for every newly confirmed attendee, in one ledger transaction."""
        if event.badge_id is None or not user_ids:
            return {}
        evidence = [{"url": None, "narrative": _evidence(event)}]
        try:
            results = await self.bulk.award_accounts(
                viewer,
                event.badge_id,
                user_ids,
                lambda user_id: str(uuid.uuid5(ATTENDANCE_AWARD_KEYS, f"{event.id}:{user_id}")),
                evidence,
            )
        except DomainError as error:  # e.g. the badge was archived since the event began
            return {u: ConfirmationRow(u, "AWARD_REFUSED", message=error.message) for u in user_ids}
        return {r.recipient: _confirmation(r) for r in results}

    def _row(
        self,
        event: EventRecord,
        user_id: str,
        registered: dict[str, str | None],
        awards: dict[str, ConfirmationRow],
    ) -> ConfirmationRow:
        if user_id not in registered:
            return ConfirmationRow(user_id, "NOT_REGISTERED", message="Not registered for it.")
        if event.badge_id is None:
            return ConfirmationRow(user_id, "CONFIRMED")
        if registered[user_id] is not None:  # awarded by an earlier confirmation: a retry
            return ConfirmationRow(user_id, "CONFIRMED_AND_AWARDED", award_id=registered[user_id])
        return awards[user_id]

    async def _check_skills(self, skill_ids: list[str]) -> None:
        found = await skills.skills_by_ids(self.stores.graph, skill_ids) if skill_ids else {}
        errors = {
            f"skill_ids.{index}": "No such skill."
            for index, skill_id in enumerate(skill_ids)
            if skill_id not in found
        }
        if errors:
            raise ValidationFailed(errors, reason=BadgeReason.SKILL_NOT_FOUND)

    async def _audit(self, actor: str, action: str, event_id: str, payload: dict[str, Any]) -> None:
        # The outbox event this also writes has no projection handler: it is marked done.
        async def work(conn: AsyncConnection) -> None:
            await record(
                conn,
                actor_id=actor,
                action=action,
                subject_type="Event",
                subject_id=event_id,
                payload={"id": event_id, **payload},
            )

        await self.stores.commit(work)


ATTEND_REFUSALS = {
    "FULL": ("The event is full.", EventReason.EVENT_FULL),
    "ENDED": ("The event has ended.", EventReason.EVENT_ENDED),
    "NO_USER": (
        "Your profile is still being set up; try again in a moment.",
        AccountReason.PROFILE_NOT_READY,
    ),
}


def _event_input(data: dict[str, Any]) -> EventInput:
    request = parse(EventInput, data)
    errors = {}
    if not request.title:
        errors["title"] = "Give the event a title in at least one language."
    if any(len(title) > TITLE_MAX for title in request.title.values()):
        errors["title"] = f"A title has at most {TITLE_MAX} characters."
    if request.ends_at <= request.starts_at:
        errors["ends_at"] = "The event must end after it starts."
    if request.online_url is None and request.place is None:
        errors["place"] = "Give an online link, a place, or both."
    if request.geofence_metres is not None and request.place is None:
        errors["geofence_metres"] = "A check-in geofence needs the event's place."
    if errors:
        raise ValidationFailed(errors, reason=EventReason.EVENT_DETAILS_INVALID)
    return request


async def _check_badge(conn: AsyncConnection, request: EventInput) -> None:
    if request.badge_id is None:
        return
    badge = await credentials.badge(conn, request.badge_id)
    if badge is None or badge.organization_id != request.host_id:
        raise ValidationFailed(
            {"badge_id": "Not a badge of the hosting organisation."},
            reason=EventReason.BADGE_NOT_OF_HOST,
        )
    if badge.status != "PUBLISHED":
        raise ValidationFailed(
            {"badge_id": "Only a published badge can be awarded."},
            reason=BadgeReason.BADGE_NOT_PUBLISHED,
        )


def _fields(request: EventInput, event_id: str, actor: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "host_id": request.host_id,
        "title": request.title,
        "description": request.description,
        "starts_at": request.starts_at,
        "ends_at": request.ends_at,
        "online_url": str(request.online_url) if request.online_url else None,
        "place": request.place.model_dump() if request.place else None,
        "capacity": request.capacity,
        "skill_ids": request.skill_ids,
        "badge_id": request.badge_id,
        "geofence_metres": request.geofence_metres,
        "created_at": now(),
        "created_by": actor,
    }


def _payload(fields: dict[str, Any]) -> dict[str, Any]:
    """The audit record of a new event, as JSON."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()}


def _evidence(event: EventRecord) -> str:
    title = pick(event.texts.get("title"), [])
    return f"Attended the event “{title}” on {event.starts_at.date().isoformat()}."


def _confirmation(result: RowResult) -> ConfirmationRow:
    if result.outcome == Outcome.AWARDED and result.award is not None:
        return ConfirmationRow(result.recipient, "CONFIRMED_AND_AWARDED", award_id=result.award.id)
    if result.outcome == Outcome.ALREADY_HELD:
        return ConfirmationRow(result.recipient, "ALREADY_HELD", message=ALREADY_HELD)
    if result.outcome == Outcome.SELF_AWARD:
        return ConfirmationRow(
            result.recipient, "AWARD_REFUSED", message="Nobody awards a badge to themselves."
        )
    return ConfirmationRow(result.recipient, "AWARD_REFUSED", message=result.outcome.value)
