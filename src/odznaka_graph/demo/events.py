"""Demo events (demo/events.json), created through the events service like any client's."""

import json
import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from odznaka_graph.errors import DomainError
from odznaka_graph.graph_model.skills import skill_id_for, skill_key
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer

log = logging.getLogger(__name__)
EVENTS = Path(__file__).parent / "events.json"
WRITTEN_ON = date(2026, 12, 4)  # the day events.json's dates were written for


def shift_for(today: date) -> timedelta:
    """How far events.json's dates move when the demo loads on `today`: by whole weeks
    (weekdays and weekends kept), so the events lie as far ahead as on WRITTEN_ON."""
    days = (today - WRITTEN_ON).days
    return timedelta(days=-(-days // 7) * 7)


# Hosts by English name and their published badges by Polish name, as the demo wrote them.
DEMO_NAMES = """
MATCH (o:Organization)
OPTIONAL MATCH (b:Badge {status: 'PUBLISHED'})-[:ISSUED_BY]->(o)
RETURN o.id AS id, o.name_en AS name, collect([b.name_pl, b.id]) AS badges
"""


async def load_events(
    services: Services, organizations: list[dict[str, Any]], people: dict[str, Viewer], today: date
) -> int:
    """Create the demo events as each host's owner, dated relative to `today`, and register
    the listed attendees."""
    shift = shift_for(today)
    owners = {org["name"]["en"]: people[org["owner"]] for org in organizations}
    hosts = {row["name"]: row for row in await services.stores.graph.read(DEMO_NAMES)}
    events = json.loads(EVENTS.read_text(encoding="utf-8"))
    for event in events:
        host = hosts[event["host"]]
        badges = {name: badge_id for name, badge_id in host["badges"] if name}
        event_id = await services.events.create(
            owners[event["host"]], _fields(event, host["id"], badges, shift)
        )
        for handle in event.get("attendees", []):
            await _attend(services, people[handle], event_id)
    log.info("demo events loaded", extra={"fields": {"events": len(events)}})
    return len(events)


async def _attend(services: Services, person: Viewer, event_id: str) -> None:
    try:
        await services.events.attend(person, event_id)
    except DomainError as error:  # loaded after the event ended, say: the event still counts
        log.info("demo attendance skipped", extra={"fields": {"reason": error.message}})


def _fields(
    event: dict[str, Any], host_id: str, badges: dict[str, str], shift: timedelta
) -> dict[str, Any]:
    return {
        "host_id": host_id,
        "title": event["title"],
        "description": event["description"],
        "starts_at": datetime.fromisoformat(event["starts_at"]) + shift,
        "ends_at": datetime.fromisoformat(event["ends_at"]) + shift,
        "online_url": event.get("online_url"),
        "place": event.get("place"),
        "capacity": event.get("capacity"),
        "skill_ids": [skill_id_for(skill_key({"pl": name})) for name in event["skills"]],
        "badge_id": badges[event["badge"]] if event.get("badge") else None,
    }
