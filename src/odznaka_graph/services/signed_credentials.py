"""Signed Open Badges 3.0 credentials of awards: exported once per format and kept as
issued (the exact text), issuer DIDs and status lists, key rotation, and verification
of pasted documents.

Signing happens on the first export, not when the award is made, so bulk awarding pays
nothing for it; from then on the ledger returns the same bytes every time."""

import asyncio
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.credentials import document, extension, keyring, lists, status
from odznaka_graph.credentials.did import did_document, did_for
from odznaka_graph.credentials.keyring import SigningKey
from odznaka_graph.credentials.keys import KeyKind, PublicKey
from odznaka_graph.credentials.signing import add_data_integrity_proof, sign_jwt
from odznaka_graph.credentials.verify import VerificationReport, use_local_stores, verify_document
from odznaka_graph.errors import Conflict, NotFound
from odznaka_graph.graph_model.clubs import clubs_by_ids
from odznaka_graph.graph_model.organizations import organizations_by_ids
from odznaka_graph.ledger import accounts, credentials
from odznaka_graph.ledger import signed_credentials as store
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import CredentialReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.permissions import Action, require_staff
from odznaka_graph.services.profiles import award_reach_of, award_record
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import Reach
from odznaka_graph.standard import BadgeContent


class CredentialFormat(StrEnum):
    DATA_INTEGRITY = "DATA_INTEGRITY"
    VC_JWT = "VC_JWT"


MEDIA_TYPES = {
    CredentialFormat.DATA_INTEGRITY: "application/vc+ld+json",
    CredentialFormat.VC_JWT: "application/vc+jwt",
}
KEY_KINDS = {
    CredentialFormat.DATA_INTEGRITY: KeyKind.ED25519,
    CredentialFormat.VC_JWT: KeyKind.P256,
}
PENDING = "This credential has not been claimed by its recipient yet."
REVOKED = "This credential was revoked; it is not exported any more."
LAGGING = "This credential's issuer is still being recorded; try again shortly."


@dataclass(frozen=True)
class IssuedCredential:
    award_id: str
    format: CredentialFormat
    document: str
    issued_at: datetime

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True)
class IssuerIdentity:
    """An issuer's DID, where its DID document is served, and its keys (current first)."""

    did: str
    did_document_url: str
    keys: list[PublicKey]


@dataclass(frozen=True)
class DocumentCheck:
    """A pasted document's report, and the award behind it when it is ours and visible."""

    report: VerificationReport
    award: Any = None  # AwardRecord
    award_shown: bool = False
    badge_names: dict[str, str] | None = None
    organization_id: str | None = None


