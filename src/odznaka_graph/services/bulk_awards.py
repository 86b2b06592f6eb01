"""Awarding one badge to a whole class or cohort in one call, with a result per row.

Idempotent under the client's key: each row's award is keyed `<key>:<recipient>`, so
a retry returns the rows' existing awards and adds only what is missing. The store's
unique indexes keep concurrent calls from holding one badge twice.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import EmailStr, Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.ledger import accounts, credentials
from odznaka_graph.services.awards import Evidence, awardable_badge, issue
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

MAX_ROWS = 1000
_email = TypeAdapter(EmailStr)


class Outcome(StrEnum):
    AWARDED = "AWARDED"
    PENDING_CLAIM = "PENDING_CLAIM"
    ALREADY_HELD = "ALREADY_HELD"
    INVALID_ADDRESS = "INVALID_ADDRESS"
    UNKNOWN_HANDLE = "UNKNOWN_HANDLE"
    SELF_AWARD = "SELF_AWARD"
    DUPLICATE_ROW = "DUPLICATE_ROW"


class BulkAwardInput(Model):
    badge_id: str
    recipients: list[Annotated[str, Field(min_length=1, max_length=254)]] = Field(
        min_length=1, max_length=MAX_ROWS
    )
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    idempotency_key: Annotated[str, Field(min_length=8, max_length=60)]


@dataclass(frozen=True)
class RowResult:
    recipient: str
    outcome: Outcome
    award: Row[Any] | None = None


@dataclass
class _Row:
    given: str
    handle: str | None = None
    email: str | None = None
    account_id: str | None = None
    outcome: Outcome | None = None


class BulkAwardService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def award(self, viewer: Viewer, data: dict[str, Any]) -> list[RowResult]:
        request = parse(BulkAwardInput, data)
        evidence = [item.model_dump(mode="json") for item in request.evidence]

        async def work(conn: AsyncConnection) -> list[tuple[str, Outcome, str | None]]:
            rows = await _resolve(conn, [_row(given) for given in request.recipients])
            return await self._award(
                conn,
                viewer,
                request.badge_id,
                rows,
                lambda row: f"{request.idempotency_key}:{_target(row)}",
                evidence,
            )

        return await self._run(work)

    async def award_accounts(
        self,
        viewer: Viewer,
        badge_id: str,
        account_ids: list[str],
        key_of: Callable[[str], str],
        evidence: list[dict[str, Any]],
    ) -> list[RowResult]:
        """The same for accounts known by id (e.g. confirmed event attendees)."""

        async def work(conn: AsyncConnection) -> list[tuple[str, Outcome, str | None]]:
            rows = [_Row(account, account_id=account) for account in account_ids]
            return await self._award(
                conn, viewer, badge_id, rows, lambda row: key_of(row.given), evidence
            )

        return await self._run(work)

    async def _run(
        self, work: Callable[[AsyncConnection], Awaitable[list[tuple[str, Outcome, str | None]]]]
    ) -> list[RowResult]:
        try:
            award_ids = await self.stores.commit(work, answer_first=True)
        except IntegrityError:  # a concurrent call with the same key won some rows: replay
            award_ids = await self.stores.commit(work, answer_first=True)
        async with self.stores.ledger.reading() as conn:
            found = await credentials.awards_by_ids(conn, [a for _, _, a in award_ids if a])
        return [RowResult(given, outcome, found.get(a or "")) for given, outcome, a in award_ids]

    async def _award(
        self,
        conn: AsyncConnection,
        viewer: Viewer,
        badge_id: str,
        rows: list[_Row],
        key_of: Callable[[_Row], str],
        evidence: list[dict[str, Any]],
    ) -> list[tuple[str, Outcome, str | None]]:
        """Every row in one transaction, with a fixed number of reads for all of them."""
        badge, actor = await awardable_badge(conn, viewer, badge_id)
        keys = {id(row): key_of(row) for row in rows}
        replays = {
            a.idempotency_key: a
            for a in await credentials.awards_by_keys(conn, actor, list(keys.values()))
        }
        held, waiting = await credentials.live_holders(
            conn,
            badge.id,
            [r.account_id for r in rows if r.account_id],
            [r.email for r in rows if r.email and not r.account_id],
        )
        results: list[tuple[str, Outcome, str | None]] = []
        seen: set[str] = set()
        for row in rows:
            replay = replays.get(keys[id(row)])
            if row.outcome is None and _target(row) in seen:
                row.outcome = Outcome.DUPLICATE_ROW
            seen.add(_target(row))
            if row.outcome is not None:
                results.append((row.given, row.outcome, None))
            elif replay is not None:
                results.append((row.given, _issued_outcome(replay.recipient_id), replay.id))
            elif row.account_id == actor:
                results.append((row.given, Outcome.SELF_AWARD, None))
            elif row.account_id in held or (not row.account_id and row.email in waiting):
                results.append((row.given, Outcome.ALREADY_HELD, None))
            else:
                award_id = await issue(
                    conn,
                    badge,
                    actor,
                    row.account_id,
                    None if row.account_id else row.email,
                    keys[id(row)],
                    evidence,
                )
                results.append((row.given, _issued_outcome(row.account_id), award_id))
        return results


def _issued_outcome(recipient_id: str | None) -> Outcome:
    return Outcome.AWARDED if recipient_id else Outcome.PENDING_CLAIM


def _target(row: _Row) -> str:
    return row.account_id or row.email or f"@{row.handle}"


def _row(given: str) -> _Row:
    text = given.strip()
    if "@" not in text.lstrip("@"):
        return _Row(given, handle=text.lstrip("@").lower())
    try:
        return _Row(given, email=str(_email.validate_python(text)).lower())
    except PydanticValidationError:
        return _Row(given, outcome=Outcome.INVALID_ADDRESS)


async def _resolve(conn: AsyncConnection, rows: list[_Row]) -> list[_Row]:
    """Account ids for handles and for verified e-mails, in two queries for all rows."""
    by_handle = await accounts.ids_by_handles(conn, [r.handle for r in rows if r.handle])
    by_email = await accounts.verified_ids_by_emails(conn, [r.email for r in rows if r.email])
    for row in rows:
        if row.handle is not None:
            row.account_id = by_handle.get(row.handle)
            if row.account_id is None:
                row.outcome = Outcome.UNKNOWN_HANDLE
        elif row.email is not None:
            row.account_id = by_email.get(row.email)
    return rows
