"""OpenID4VCI 1.0 issuance, pre-authorised code flow with a transaction code: the holder
asks for an offer (GraphQL), the wallet redeems its code with the transaction code at the
token endpoint, fetches a nonce, and sends a key proof to the credential endpoint, which
answers with an SD-JWT VC bound to that key. Every step is audited; each code, token and
nonce works once."""

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from joserfc.jwk import ECKey
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.credentials import keyring, lists
from odznaka_graph.credentials.keys import KeyKind
from odznaka_graph.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import credentials
from odznaka_graph.ledger import signed_credentials as issued
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import CredentialReason, WalletReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.signed_credentials import CredentialFormat, SignedCredentialService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.wallet import (
    certificates,
    claims,
    metadata,
    nonces,
    proofs,
    sd_jwt,
    store,
    token_status,
)
from odznaka_graph.wallet.proofs import ProofRefused

TX_CODE_LENGTH = 6
OFFER_SCHEME = "openid-credential-offer://"
ISSUED = "wallet.credential_issued"  # the topic the holder's wallet pickup is told by
# createCredentialOffer's formats -> credential configurations of the issuer metadata.
CONFIGURATIONS = {
    "SD_JWT_VC": metadata.SD_JWT_VC,
    "JWT_VC_JSON": metadata.OB_JWT,
    "LDP_VC": metadata.OB_LDP,
}
EXPORTED = {
    metadata.OB_JWT: CredentialFormat.VC_JWT,
    metadata.OB_LDP: CredentialFormat.DATA_INTEGRITY,
}