class SignedCredentialService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        use_local_stores(stores)

    async def export(
        self, viewer: Viewer, award_id: str, fmt: CredentialFormat
    ) -> IssuedCredential:
        """The award's signed credential in this format: signed on the first call, then
        the same stored text. For whoever may see the award."""
        async with self.stores.ledger.reading() as conn:
            row = await credentials.award(conn, award_id)
            if row is None or not await self.visible(conn, viewer, row):
                raise NotFound("No such credential.", reason=CredentialReason.CREDENTIAL_NOT_FOUND)
            stored = await store.issued(conn, award_id, fmt.value)
            if stored is not None:
                return _issued(stored)
            if row.recipient_id is None:
                raise Conflict(PENDING, reason=CredentialReason.CREDENTIAL_NOT_CLAIMED)
            if row.revoked_at is not None:
                raise Conflict(REVOKED, reason=CredentialReason.CREDENTIAL_REVOKED)
            badge = await credentials.badge(conn, row.badge_id)
            email = await _recipient_email(conn, row.recipient_id)
        assert badge is not None
        issuer_id = str(badge.organization_id or badge.club_id)
        text, key = await self._sign(row, badge, issuer_id, email, fmt)
        return await self._keep(row, fmt, text, issuer_id, key.key_id, viewer)

    async def _sign(
        self, row: Row[Any], badge: Row[Any], issuer_id: str, email: str, fmt: CredentialFormat
    ) -> tuple[str, SigningKey]:
        settings, ledger = self.stores.settings, self.stores.ledger
        base = settings.public_base_url
        facts, issuer = await self.award_facts(row, badge, issuer_id, email)
        list_no, index = await lists.allocate(ledger, issuer_id, row.id)
        entry = status.entry(status.list_url(base, issuer_id, list_no), index)
        unsigned = document.build(facts, issuer, entry, base)
        key = await keyring.signing_key(ledger, settings, issuer_id, KEY_KINDS[fmt])
        return await asyncio.to_thread(_sign, unsigned, key, fmt, base), key

    async def award_facts(
        self, row: Row[Any], badge: Row[Any], issuer_id: str, email: str
    ) -> tuple[document.AwardFacts, document.IssuerFacts]:
        """What a credential of the award states, in any format (the wallet's too)."""
        issuer = await self._issuer(issuer_id, badge.organization_id is not None)
        facts = document.AwardFacts(
            award_id=row.id,
            badge_id=badge.id,
            badge_kind=badge.kind,
            content=BadgeContent.model_validate(badge.content),
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            evidence=list(row.evidence),
            recipient_email=email,
            subject_id=self.subject_id(row.recipient_id),
        )
        return facts, issuer

    async def _keep(
        self,
        row: Row[Any],
        fmt: CredentialFormat,
        text: str,
        issuer_id: str,
        key_id: str,
        viewer: Viewer,
    ) -> IssuedCredential:
        at = now()
        try:
            async with self.stores.ledger.transaction() as conn:
                await store.insert_issued(
                    conn,
                    award_id=row.id,
                    format=fmt.value,
                    issuer_id=issuer_id,
                    key_id=key_id,
                    document=text,
                    issued_at=at,
                )
                await record(
                    conn,
                    actor_id=viewer.id,
                    action="credential.signed",
                    subject_type="Award",
                    subject_id=row.id,
                    payload={"awardId": row.id, "format": fmt.value, "at": at.isoformat()},
                )
        except IntegrityError:  # a concurrent export stored its copy first: that one counts
            async with self.stores.ledger.reading() as conn:
                stored = await store.issued(conn, row.id, fmt.value)
            assert stored is not None
            return _issued(stored)
        return IssuedCredential(row.id, fmt, text, at)

    async def _issuer(self, issuer_id: str, is_organization: bool) -> document.IssuerFacts:
        graph, base = self.stores.graph, self.stores.settings.public_base_url
        did = did_for(base, issuer_id)
        if is_organization:
            org = (await organizations_by_ids(graph, [issuer_id])).get(issuer_id)
            if org is None:
                raise Conflict(LAGGING, reason=CredentialReason.ISSUER_NOT_READY)
            texts = org.texts
            return document.IssuerFacts(
                did, texts.get("name", {}), texts.get("description", {}), org.website
            )
        club = (await clubs_by_ids(graph, [issuer_id], None)).get(issuer_id)
        if club is None:
            raise Conflict(LAGGING, reason=CredentialReason.ISSUER_NOT_READY)
        return document.IssuerFacts(
            did, club.texts.get("name", {}), club.texts.get("description", {})
        )

    def subject_id(self, account_id: str) -> str:
        """A stable pseudonym of the learner: the same in all their credentials, but not
        their account id, and not reversible without the platform's secret."""
        secret = self.stores.settings.credential_keys_secret.get_secret_value().encode()
        digest = hmac.new(secret, f"subject:{account_id}".encode(), hashlib.sha256).digest()
        return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"

    async def visible(self, conn: AsyncConnection, viewer: Viewer, row: Row[Any]) -> bool:
        """The API's read rule for an award (services/visibility_service.py)."""
        badge = await credentials.badge(conn, row.badge_id)
        if badge is None:
            return False
        reach = await award_reach_of(self.stores, viewer, award_record(row), badge)
        return reach is Reach.SHOWN

    async def did_document(self, issuer_id: str) -> dict[str, Any] | None:
        keys = await self.issuer_keys(issuer_id)
        if not keys:
            return None
        return did_document(did_for(self.stores.settings.public_base_url, issuer_id), keys)

    async def issuer_identity(self, issuer_id: str) -> IssuerIdentity:
        base = self.stores.settings.public_base_url
        url = f"{base}/issuers/{issuer_id}/did.json"
        return IssuerIdentity(did_for(base, issuer_id), url, await self.issuer_keys(issuer_id))

    async def issuer_keys(self, issuer_id: str) -> list[PublicKey]:
        async with self.stores.ledger.reading() as conn:
            return await keyring.public_keys(conn, issuer_id)

    async def status_list(self, issuer_id: str, list_no: int) -> str | None:
        stores = self.stores
        return await lists.list_document(stores.ledger, stores.settings, issuer_id, list_no)

    async def rotate_keys(self, viewer: Viewer, org_id: str) -> str:
        """New signing keys for an organisation; the old ones stay in its DID document."""

        async def work(conn: AsyncConnection) -> str:
            actor = await require_staff(conn, viewer, org_id, Action.MANAGE_ORGANIZATION)
            await keyring.rotate(conn, self.stores.settings, org_id)
            await record(
                conn,
                actor_id=actor,
                action="issuer_keys.rotated",
                subject_type="Organization",
                subject_id=org_id,
                payload={"organizationId": org_id},
            )
            return org_id

        return await self.stores.commit(work)

    async def check_document(self, viewer: Viewer, text: str) -> DocumentCheck:
        report = await verify_document(text, self.stores)
        if report.award_id is None:
            return DocumentCheck(report)
        async with self.stores.ledger.reading() as conn:
            row = await credentials.award(conn, report.award_id)
            assert row is not None
            shown = await self.visible(conn, viewer, row)
            badge = await credentials.badge(conn, row.badge_id)
        assert badge is not None
        names = dict(badge.content.get("name") or {})
        return DocumentCheck(report, award_record(row), shown, names, badge.organization_id)


def _sign(unsigned: dict[str, Any], key: SigningKey, fmt: CredentialFormat, base: str) -> str:
    if fmt is CredentialFormat.VC_JWT:
        return sign_jwt(unsigned, key.private, key.method_id)
    contexts = {extension.context_url(base): extension.context(base)}
    signed = add_data_integrity_proof(unsigned, key.private, key.method_id, now(), contexts)
    return json.dumps(signed, ensure_ascii=False, indent=2)


def _issued(row: Row[Any]) -> IssuedCredential:
    return IssuedCredential(row.award_id, CredentialFormat(row.format), row.document, row.issued_at)


async def _recipient_email(conn: AsyncConnection, account_id: str) -> str:
    """The address the credential's hashed identifier is made from: the holder's first
    verified one (the one they registered with, usually)."""
    emails = await accounts.emails_of(conn, account_id)
    verified = [row.email for row in emails if row.verified_at is not None]
    return str((verified or [row.email for row in emails] or [""])[0])
