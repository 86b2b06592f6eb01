"""Merging two accounts of one person (issue 14): an award went to an address of a second
account. Adding that address to the first account (with its password, see
AccountService.add_address) mails the address an offer instead of a verification link;
the link's token, used while signed in to the first account, moves the second account's
awards (ledger recipient, graph edge, points) and the address to the first one in one
transaction, signs the second account out and erases it (a pseudonym stays, like any
erased account). Whoever merges thus controls both: a session of the first account and the
mailbox of the second's verified address. A token works once and for the first account
only; using it again answers what the merge did, and moves nothing twice."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import account_erasure as erasure_rows
from odznaka_graph.ledger import account_merges as rows
from odznaka_graph.ledger import accounts as repo
from odznaka_graph.ledger.journal import record
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.outcomes import AccountReason
from odznaka_graph.services import tokens
from odznaka_graph.services.account_erasure import AccountErasureService
from odznaka_graph.services.award_claims import claim_pending
from odznaka_graph.services.base import Stores
from odznaka_graph.services.passwords import confirm_password
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer

LINK_DAYS = 7  # how long a merge link works
INVALID = "This merge link is not valid, was used for another account or expired."


@dataclass(frozen=True)
class Merged:
    email: str  # the address now on the account
    moved_awards: int


async def offer_merge(conn: AsyncConnection, source_id: str, target_id: str, email: str) -> None:
    """The address `email` of `source_id` was added to `target_id`: mail it the offer."""
    token = tokens.new_secret_token()
    at = now()
    await rows.insert_offer(
        conn,
        {
            "id": new_id(),
            "token_hash": tokens.token_hash(token),
            "source_id": source_id,
            "target_id": target_id,
            "email": email,
            "created_at": at,
            "expires_at": at + timedelta(days=LINK_DAYS),
        },
    )
    source, target = (
        await repo.account_by_id(conn, source_id),
        await repo.account_by_id(conn, target_id),
    )
    assert source is not None and target is not None
    data = {"token": token, "from": f"@{source.handle}", "into": f"@{target.handle}"}
    await queue(conn, Mail(MailKind.MERGE_OFFER, email, data, source_id))


class AccountMergeService:
    def __init__(self, stores: Stores, erasure: AccountErasureService) -> None:
        self.stores = stores
        self.erasure = erasure

    async def merge(self, viewer: Viewer, token: str) -> Merged:
        account_id = signed_in(viewer)

        async def work(conn: AsyncConnection) -> tuple[Merged, str | None]:
            offer = await rows.offer(conn, tokens.token_hash(token))
            if offer is None or offer.target_id != account_id or offer.expires_at <= now():
                raise NotFound(INVALID, reason=AccountReason.MERGE_LINK_INVALID)
            if not await rows.take(conn, offer.id, now()):  # merged already: the same answer
                return Merged(offer.email, offer.moved or 0), None
            source = await repo.account_by_id(conn, offer.source_id)
            if source is None or source.erased_at is not None:
                raise NotFound(INVALID, reason=AccountReason.MERGE_LINK_INVALID)
            if await rows.has_duties(conn, source.id):
                raise Conflict(
                    "The other account has a role or an organisation's staff seat; hand "
                    "them over before merging it.",
                    reason=AccountReason.MERGE_NOT_POSSIBLE,
                )
            moved = await self._move(conn, source.id, account_id, offer.email)
            await rows.note_moved(conn, offer.id, len(moved))
            return Merged(offer.email, len(moved)), source.id

        merged, source_id = await self.stores.commit(work)
        if source_id is not None:  # else the hourly erasure round does it
            await self.erasure.erase_now(source_id)
        return merged

    async def merge_with_password(self, token: str, password: str | None) -> Merged:
        """The mail link's page: the password of the account the address was added to
        stands for its session."""
        async with self.stores.ledger.reading() as conn:
            offer = await rows.offer(conn, tokens.token_hash(token))
        if offer is None:
            raise NotFound(INVALID, reason=AccountReason.MERGE_LINK_INVALID)
        await confirm_password(self.stores, offer.target_id, password)
        return await self.merge(Viewer(offer.target_id, "USER"), token)

    async def _move(
        self, conn: AsyncConnection, source_id: str, target_id: str, email: str
    ) -> list[str]:
        at = now()
        moved = await rows.move_awards(conn, source_id, target_id)
        for award_id in moved:
            await record(
                conn,
                actor_id=target_id,
                action="award.moved",
                subject_type="Award",
                subject_id=award_id,
                payload={"id": award_id, "recipientId": target_id},
            )
        await rows.move_address(conn, email, source_id, target_id, at)
        await claim_pending(conn, email, target_id)
        await repo.revoke_all_families(conn, source_id, at)
        await erasure_rows.close(conn, source_id, at)
        await record(
            conn,
            actor_id=target_id,
            action="account.merged",
            subject_type="Account",
            subject_id=target_id,
            payload={"id": target_id, "mergedId": source_id, "awards": moved},
        )
        return moved
