"""What a verified presentation does: wallet sign-in (the account our credential was
issued to, its wallet identity linked on first use, tokens handed to the waiting client
once) and the door check (the attendee checked in by the event's host, and the event's
badge offered straight back to the wallet)."""

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
)
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import account_erasure as erasure
from odznaka_graph.ledger.journal import record
from odznaka_graph.ledger.throttle import Policy
from odznaka_graph.outcomes import DOMAINS, InputReason, PresentationReason, Reason
from odznaka_graph.services import throttling
from odznaka_graph.services.accounts import AccountService, Session
from odznaka_graph.services.events import EventService
from odznaka_graph.services.permissions import Action, require_staff
from odznaka_graph.services.signed_credentials import SignedCredentialService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.wallet import claims, openid4vp, presentation_store, presentation_trust
from odznaka_graph.wallet.issuance import WalletService
from odznaka_graph.wallet.presentations import (
    ACCEPTED,
    DOOR_CHECK,
    REFUSED,
    SIGN_IN,
    Created,
    PresentationService,
    refused,
)
from odznaka_graph.wallet.sd_jwt_verify import PresentationRefused, Verified

MAX_BADGES = 20
THROTTLE = "wallet_sign_in.client"


def _reason(status: str, name: str | None) -> Reason:
    """The stored refusal's reason (by its name), or what the status says."""
    for domain in DOMAINS:
        if name is not None and name in domain.__members__:
            return domain[name]
    return _STATUS_REASONS.get(status, PresentationReason.REQUEST_ANSWERED)


_STATUS_REASONS = {
    "PENDING": PresentationReason.REQUEST_PENDING,
    "EXPIRED": PresentationReason.REQUEST_EXPIRED,
}


