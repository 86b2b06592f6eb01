"""OpenID4VP 1.0 presentations, the verifier's side: a request is made (wallet sign-in or
a door check), the wallet fetches its signed request object by `request_uri`, and posts
its encrypted answer to the `response_uri`, which verifies it, acts on it (signs in, checks
in) and keeps the outcome for the client that waits on it. A request works once and
expires; whoever made it follows it by an opaque handle (the request id) that never
appears in the QR code."""

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from joserfc.jwk import ECKey
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.credentials import keys
from odznaka_graph.errors import DomainError
from odznaka_graph.ids import new_id
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import PresentationReason
from odznaka_graph.services.base import Stores
from odznaka_graph.wallet import openid4vp, presentation_store, presentation_trust
from odznaka_graph.wallet.sd_jwt_verify import Expected, PresentationRefused, Verified, verify
from odznaka_graph.wallet.verifier_identity import VerifierIdentity, load

PATH = "/wallet/presentations/"
SIGN_IN, DOOR_CHECK = "SIGN_IN", "DOOR_CHECK"
ACCEPTED, REFUSED = "ACCEPTED", "REFUSED"


@dataclass(frozen=True)
class Created:
    request_id: str  # the handle its maker follows it by (only its hash is kept)
    uri: str  # openid4vp://?client_id=...&request_uri=...
    expires_at: datetime


