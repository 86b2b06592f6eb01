"""Self check-in from tests: the code the host shows, checking in, counting awards."""

from typing import Any

import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import awards
from tests.helpers import Api, Person

CODE = "query($id: ID!) { eventCheckInCode(eventId: $id) { code qrSvg validUntil } }"
ROW = "... on AttendanceConfirmationRow { userId status awardId }"


async def check_in(
    api: Api, event_id: str, code: str, person: Person, position: dict[str, float] | None = None
) -> dict[str, Any]:
    given = {"eventId": event_id, "code": code} | (position or {})
    return await api.mutate("checkIn", given, ROW, person.token)


async def awards_of(api: Api, badge_id: str) -> int:
    """How many awards of the badge the ledger holds."""
    async with api.runtime.services.stores.ledger.reading() as conn:
        query = sa.select(sa.func.count()).where(awards.c.badge_id == local_id(badge_id, "Badge"))
        return int((await conn.execute(query)).scalar_one())
