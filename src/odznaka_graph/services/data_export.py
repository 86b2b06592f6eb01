"""Your data (GDPR articles 15 and 20; issue 14): one machine-readable JSON archive of what
both stores hold about the person, kept for a week behind a link mailed to them."""

from datetime import timedelta

import orjson

from odznaka_graph.clock import now
from odznaka_graph.graph_model.personal_data import personal_data
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import personal_data as rows
from odznaka_graph.ledger.mail import verified_address
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.services import tokens
from odznaka_graph.services.base import Stores
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer

FORMAT = "odznaka-personal-data/1"
KEPT = timedelta(days=7)
OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


class DataExportService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def export_my_data(self, viewer: Viewer) -> str:
        """Make the archive and mail its download link; the export's id."""
        account_id = signed_in(viewer)
        graph = await personal_data(self.stores.graph, account_id)
        at = now()
        async with self.stores.ledger.transaction() as conn:
            ledger = await rows.rows_of(conn, account_id)
            archive = {
                "format": FORMAT,
                "exportedAt": at,
                **ledger,
                "profile": (graph or {}).get("profile"),
                "relationships": (graph or {}).get("relationships", []),
            }
            content = orjson.dumps(archive, default=str, option=OPTIONS)
            export_id, token = new_id(), tokens.new_secret_token()
            await rows.insert_export(
                conn,
                export_id,
                account_id,
                tokens.token_hash(token),
                content.decode(),
                at,
                at + KEPT,
            )
            address = await verified_address(conn, account_id)
            if address is not None:
                data = {"exportId": export_id, "token": token}
                await queue(conn, Mail(MailKind.DATA_EXPORT_READY, address, data, account_id))
        return export_id

    async def download(self, export_id: str, token: str) -> str | None:
        """The archive, with the mailed token, until it expires; else None."""
        async with self.stores.ledger.reading() as conn:
            return await rows.export_content(conn, export_id, tokens.token_hash(token), now())