@dataclass(frozen=True)
class Answer:
    """What the response endpoint tells the wallet (and the outcome's row id)."""

    request_id: str
    outcome: dict[str, Any]
    to_wallet: dict[str, Any]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class PresentationService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self._identity: VerifierIdentity | None = None

    @property
    def base(self) -> str:
        return self.stores.settings.public_base_url

    async def identity(self) -> VerifierIdentity:
        if self._identity is None:
            secret = self.stores.settings.credential_keys_secret.get_secret_value()
            host = self.base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
            self._identity = await load(self.stores.ledger, secret, host)
        return self._identity

    def _seal(self, row_id: str, key: ECKey) -> str:
        secret = self.stores.settings.credential_keys_secret.get_secret_value()
        return keys.seal(secret, row_id, json.dumps(key.as_dict(private=True)).encode())

    def _unseal(self, row: Row[Any]) -> ECKey:
        secret = self.stores.settings.credential_keys_secret.get_secret_value()
        return ECKey.import_key(json.loads(keys.unseal(secret, row.id, row.encryption_key)))

    async def create(
        self, conn: AsyncConnection, purpose: str, dcql: dict[str, Any], **context: Any
    ) -> Created:
        """A request, written in the caller's transaction (`context`: requester_id,
        event_id, badge_ids)."""
        verifier = await self.identity()
        row_id, code, handle, at = (
            new_id(),
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(32),
            now(),
        )
        expires = at + timedelta(seconds=self.stores.settings.wallet_presentation_seconds)
        await presentation_store.purge(conn, at - timedelta(days=1))
        await presentation_store.insert_request(
            conn,
            id=row_id,
            code_hash=_hash(code),
            result_hash=_hash(handle),
            purpose=purpose,
            client_id=verifier.client_id,
            nonce=secrets.token_urlsafe(24),
            state=secrets.token_urlsafe(24),
            encryption_key=self._seal(row_id, openid4vp.encryption_key()),
            dcql=dcql,
            created_at=at,
            expires_at=expires,
            **context,
        )
        request_uri = f"{self.base}{PATH}{code}/request"
        return Created(
            handle, openid4vp.authorization_uri(verifier.client_id, request_uri), expires
        )

    async def request_object(self, code: str, wallet_nonce: str | None) -> str | None:
        """The signed request object, while the request can still be answered."""
        row = await self._row_by_code(code)
        if row is None or row.answered_at is not None or row.expires_at <= now():
            return None
        return openid4vp.request_object(
            await self.identity(),
            response_uri=f"{self.base}{PATH}{code}/response",
            nonce=row.nonce,
            state=row.state,
            dcql=row.dcql,
            encryption=self._unseal(row),
            lifetime=max(1, int((row.expires_at - now()).total_seconds())),
            wallet_nonce=wallet_nonce,
        )

    async def _row_by_code(self, code: str) -> Row[Any] | None:
        async with self.stores.ledger.reading() as conn:
            return await presentation_store.by_code(conn, _hash(code))

    async def result(self, handle: str) -> Row[Any] | None:
        async with self.stores.ledger.reading() as conn:
            return await presentation_store.by_result(conn, _hash(handle))

    async def open_response(self, code: str, response: str | None) -> tuple[Row[Any], list[str]]:
        """The request a response answers and the presentations in it; refused (nothing
        changes) when the request is unknown, spent or expired, or the response is not
        encrypted to it or carries another state."""
        row = await self._live_row(code)
        body = openid4vp.decrypt_response(response, self._unseal(row))
        if body.get("state") != row.state:
            raise PresentationRefused(PresentationReason.STATE_MISMATCH)
        return row, openid4vp.presentations(body, row.dcql)

    async def decline(self, code: str, state: str | None, error: str) -> None:
        """A wallet's error response (the holder said no, or it has no such credential):
        with the request's state it settles the request as declined."""
        row = await self._live_row(code)
        if state != row.state:
            raise PresentationRefused(PresentationReason.STATE_MISMATCH)
        reason = PresentationReason.WALLET_DECLINED
        declined = {"status": REFUSED, "reason": reason.name, "message": error[:100]}
        await self.settle(row, declined, None)

    async def _live_row(self, code: str) -> Row[Any]:
        row = await self._row_by_code(code)
        if row is None:
            raise PresentationRefused(PresentationReason.REQUEST_NOT_FOUND)
        if row.answered_at is not None:
            raise PresentationRefused(PresentationReason.REQUEST_ANSWERED)
        if row.expires_at <= now():
            raise PresentationRefused(PresentationReason.REQUEST_EXPIRED)
        return row

    async def check(self, row: Row[Any], presentation: str) -> Verified:
        """The one credential a request asked for, ours, valid and bound to its answerer."""
        expected = Expected(
            nonce=row.nonce,
            audience=row.client_id,
            max_age_seconds=self.stores.settings.wallet_presentation_seconds,
        )

        async def resolve(header: dict[str, Any], payload: dict[str, Any]) -> Any:
            return await presentation_trust.resolve_key(self.stores, header, payload, foreign=False)

        verified = await verify(presentation, resolve, expected)
        openid4vp.satisfies(row.dcql["credentials"][0], verified.claims)
        return verified

    async def settle(
        self,
        row: Row[Any],
        outcome: dict[str, Any],
        actor: str | None,
        also: Callable[[AsyncConnection], Awaitable[None]] | None = None,
    ) -> None:
        """Write the outcome down (and `also`, in the same transaction) before anything
        else happens: a second answer to the same request loses here."""

        async def work(conn: AsyncConnection) -> None:
            if not await presentation_store.answer(conn, row.id, outcome, now()):
                raise PresentationRefused(PresentationReason.REQUEST_ANSWERED)
            if also is not None:
                await also(conn)
            await record(
                conn,
                actor_id=actor,
                action=f"wallet.presentation_{outcome['status'].lower()}",
                subject_type="PresentationRequest",
                subject_id=row.id,
                payload={"purpose": row.purpose, "reason": outcome.get("reason")},
            )

        await self.stores.commit(work)

    async def amend(self, row: Row[Any], outcome: dict[str, Any]) -> None:
        """The outcome of what a settled answer went on to do (a door check's check-in)."""
        async with self.stores.ledger.transaction() as conn:
            await presentation_store.amend(conn, row.id, outcome)


def refused(error: DomainError) -> dict[str, Any]:
    return {"status": REFUSED, "reason": error.reason.name, "message": error.message}
