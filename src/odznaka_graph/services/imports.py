"""Importing a credential earned elsewhere: read the upload, check it, keep it with what
the check found. Fetching happens before the SQL transaction; the row, an audit entry and
an outbox event are written together. One row per holder and credential: importing the
same credential again checks it again and updates that row."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import accounts
from odznaka_graph.ledger import external_credentials as repo
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import CredentialReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.sharing.fetch import Fetcher
from odznaka_graph.sharing.findings import Checked, Summary
from odznaka_graph.sharing.ob2_check import check_ob2, fetch_assertion
from odznaka_graph.sharing.ob3_check import check_ob3
from odznaka_graph.sharing.reading import Submitted, is_ob3, read_input


@dataclass(frozen=True)
class ExternalCredentialRecord:
    id: str
    account_id: str
    format: str
    source: str
    summary: Summary
    status: str
    reasons: list[str]
    checked_at: datetime
    created_at: datetime


def to_record(row: Any) -> ExternalCredentialRecord:
    return ExternalCredentialRecord(
        id=row.id,
        account_id=row.account_id,
        format=row.format,
        source=row.source,
        summary=Summary.from_json(row.summary),
        status=row.status,
        reasons=list(row.reasons),
        checked_at=row.checked_at,
        created_at=row.created_at,
    )


class ImportService:
    def __init__(self, stores: Stores, fetcher: Fetcher | None = None) -> None:
        self.stores = stores
        self.fetcher = fetcher or Fetcher(stores.settings.import_allow_loopback)

    async def import_credential(
        self, viewer: Viewer, document: str | None, image_base64: str | None
    ) -> ExternalCredentialRecord:
        owner = signed_in(viewer)
        submitted = read_input(document, image_base64)
        checked = await self._check(submitted, await self._verified_emails(owner))
        try:
            return await self._keep(owner, submitted, checked)
        except IntegrityError:  # the same credential imported twice at once: update the winner
            return await self._keep(owner, submitted, checked)

    async def _keep(
        self, owner: str, submitted: Submitted, checked: Checked
    ) -> ExternalCredentialRecord:
        async def work(conn: AsyncConnection) -> ExternalCredentialRecord:
            return await _store(conn, owner, submitted, checked)

        return await self.stores.commit(work)

    async def _verified_emails(self, owner: str) -> list[str]:
        async with self.stores.ledger.reading() as conn:
            rows = await accounts.emails_of(conn, owner)
        return [str(row.email) for row in rows if row.verified_at is not None]

    async def _check(self, submitted: Submitted, emails: list[str]) -> Checked:
        at = now()
        if submitted.url is not None:
            fetched = await fetch_assertion(self.fetcher, submitted.url, submitted.field)
            if is_ob3(fetched.document, submitted.field):
                return await check_ob3(submitted, fetched.document, emails, at, self.stores)
            return await check_ob2(submitted, self.fetcher, emails, at, hosted=fetched)
        assert submitted.document is not None
        if submitted.ob3:
            return await check_ob3(submitted, submitted.document, emails, at, self.stores)
        return await check_ob2(submitted, self.fetcher, emails, at)

    async def remove(self, viewer: Viewer, credential_id: str) -> str:
        owner = signed_in(viewer)

        async def work(conn: AsyncConnection) -> str:
            row = await repo.by_id(conn, credential_id)
            if row is None or row.account_id != owner:
                raise NotFound(
                    "No such imported credential.",
                    reason=CredentialReason.IMPORTED_CREDENTIAL_NOT_FOUND,
                )
            await repo.delete(conn, credential_id)
            await _audit(conn, owner, "credential.import_removed", credential_id, {})
            return credential_id

        return await self.stores.commit(work)


async def _store(
    conn: AsyncConnection, owner: str, submitted: Submitted, checked: Checked
) -> ExternalCredentialRecord:
    at = now()
    values = {
        "format": checked.format,
        "source": submitted.source,
        "document": checked.document,
        "summary": checked.summary.as_json(),
        "status": checked.status,
        "reasons": checked.reasons,
        "checked_at": at,
    }
    existing = await repo.by_document(conn, owner, checked.key_hash)
    if existing is None:
        credential_id = new_id()
        await repo.insert(
            conn,
            id=credential_id,
            account_id=owner,
            document_hash=checked.key_hash,
            created_at=at,
            **values,
        )
        action = "credential.imported"
    else:
        credential_id = existing.id
        await repo.update(conn, credential_id, **values)
        action = "credential.rechecked"
    await _audit(conn, owner, action, credential_id, {"status": checked.status})
    row = await repo.by_id(conn, credential_id)
    return to_record(row)


async def _audit(
    conn: AsyncConnection, owner: str, action: str, credential_id: str, extra: dict[str, Any]
) -> None:
    payload = {"id": credential_id, "accountId": owner, **extra}
    await record(
        conn,
        actor_id=owner,
        action=action,
        subject_type="ExternalCredential",
        subject_id=credential_id,
        payload=payload,
    )
