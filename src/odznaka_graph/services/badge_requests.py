"""Badge requests (issue 15): a learner asks an organisation for one of its published
badges with evidence (words, a link, an uploaded file); its staff approve, which awards the
badge through the awards ledger, or decline with a reason. The learner is notified through
the notification handler: the award's AWARD_RECEIVED, or BADGE_REQUEST_DECLINED with the
reason; the badge's staff get BADGE_REQUESTED.

One open request per learner and badge: `open_key`'s unique constraint holds it under
concurrency. A decision is one conditional update of an OPEN request in the transaction
that awards, so of two concurrent approvals one awards and the other finds it approved
(and answers the same); the award's idempotency key (`badge-request:<id>`) holds too."""

from typing import Annotated, Any

from pydantic import Field, HttpUrl
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, PermissionDenied
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import badge_requests as requests
from odznaka_graph.ledger import credentials
from odznaka_graph.ledger.badge_requests import BadgeRequestRow
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AwardReason, BadgeRequestReason
from odznaka_graph.services.awards import ALREADY_HELD, awardable_badge, issue
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.images import file_url, own_evidence
from odznaka_graph.services.permissions import Action, require_staff, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

OPEN, APPROVED, DECLINED = "OPEN", "APPROVED", "DECLINED"
REQUEST_CLOSED = "This request was decided already."


class RequestInput(Model):
    badge_id: str
    narrative: Annotated[str, Field(min_length=3, max_length=2000)]
    link: Annotated[HttpUrl, Field(max_length=500)] | None = None
    evidence_file_id: str | None = None


class DeclineInput(Model):
    request_id: str
    reason: Annotated[str, Field(min_length=3, max_length=1000)]


class BadgeRequestService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def request(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """The learner's new open request for a published organisation badge."""
        request = parse(RequestInput, data)
        learner = signed_in(viewer)
        request_id = new_id()

        async def work(conn: AsyncConnection) -> str:
            badge = await credentials.badge(conn, request.badge_id)
            if badge is None or badge.organization_id is None or badge.status != "PUBLISHED":
                raise Conflict(
                    "Only an organisation's published badges can be requested.",
                    reason=BadgeRequestReason.BADGE_NOT_REQUESTABLE,
                )
            if await credentials.live_award(conn, badge.id, learner, None) is not None:
                raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)
            if request.evidence_file_id is not None:
                await own_evidence(conn, request.evidence_file_id, learner)
            if await requests.open_request(conn, badge.id, learner) is not None:
                raise _already_open()
            await requests.insert_request(
                conn,
                id=request_id,
                badge_id=badge.id,
                organization_id=badge.organization_id,
                learner_id=learner,
                status=OPEN,
                open_key=requests.open_key(badge.id, learner),
                narrative=request.narrative,
                link=str(request.link) if request.link else None,
                file_id=request.evidence_file_id,
                created_at=now(),
            )
            await _audit(conn, learner, "badge_request.created", request_id, badge.id, learner)
            return request_id

        try:
            return await self.stores.commit(work)
        except IntegrityError:  # a concurrent request of the same learner and badge won
            raise _already_open() from None

    async def approve(self, viewer: Viewer, request_id: str) -> str:
        """Award the badge (once, however many approvals race) and close the request."""

        async def work(conn: AsyncConnection) -> str:
            found, _ = await self._staff_request(conn, viewer, request_id)
            badge, actor = await awardable_badge(conn, viewer, found.badge_id)
            if found.learner_id == actor:
                raise PermissionDenied(
                    "Nobody awards a badge to themselves.", reason=AwardReason.SELF_AWARD
                )
            if not await requests.decide(conn, found.id, status=APPROVED, actor=actor, at=now()):
                return _same_decision(await requests.request(conn, found.id), APPROVED)
            if await credentials.live_award(conn, badge.id, found.learner_id, None) is not None:
                raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)
            evidence = [_evidence(self.stores, found)]
            key = f"badge-request:{found.id}"
            award_id = await issue(conn, badge, actor, found.learner_id, None, key, evidence)
            await requests.set_award(conn, found.id, award_id)
            await _audit(
                conn, actor, "badge_request.approved", found.id, badge.id, found.learner_id
            )
            return found.id

        return await self.stores.commit(work)

    async def decline(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Close the request without an award; the learner is told the reason."""
        decision = parse(DeclineInput, data)

        async def work(conn: AsyncConnection) -> str:
            found, actor = await self._staff_request(conn, viewer, decision.request_id)
            decided = await requests.decide(
                conn,
                found.id,
                status=DECLINED,
                actor=actor,
                at=now(),
                decline_reason=decision.reason,
            )
            if not decided:
                return _same_decision(await requests.request(conn, found.id), DECLINED)
            await _audit(
                conn,
                actor,
                "badge_request.declined",
                found.id,
                found.badge_id,
                found.learner_id,
                reason=decision.reason,
            )
            return found.id

        return await self.stores.commit(work)

    async def _staff_request(
        self, conn: AsyncConnection, viewer: Viewer, request_id: str
    ) -> tuple[BadgeRequestRow, str]:
        """The request and the acting staff member, for the staff of the organisation it
        went to (its learner is refused; anyone else finds no such request)."""
        found = await requests.request(conn, request_id)
        if found is None:
            raise _not_found()
        try:
            actor = await require_staff(conn, viewer, found.organization_id, Action.AWARD_BADGES)
        except PermissionDenied:
            if viewer.id is None or viewer.id != found.learner_id:
                raise _not_found() from None
            raise
        return found, actor


def _evidence(stores: Stores, found: BadgeRequestRow) -> dict[str, Any]:
    """The request's evidence as the award's: the learner's words, and the link or file."""
    url = found.link or file_url(stores.settings, found.file_id)
    return {"narrative": found.narrative} | ({"url": url} if url else {})


def _same_decision(found: BadgeRequestRow | None, status: str) -> str:
    """A repeated (or raced) decision: the same one answers as before; another is refused."""
    if found is None or found.status != status:
        raise Conflict(REQUEST_CLOSED, reason=BadgeRequestReason.BADGE_REQUEST_CLOSED)
    return found.id


def _already_open() -> Conflict:
    return Conflict(
        "You have an open request for this badge already.",
        reason=BadgeRequestReason.BADGE_REQUEST_OPEN,
    )


def _not_found() -> NotFound:
    return NotFound("No such badge request.", reason=BadgeRequestReason.BADGE_REQUEST_NOT_FOUND)


async def _audit(
    conn: AsyncConnection,
    actor: str,
    action: str,
    request_id: str,
    badge_id: str,
    learner_id: str,
    **extra: str,
) -> None:
    payload = {"id": request_id, "badgeId": badge_id, "learnerId": learner_id, "actorId": actor}
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="BadgeRequest",
        subject_id=request_id,
        payload=payload | extra,
    )