class ProtocolError(Exception):
    """A refusal in OAuth / OpenID4VCI terms: HTTP status, `error` code, description."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


@dataclass(frozen=True)
class Offer:
    award_id: str
    configuration_id: str
    offer_uri: str  # openid-credential-offer://?credential_offer_uri=...
    tx_code: str  # to the holder by another channel, never in the QR code
    expires_at: datetime


@dataclass(frozen=True)
class Grant:
    access_token: str
    expires_in: int


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class WalletService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self.signed = SignedCredentialService(stores)

    @property
    def base(self) -> str:
        return self.stores.settings.public_base_url

    def _tx_hash(self, offer_id: str, tx_code: str) -> str:
        message = f"tx:{offer_id}:{tx_code}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    async def create_offer(
        self, viewer: Viewer, award_id: str, configuration_id: str = metadata.SD_JWT_VC
    ) -> Offer:
        """A single-use offer of the award in one credential configuration, for its holder."""
        if not viewer.signed_in:
            raise Unauthenticated()
        async with self.stores.ledger.reading() as conn:
            row = await credentials.award(conn, award_id)
            if row is None or not await self.signed.visible(conn, viewer, row):
                raise NotFound("No such award.", reason=CredentialReason.CREDENTIAL_NOT_FOUND)
        if row.recipient_id != viewer.id:
            raise PermissionDenied(
                "Only the award's holder can send it to a wallet.",
                reason=WalletReason.NOT_THE_HOLDER,
            )
        _require_live(row)
        settings, at = self.stores.settings, now()
        offer_id, code = new_id(), secrets.token_urlsafe(32)
        tx_code = "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH))
        expires_at = at + timedelta(seconds=settings.wallet_offer_seconds)

        async def work(conn: AsyncConnection) -> None:
            await store.insert_offer(
                conn,
                id=offer_id,
                code_hash=_hash(code),
                award_id=row.id,
                holder_id=viewer.id,
                configuration_id=configuration_id,
                tx_code_hash=self._tx_hash(offer_id, tx_code),
                created_at=at,
                expires_at=expires_at,
            )
            await self._audit(conn, viewer.id, "wallet.offer_created", row.id, offer_id)

        await self.stores.commit(work)
        offer_url = self.base + metadata.OFFER_PATH + code
        uri = f"{OFFER_SCHEME}?credential_offer_uri={_quote(offer_url)}"
        return Offer(row.id, configuration_id, uri, tx_code, expires_at)

    async def offer_document(self, code: str) -> dict[str, Any] | None:
        """The offer object at its credential_offer_uri, while it can still be redeemed."""
        async with self.stores.ledger.reading() as conn:
            row = await store.offer_by_code(conn, _hash(code))
        if row is None or row.redeemed_at is not None or row.expires_at <= now():
            return None
        return metadata.offer(self.base, code, row.configuration_id, TX_CODE_LENGTH)

    async def token(self, code: str | None, tx_code: str | None) -> Grant:
        """Redeem a pre-authorised code (with its transaction code) for an access token."""
        if not code:
            raise ProtocolError(400, "invalid_request", "pre-authorized_code is missing.")
        async with self.stores.ledger.reading() as conn:
            row = await store.offer_by_code(conn, _hash(code))
        _redeemable(row, self.stores.settings.wallet_tx_code_attempts)
        assert row is not None
        if not tx_code:
            raise ProtocolError(400, "invalid_request", "This offer needs its tx_code.")
        if not hmac.compare_digest(row.tx_code_hash, self._tx_hash(row.id, tx_code)):
            await self._refuse_tx_code(row)
        token, settings, at = secrets.token_urlsafe(32), self.stores.settings, now()
        expires = at + timedelta(seconds=settings.wallet_token_seconds)

        async def work(conn: AsyncConnection) -> None:
            if not await store.redeem(conn, row.id, _hash(token), expires, at):
                raise ProtocolError(400, "invalid_grant", "This offer was redeemed already.")
            await self._audit(conn, None, "wallet.token_issued", row.award_id, row.id)

        await self.stores.commit(work)
        return Grant(token, settings.wallet_token_seconds)

    async def _refuse_tx_code(self, row: Row[Any]) -> None:
        async def work(conn: AsyncConnection) -> None:
            await store.count_tx_failure(conn, row.id)
            await self._audit(conn, None, "wallet.tx_code_refused", row.award_id, row.id)

        await self.stores.commit(work)
        raise ProtocolError(400, "invalid_grant", "The transaction code is wrong.")

    @property
    def _secret(self) -> bytes:
        return self.stores.settings.credential_keys_secret.get_secret_value().encode()

    def nonce(self) -> str:
        """A fresh c_nonce (nothing is stored until a proof uses it)."""
        seconds = self.stores.settings.wallet_nonce_seconds
        return nonces.make(self._secret, now() + timedelta(seconds=seconds))

    async def credential(self, access_token: str | None, request: Any) -> str | dict[str, Any]:
        """The credential for a valid request on a live access token: an SD-JWT VC bound
        to the proof's key, or the award's Open Badges 3.0 export (JWT or JSON-LD)."""
        row = await self._offer_of_token(access_token)
        if not isinstance(request, dict):
            raise ProtocolError(400, "invalid_credential_request", "Send a JSON object.")
        if request.get("credential_configuration_id") != row.configuration_id:
            raise ProtocolError(
                400, "unknown_credential_configuration", "Ask for the configuration offered."
            )
        exported = EXPORTED.get(row.configuration_id)
        if exported is not None and ("proofs" in request or "proof" in request):
            raise ProtocolError(
                400, "invalid_credential_request", "This credential takes no proof."
            )
        holder_key = None if exported else await self._proven_key(request.get("proofs"))
        async with self.stores.ledger.reading() as conn:
            award = await credentials.award(conn, row.award_id)
            badge = await credentials.badge(conn, award.badge_id) if award else None
        assert award is not None and badge is not None
        try:
            _require_live(award)
            document = await self._document(award, badge, row.holder_id, exported, holder_key)
        except DomainError as refused:
            raise ProtocolError(400, "credential_request_denied", refused.message) from None

        async def work(conn: AsyncConnection) -> None:
            if not await store.mark_issued(conn, row.id, now()):
                raise ProtocolError(401, "invalid_token", "This access token was used already.")
            await self._audit(conn, row.holder_id, ISSUED, award.id, row.id)

        await self.stores.commit(work)
        return document

    async def _offer_of_token(self, access_token: str | None) -> Row[Any]:
        row = None
        if access_token:
            async with self.stores.ledger.reading() as conn:
                row = await store.offer_by_token(conn, _hash(access_token))
        if row is None or row.token_expires_at <= now():
            raise ProtocolError(401, "invalid_token", "The access token is unknown or expired.")
        if row.issued_at is not None:
            raise ProtocolError(401, "invalid_token", "This access token was used already.")
        return row

    async def _proven_key(self, given: Any) -> dict[str, Any]:
        jwts = given.get("jwt") if isinstance(given, dict) else None
        if not isinstance(jwts, list) or len(jwts) != 1 or len(given) != 1:
            raise ProtocolError(400, "invalid_proof", "Send proofs: {jwt: [one key proof]}.")
        settings = self.stores.settings
        try:
            proof = proofs.check(jwts[0], self.base, settings.wallet_proof_max_age_seconds)
        except ProofRefused as refused:
            raise ProtocolError(400, refused.error, refused.description) from None
        if not await self._use_nonce(proof.nonce):
            raise ProtocolError(400, "invalid_nonce", "The nonce is unknown, used or expired.")
        return proof.jwk

    async def _use_nonce(self, nonce: str) -> bool:
        """Whether the nonce is ours, live and unused; it is used up if so."""
        at = now()
        expires = nonces.expiry(self._secret, nonce, at)
        if expires is None:
            return False
        try:
            async with self.stores.ledger.transaction() as conn:
                await store.purge_nonces(conn, at)
                await store.use_nonce(conn, nonce, expires, at)
        except IntegrityError:  # written down before: used
            return False
        return True

    async def _document(
        self,
        award: Row[Any],
        badge: Row[Any],
        holder_id: str,
        exported: CredentialFormat | None,
        holder_key: dict[str, Any] | None,
    ) -> str | dict[str, Any]:
        if exported is None:
            assert holder_key is not None
            return await self._sign(award, badge, holder_key)
        holder = Viewer(id=holder_id, role="USER")
        issued_copy = await self.signed.export(holder, award.id, exported)
        if exported is CredentialFormat.DATA_INTEGRITY:
            found: dict[str, Any] = json.loads(issued_copy.document)
            return found
        return issued_copy.document

    async def _sign(self, award: Row[Any], badge: Row[Any], holder_key: dict[str, Any]) -> str:
        stores, base = self.stores, self.base
        issuer_id = str(badge.organization_id or badge.club_id)
        facts, issuer = await self.signed.award_facts(award, badge, issuer_id, "")
        list_no, index = await lists.allocate(stores.ledger, issuer_id, award.id)
        key = await keyring.signing_key(stores.ledger, stores.settings, issuer_id, KeyKind.P256)
        issued = int(now().timestamp())
        always: dict[str, Any] = {
            "iss": metadata.issuer_url(base, issuer_id),
            "iat": issued,
            "vct": claims.vct(base),
            "cnf": {"jwk": holder_key},
            "status": token_status.reference(
                token_status.list_url(base, issuer_id, list_no), index
            ),
        }
        if award.expires_at is not None:
            always["exp"] = int(award.expires_at.timestamp())
        names = {"kid": key.public.fragment, "x5c": certificates.x5c(key, always["iss"])}
        signer = ECKey.import_key(key.private)
        return sd_jwt.issue(always, claims.disclosable(facts, issuer), signer, names)

    async def jwt_vc_issuer(self, issuer_id: str) -> dict[str, Any] | None:
        keys = await self.signed.issuer_keys(issuer_id)
        return metadata.jwt_vc_issuer(self.base, issuer_id, keys) if keys else None

    async def status_list_token(self, issuer_id: str, list_no: int) -> str | None:
        """The signed Token Status List, made from the awards ledger as it is now."""
        stores, at = self.stores, now()
        async with stores.ledger.reading() as conn:
            if not await issued.list_exists(conn, issuer_id, list_no):
                return None
            invalid = await store.invalid_indexes(conn, issuer_id, list_no, at)
        key = await keyring.signing_key(stores.ledger, stores.settings, issuer_id, KeyKind.P256)
        url = token_status.list_url(self.base, issuer_id, list_no)
        iss = metadata.issuer_url(self.base, issuer_id)
        names = {"kid": key.public.fragment, "x5c": certificates.x5c(key, iss)}
        signer = ECKey.import_key(key.private)
        return token_status.token(url, iss, invalid, signer, names, at)

    async def _audit(
        self, conn: AsyncConnection, actor: str | None, action: str, award_id: str, offer_id: str
    ) -> None:
        """An audit row and outbox event; `wallet.credential_issued` reaches the holder's
        stream by its `holderId` (routing.py), for the credentialIssued subscription."""
        payload = {"awardId": award_id, "offerId": offer_id, "at": now().isoformat()}
        if action == ISSUED:
            payload["holderId"] = str(actor)
        await record(
            conn,
            actor_id=actor,
            action=action,
            subject_type="Award",
            subject_id=award_id,
            payload=payload,
        )


def _require_live(row: Row[Any]) -> None:
    if row.revoked_at is not None:
        raise Conflict("The award was revoked.", reason=CredentialReason.CREDENTIAL_REVOKED)
    if row.expires_at is not None and row.expires_at <= now():
        raise Conflict("The award has expired.", reason=CredentialReason.CREDENTIAL_EXPIRED)


def _redeemable(row: Row[Any] | None, max_failures: int) -> None:
    if row is None:
        raise ProtocolError(400, "invalid_grant", "The pre-authorized code is not known.")
    if row.redeemed_at is not None:
        raise ProtocolError(400, "invalid_grant", "This offer was redeemed already.")
    if row.expires_at <= now():
        raise ProtocolError(400, "invalid_grant", "This offer has expired.")
    if row.tx_failures >= max_failures:
        raise ProtocolError(400, "invalid_grant", "Too many wrong transaction codes.")


def _quote(url: str) -> str:
    return quote(url, safe="")
