"""Pending awards (sent to an address) claimed by the account that verifies the address."""

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.ledger import credentials
from odznaka_graph.ledger.journal import record
from odznaka_graph.services import points


async def claim_pending(conn: AsyncConnection, email: str, account_id: str) -> None:
    for award_id in await credentials.claim_awards(conn, email, account_id):
        await _claimed_points(conn, award_id, account_id)
        await record(
            conn,
            actor_id=account_id,
            action="award.claimed",
            subject_type="Award",
            subject_id=award_id,
            payload={"id": award_id, "recipientId": account_id},
        )


async def _claimed_points(conn: AsyncConnection, award_id: str, account_id: str) -> None:
    """A pending award counts for its holder from the moment they claim it."""
    award = await credentials.award(conn, award_id)
    badge = await credentials.badge(conn, award.badge_id) if award else None
    if badge is not None:
        await points.credential_earned(conn, award_id, account_id, badge, now())
