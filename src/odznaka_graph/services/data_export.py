"""Your data (GDPR articles 15 and 20; issue 14): one machine-readable JSON archive of what
both stores hold about the person (their own data only: graph_model/personal_data.py and
ledger/personal_data.py list what goes in), behind a link mailed to the address they sign
in with. The link downloads it once, by POST with the token (never in a URL the server
sees), for a week at most; a new archive replaces the last one, at most
DATA_EXPORT_MAX_PER_DAY a day. The JSON is built in a worker thread."""

from datetime import timedelta
from typing import Any

import anyio.to_thread
import orjson

from odznaka_graph.clock import now
from odznaka_graph.graph_model.personal_data import personal_data
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import account_lifecycle as lifecycle_rows
from odznaka_graph.ledger import personal_data as rows
from odznaka_graph.ledger.throttle import Policy
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.outcomes import AccountReason
from odznaka_graph.services import throttling, tokens
from odznaka_graph.services.base import Stores
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer

FORMAT = "odznaka-personal-data/1"
KEPT = timedelta(days=7)
OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
EXPORT_ACCOUNT = "export.account"


def _dump(archive: dict[str, Any]) -> str:
    return orjson.dumps(archive, default=str, option=OPTIONS).decode()


class DataExportService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def export_my_data(self, viewer: Viewer) -> str:
        """Make the archive and mail its download link; the export's id."""
        account_id = signed_in(viewer)
        policy = Policy(self.stores.settings.data_export_max_per_day, timedelta(days=1))
        await throttling.admit(
            self.stores.ledger,
            [throttling.Attempt(EXPORT_ACCOUNT, account_id, policy)],
            "Too many data exports today; try again later.",
            AccountReason.DATA_EXPORT_THROTTLED,
        )
        graph = await personal_data(self.stores.graph, account_id)
        at = now()
        async with self.stores.ledger.reading() as conn:
            ledger = await rows.rows_of(conn, account_id)
        archive = {
            "format": FORMAT,
            "exportedAt": at,
            **ledger,
            "profile": (graph or {}).get("profile"),
            "relationships": (graph or {}).get("relationships", []),
        }
        content = await anyio.to_thread.run_sync(_dump, archive)  # off the event loop
        export_id, token = new_id(), tokens.new_secret_token()
        async with self.stores.ledger.transaction() as conn:
            await rows.replace_live_exports(conn, account_id)
            await rows.purge_expired_exports(conn, at)
            digest = tokens.token_hash(token)
            await rows.insert_export(conn, export_id, account_id, digest, content, at, at + KEPT)
            address = await lifecycle_rows.sign_in_address(conn, account_id)
            if address is not None:
                data = {"exportId": export_id, "token": token}
                await queue(conn, Mail(MailKind.DATA_EXPORT_READY, address, data, account_id))
        return export_id

    async def download(self, export_id: str, token: str) -> str | None:
        """The archive, with the mailed token, once, until it expires; else None."""
        async with self.stores.ledger.transaction() as conn:
            return await rows.take_export(conn, export_id, tokens.token_hash(token), now())
