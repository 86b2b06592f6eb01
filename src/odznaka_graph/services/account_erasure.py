"""Deleting one's account (issue 14, GDPR article 17): `deleteMyAccount` with the current
password schedules the erasure ACCOUNT_DELETION_GRACE_DAYS ahead, ends every session and
tells the sign-in address; signing in before then cancels it. When it is due, the person's
data leaves both stores (ledger/account_erasure.py, graph_model/personal_data.py): their
node and ties leave the graph (profiles, search, lists, leaderboards), their rows leave the
ledger, and the account row stays under a pseudonym so the awards it received stay
verifiable. Nothing others hold is revoked."""

from datetime import datetime, timedelta

from odznaka_graph.clock import now
from odznaka_graph.graph_model.personal_data import erase_person
from odznaka_graph.ledger import account_erasure as rows
from odznaka_graph.ledger import account_lifecycle as lifecycle_rows
from odznaka_graph.ledger import accounts as repo
from odznaka_graph.ledger.journal import record
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.services.base import Stores
from odznaka_graph.services.passwords import confirm_password
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer

BATCH = 20


class AccountErasureService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def delete_my_account(self, viewer: Viewer, password: str | None) -> datetime:
        """Schedule the erasure; when it happens."""
        account_id = signed_in(viewer)
        await confirm_password(self.stores, account_id, password)
        at = now()
        erases_at = at + timedelta(days=self.stores.settings.account_deletion_grace_days)
        async with self.stores.ledger.transaction() as conn:
            await rows.schedule(conn, account_id, erases_at)
            await repo.revoke_all_families(conn, account_id, at)
            address = await lifecycle_rows.sign_in_address(conn, account_id)
            if address is not None:
                data = {"erasesOn": erases_at.date().isoformat()}
                await queue(
                    conn, Mail(MailKind.ACCOUNT_DELETION_SCHEDULED, address, data, account_id)
                )
            await record(
                conn,
                actor_id=account_id,
                action="account.deletion_scheduled",
                subject_type="Account",
                subject_id=account_id,
                payload={"id": account_id, "erasesAt": erases_at.isoformat()},
            )
        return erases_at

    async def erase_due(self) -> int:
        """Erase the accounts whose grace period ended; how many. The graph first: a
        failure leaves the ledger untouched and the account due, to be tried again."""
        async with self.stores.ledger.reading() as conn:
            found = await rows.due(conn, now(), BATCH)
        for account_id in found:
            await self.erase_now(account_id)
        return len(found)

    async def erase_now(self, account_id: str) -> None:
        """Erase one account now (it is due, or merged into another)."""
        await erase_person(self.stores.graph, account_id)
        async with self.stores.ledger.transaction() as conn:
            await rows.erase(conn, account_id, now())
