"""Awarding credentials: idempotent under a client key, never to oneself, revocable."""

from datetime import timedelta
from typing import Annotated, Any

from pydantic import EmailStr, Field, HttpUrl
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import accounts, credentials
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AwardReason, BadgeReason, InputReason
from odznaka_graph.services import points
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import Action, require_staff
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

ALREADY_HELD = "The recipient already holds this badge."
PEER_BADGE = "A peer badge is awarded by nomination and vouches in its club."


class Evidence(Model):
    url: HttpUrl | None = None
    narrative: Annotated[str, Field(max_length=5000)] | None = None


class AwardInput(Model):
    badge_id: str
    recipient_id: str | None = None
    recipient_email: EmailStr | None = None
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    idempotency_key: Annotated[str, Field(min_length=8, max_length=100)] | None = None


class RevokeInput(Model):
    award_id: str
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class AwardService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def award(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(AwardInput, data)
        if (request.recipient_id is None) == (request.recipient_email is None):
            raise ValidationFailed(
                {"recipient": "Give either a recipient id or an e-mail."},
                reason=AwardReason.RECIPIENT_REQUIRED,
            )
        key = request.idempotency_key or new_id()
        try:
            return await self.stores.commit(
                lambda conn: self._award(conn, viewer, request, key), answer_first=True
            )
        except IntegrityError:  # a concurrent request won the race: replay it, or refuse
            async with self.stores.ledger.reading() as conn:
                replay = await self._replay(conn, viewer, request, key)
            if replay is None:
                raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE) from None
            return replay

    async def _award(
        self, conn: AsyncConnection, viewer: Viewer, request: AwardInput, key: str
    ) -> str:
        replay = await self._replay(conn, viewer, request, key)
        if replay is not None:
            return replay
        badge, actor = await awardable_badge(conn, viewer, request.badge_id)
        recipient_id, email = await self._recipient(conn, request)
        if recipient_id == actor:
            raise PermissionDenied(
                "Nobody awards a badge to themselves.", reason=AwardReason.SELF_AWARD
            )
        held = await credentials.live_award(conn, badge.id, recipient_id, email)
        if held is not None:
            if (held.awarded_by, held.idempotency_key) == (actor, key):
                return str(held.id)  # our own retry committed in between
            raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)
        evidence = [item.model_dump(mode="json") for item in request.evidence]
        return await issue(conn, badge, actor, recipient_id, email, key, evidence)

    async def _replay(
        self, conn: AsyncConnection, viewer: Viewer, request: AwardInput, key: str
    ) -> str | None:
        if viewer.id is None:
            return None
        existing = await credentials.award_by_key(conn, viewer.id, key)
        if existing is None:
            return None
        if existing.badge_id != request.badge_id:
            _raise_conflict()
        return str(existing.id)

    async def _recipient(
        self, conn: AsyncConnection, request: AwardInput
    ) -> tuple[str | None, str | None]:
        """(account id, None), or (None, e-mail) to be claimed once someone verifies it."""
        if request.recipient_id is not None:
            account = await accounts.account_by_id(conn, request.recipient_id)
            if account is None:
                raise NotFound("No such recipient.", reason=AwardReason.RECIPIENT_NOT_FOUND)
            if account.erased_at is not None or account.deletion_due_at is not None:
                raise NotFound(  # issue 14: erased, or to be erased (deleteMyAccount)
                    "The recipient's account is deleted or about to be.",
                    reason=AwardReason.RECIPIENT_ACCOUNT_CLOSED,
                )
            return request.recipient_id, None
        email = str(request.recipient_email).lower()
        row = await accounts.email_row(conn, email)
        if row is not None and row.verified_at is not None:
            return str(row.account_id), None
        return None, email

    async def revoke(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(RevokeInput, data)

        async def work(conn: AsyncConnection) -> str:
            award = await credentials.award(conn, request.award_id)
            if award is None:
                raise NotFound("No such award.", reason=AwardReason.AWARD_NOT_FOUND)
            badge = await credentials.badge(conn, award.badge_id)
            assert badge is not None
            if badge.club_id is not None:
                raise ValidationFailed(
                    {"award_id": "A peer award is revoked with revokePeerAward."},
                    reason=AwardReason.USE_REVOKE_PEER_AWARD,
                )
            actor = await require_staff(conn, viewer, badge.organization_id, Action.AWARD_BADGES)
            return await revoke(conn, award.id, actor, request.reason)

        return await self.stores.commit(work, answer_first=True)


async def revoke(conn: AsyncConnection, award_id: str, actor: str, reason: str) -> str:
    """Revoke in the ledger, reverse the points the award brought, audit, and announce."""
    at = now()
    if not await credentials.revoke_award(conn, award_id, actor, reason, at):
        raise Conflict("This award was revoked already.", reason=AwardReason.AWARD_ALREADY_REVOKED)
    await points.credential_revoked(conn, award_id, at)
    await record(
        conn,
        actor_id=actor,
        action="award.revoked",
        subject_type="Award",
        subject_id=award_id,
        payload={"id": award_id, "reason": reason, "at": at.isoformat()},
    )
    return award_id


def _raise_conflict() -> str:
    raise Conflict(
        "This idempotency key was used for a different award.",
        reason=InputReason.IDEMPOTENCY_KEY_REUSED,
    )


async def awardable_badge(
    conn: AsyncConnection, viewer: Viewer, badge_id: str
) -> tuple[Row[Any], str]:
    """The badge and the acting staff member's id, when they may award it now."""
    badge = await credentials.badge(conn, badge_id)
    if badge is None:
        raise NotFound("No such badge.", reason=BadgeReason.BADGE_NOT_FOUND)
    if badge.club_id is not None:
        raise ValidationFailed({"badge_id": PEER_BADGE}, reason=AwardReason.PEER_BADGE_NOT_DIRECT)
    actor = await require_staff(conn, viewer, badge.organization_id, Action.AWARD_BADGES)
    if badge.status != "PUBLISHED":
        raise Conflict(
            "Only a published badge can be awarded.", reason=BadgeReason.BADGE_NOT_PUBLISHED
        )
    return badge, actor


async def issue(
    conn: AsyncConnection,
    badge: Row[Any],
    actor: str,
    recipient_id: str | None,
    email: str | None,
    key: str,
    evidence: list[dict[str, Any]],
) -> str:
    """Write one award to the ledger with its audit row and outbox event."""
    award_id, issued = new_id(), now()
    expires = issued + timedelta(days=badge.validity_days) if badge.validity_days else None
    await credentials.insert_award(
        conn,
        id=award_id,
        badge_id=badge.id,
        recipient_id=recipient_id,
        recipient_email=email,
        awarded_by=actor,
        idempotency_key=key,
        issued_at=issued,
        expires_at=expires,
        evidence=evidence,
    )
    if recipient_id is not None:
        await points.credential_earned(conn, award_id, recipient_id, badge, issued)
    payload = {
        "id": award_id,
        "badgeId": badge.id,
        "recipientId": recipient_id,
        "awardedBy": actor,
        "issuedAt": issued.isoformat(),
        "expiresAt": expires.isoformat() if expires else None,
        "evidence": evidence,
    }
    await record(
        conn,
        actor_id=actor,
        action="award.issued",
        subject_type="Award",
        subject_id=award_id,
        payload=payload,
    )
    return award_id