class WalletPresentations:
    def __init__(
        self,
        presentations: PresentationService,
        accounts: AccountService,
        events: EventService,
        wallet: WalletService,
    ) -> None:
        self.presentations = presentations
        self.stores = presentations.stores
        self.accounts = accounts
        self.events = events
        self.wallet = wallet
        self.signed = SignedCredentialService(self.stores)

    # --- making requests -------------------------------------------------------------

    async def sign_in_request(self, client: str | None) -> Created:
        """Anyone may ask (it is how one signs in), WALLET_SIGN_IN_MAX_PER_CLIENT an hour."""
        if client:
            settings = self.stores.settings
            policy = Policy(settings.wallet_sign_in_max_per_client, timedelta(hours=1))
            await throttling.admit(
                self.stores.ledger,
                [throttling.Attempt(THROTTLE, client, policy)],
                "Too many wallet sign-in requests from here.",
                PresentationReason.SIGN_IN_REQUESTS_THROTTLED,
            )
        dcql = openid4vp.sign_in_query(claims.vct(self.stores.settings.public_base_url))
        await self.presentations.identity()  # made (once) outside the request's transaction
        return await self.stores.commit(lambda conn: self.presentations.create(conn, SIGN_IN, dcql))

    async def door_request(self, viewer: Viewer, event_id: str, badge_ids: list[str]) -> Created:
        """`viewer` must be staff of the event's host (the one who checks people in)."""
        if not viewer.signed_in:
            raise Unauthenticated()
        badge_ids = list(dict.fromkeys(badge_ids))
        if not 0 < len(badge_ids) <= MAX_BADGES:
            raise ValidationFailed(
                {"badge_ids": f"Name 1 to {MAX_BADGES} badges."}, reason=InputReason.INVALID_INPUT
            )
        event = await self.events.event(event_id, viewer)
        dcql = openid4vp.door_query(claims.vct(self.stores.settings.public_base_url), badge_ids)
        await self.presentations.identity()  # made (once) outside the request's transaction

        async def work(conn: AsyncConnection) -> Created:
            try:
                await require_staff(conn, viewer, event.host_id, Action.AWARD_BADGES)
            except DomainError:
                raise PermissionDenied(
                    "Only the event's host staff can check attendees in.",
                    reason=PresentationReason.NOT_EVENT_HOST,
                ) from None
            return await self.presentations.create(
                conn,
                DOOR_CHECK,
                dcql,
                requester_id=viewer.id,
                event_id=event.id,
                badge_ids=badge_ids,
            )

        return await self.stores.commit(work)

    # --- the wallet's answer -----------------------------------------------------------

    async def respond(self, code: str, form: dict[str, str]) -> dict[str, Any]:
        """Verify and act on a wallet's response; what to tell the wallet. A response to a
        live request that we can read spends it, accepted or refused: the outcome is
        written down first, so a concurrent second answer acts on nothing."""
        if "response" not in form and "error" in form:
            await self.presentations.decline(code, form.get("state"), form["error"])
            return {}
        row, given = await self.presentations.open_response(code, form.get("response"))
        try:
            verified = await self.presentations.check(row, given[0])
            award = await presentation_trust.live_award(self.stores, verified.claims)
            if row.purpose == SIGN_IN:
                await self._sign_in(row, verified, award)
                return {}
        except DomainError as error:
            await self.presentations.settle(row, refused(error), None)
            raise
        outcome = {
            "status": ACCEPTED,
            "accountId": award.recipient_id,
            "badgeShown": award.badge_id,
        }
        await self.presentations.settle(row, outcome, award.recipient_id)
        try:
            done, to_wallet = await self._check_in(row, award)
        except DomainError as error:
            await self.presentations.amend(row, refused(error))
            raise
        await self.presentations.amend(row, outcome | done)
        return to_wallet

    async def _sign_in(self, row: Row[Any], verified: Verified, award: Row[Any]) -> None:
        """The account our credential was issued to; its wallet identity (our issuer and
        the learner's pseudonym in the credential) is linked to it on first use."""
        subject = verified.claims.get("learner_identification")
        if subject != self.signed.subject_id(award.recipient_id):
            raise PresentationRefused(PresentationReason.WALLET_IDENTITY_UNKNOWN)

        async def link(conn: AsyncConnection) -> None:
            linked = await presentation_store.link_identity(
                conn, new_id(), verified.issuer, str(subject), award.recipient_id, now()
            )
            if linked not in (None, award.recipient_id):  # never: the pseudonym is per account
                raise PresentationRefused(PresentationReason.WALLET_IDENTITY_UNKNOWN)

        outcome = {"status": ACCEPTED, "accountId": award.recipient_id}
        await self.presentations.settle(row, outcome, award.recipient_id, link)

    async def _check_in(
        self, row: Row[Any], award: Row[Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Register and confirm the attendee as the host; the event's badge, if it awards
        one, is offered to the wallet that just proved its key (offer and transaction code
        in the answer to it: no QR code is shown around)."""
        attendee = Viewer(id=award.recipient_id, role="USER")
        host = Viewer(id=row.requester_id, role="USER")
        await self.events.attend(attendee, row.event_id)
        [done] = await self.events.confirm(
            host, {"event_id": row.event_id, "user_ids": [attendee.id]}
        )
        outcome = {"checkIn": done.status, "awardId": done.award_id}
        if done.award_id is None:
            return outcome, {}
        offer = await self.wallet.create_offer(attendee, done.award_id)
        return outcome, {"credential_offer": offer.offer_uri, "tx_code": offer.tx_code}

    # --- following a request -----------------------------------------------------------

    async def sign_in_status(self, handle: str) -> tuple[str, str | None]:
        """(PENDING | ACCEPTED | REFUSED | EXPIRED | COLLECTED, the refusal's reason)."""
        row = await self._sign_in_row(handle)
        if row.outcome is None:
            return ("EXPIRED" if row.expires_at <= now() else "PENDING"), None
        if row.outcome["status"] != ACCEPTED:
            return REFUSED, row.outcome["reason"]
        return ("COLLECTED" if row.collected_at else ACCEPTED), None

    async def complete_sign_in(self, handle: str, device: str | None) -> Session:
        """The session of an accepted sign-in, handed out once."""
        row = await self._sign_in_row(handle)
        status, reason = await self.sign_in_status(handle)
        if status != ACCEPTED:
            raise Conflict(f"The sign-in is {status.lower()}.", reason=_reason(status, reason))
        account_id = row.outcome["accountId"]

        async def work(conn: AsyncConnection) -> Session:
            if not await presentation_store.collect(conn, row.id, now()):
                raise Conflict("Handed out already.", reason=PresentationReason.REQUEST_ANSWERED)
            await erasure.cancel(conn, account_id)  # signing in keeps an account to be deleted
            await record(
                conn,
                actor_id=account_id,
                action="account.wallet_signed_in",
                subject_type="Account",
                subject_id=account_id,
                payload={"requestId": row.id, "at": now().isoformat()},
            )
            return await self.accounts.start_session(conn, account_id, device=device)

        return await self.stores.commit(work)

    async def _sign_in_row(self, handle: str) -> Row[Any]:
        row = await self.presentations.result(handle)
        if row is None or row.purpose != SIGN_IN:
            raise NotFound("No such request.", reason=PresentationReason.REQUEST_NOT_FOUND)
        return row

    async def door_result(self, viewer: Viewer, handle: str) -> tuple[str, dict[str, Any]]:
        """(PENDING | EXPIRED | ACCEPTED | REFUSED, the outcome) for the host who asked."""
        row = await self.presentations.result(handle)
        if row is None or row.purpose != DOOR_CHECK or row.requester_id != viewer.id:
            raise NotFound("No such request.", reason=PresentationReason.REQUEST_NOT_FOUND)
        if row.outcome is None:
            return ("EXPIRED" if row.expires_at <= now() else "PENDING"), {}
        return str(row.outcome["status"]), dict(row.outcome)
