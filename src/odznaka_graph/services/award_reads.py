"""Read views of awards: one award under the read rules, one just written (from the
ledger, which is ahead of the graph), one newly issued as its live event tells it."""

from datetime import datetime
from typing import Any

from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.profiles import EndorsementRecord
from odznaka_graph.ledger import credentials
from odznaka_graph.paging import Page, Window, decode_cursor
from odznaka_graph.services.loaders import Loaders, forget
from odznaka_graph.services.profiles import award_record

__all__ = ["AwardRecord", "award_record"]
EMPTY: Page[EndorsementRecord] = Page([], False, False, 0)


async def award(loaders: Loaders, award_id: str) -> AwardRecord | None:
    """The award if the viewer may see it."""
    return await loaders.visibility.award(award_id)


async def fresh_award(loaders: Loaders, award_id: str) -> AwardRecord | None:
    """An award that may have changed since this request read it."""
    forget(loaders.award_by_id, award_id)
    return await award(loaders, award_id)


async def written_award(loaders: Loaders, award_id: str) -> AwardRecord | None:
    """An award the viewer just wrote, as the ledger holds it: answers even while the
    graph catches up."""
    async with loaders.ledger.reading() as conn:
        row = await credentials.award(conn, award_id)
    return award_record(row) if row is not None else None


def issued_award(payload: dict[str, Any]) -> AwardRecord:
    """A newly issued award from its `award.issued` event, which carries all of it: no
    read per subscriber."""
    p = payload
    return AwardRecord(
        id=p["id"],
        badge_id=p["badgeId"],
        recipient_id=p["recipientId"],
        awarded_by_id=p["awardedBy"],
        issued_at=datetime.fromisoformat(p["issuedAt"]),
        expires_at=datetime.fromisoformat(p["expiresAt"]) if p.get("expiresAt") else None,
        evidence=[
            {"url": e.get("url") or "", "narrative": e.get("narrative") or ""}
            for e in p.get("evidence") or []
        ],
        revoked_at=None,
        revoke_reason=None,
    )


async def endorsement_count(loaders: Loaders, award_id: str) -> int:
    """How many people endorse the award."""
    return int(await loaders.endorsement_count_by_award.load(award_id))


async def endorsements(loaders: Loaders, award_id: str, window: Window) -> Page[EndorsementRecord]:
    """Endorsements of an award, newest first: one query for every award on the page."""
    if window.cursor is not None:
        decode_cursor(window.cursor)  # a cursor this list never gave out is a BadCursor
    page: Page[EndorsementRecord] | None = await loaders.endorsements_by_award.load(
        (award_id, window.size, window.cursor, window.forward)
    )
    return page or EMPTY
