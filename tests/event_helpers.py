"""Builders for event tests: places around Poland, times relative to now, a createEvent call."""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.helpers import Api, Issuer, tx

WARSAW = (52.2297, 21.0122)  # Palace of Culture and Science
PLACES = {
    "warszawa": (52.2297, 21.0122, "pl. Defilad 1, Warszawa"),
    "piaseczno": (52.0817, 21.0238, "ul. Kościuszki 5, Piaseczno"),
    "legionowo": (52.4015, 20.9268, "ul. Piłsudskiego 20, Legionowo"),
    "zyrardow": (52.0488, 20.4459, "pl. Jana Pawła II 1, Żyrardów"),
    "lodz": (51.7592, 19.4560, "ul. Piotrkowska 100, Łódź"),
    "krakow": (50.0647, 19.9450, "Rynek Główny 1, Kraków"),
}
EVENT = """... on Event { id title startsAt endsAt attendeeCount seatsLeft viewerIsAttending
  form distanceKm place { latitude longitude address } onlineUrl }"""


def iso(moment: datetime) -> str:
    return moment.isoformat()


def next_month(today: datetime | None = None) -> tuple[datetime, datetime]:
    """The first moment of next month and of the month after it, in UTC."""
    today = today or datetime.now(UTC)
    start = (today.replace(day=1) + timedelta(days=32)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def place(name: str) -> dict[str, Any]:
    latitude, longitude, address = PLACES[name]
    return {"latitude": latitude, "longitude": longitude, "address": address}


def event_input(
    issuer: Issuer,
    title: str,
    starts: datetime,
    hours: float = 3,
    where: str | None = "warszawa",
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "hostId": issuer.org_id,
        "title": tx(title, f"{title} (EN)"),
        "description": tx("Opis wydarzenia.", "Event description."),
        "startsAt": iso(starts),
        "endsAt": iso(starts + timedelta(hours=hours)),
    }
    if where is not None:
        data["place"] = place(where)
    return data | extra


async def create_event(
    api: Api,
    issuer: Issuer,
    title: str,
    starts: datetime,
    hours: float = 3,
    where: str | None = "warszawa",
    **extra: Any,
) -> str:
    result = await api.mutate(
        "createEvent",
        event_input(issuer, title, starts, hours, where, **extra),
        EVENT,
        issuer.owner.token,
    )
    assert result["__typename"] == "Event", result
    return result["id"]  # type: ignore[no-any-return]


async def attend(api: Api, event_id: str, token: str) -> dict[str, Any]:
    return await api.mutate("attendEvent", {"eventId": event_id}, EVENT, token)
