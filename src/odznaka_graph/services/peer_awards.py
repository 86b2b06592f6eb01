"""Peer badges: members create them, nominate each other, vouch, and the award is issued
once the club's vouch threshold is reached; owners and moderators revoke.

A peer badge is a ledger badge (kind PEER, owned by a club, published at once) whose graph
node comes from the outbox projection like any badge, so awards, which refer to it, find it
in both stores. Nominations and vouches are community graph data, written to Neo4j directly
because their checks (daily limit, one open nomination per badge and nominee, no double
vouch) must run under a lock in the same graph transaction as the write.

The award goes through the awards ledger with an idempotency key derived from the
nomination, awarded by the nominator: of any number of concurrent or repeated vouches that
reach the threshold, one issues it and the rest find it there.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import Field, HttpUrl
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from odznaka_graph.graph_model import peer_awards as peer_graph
from odznaka_graph.graph_model.clubs import ClubRecord, clubs_by_ids
from odznaka_graph.graph_model.peer_awards import NominationRecord
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import credentials
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import (
    AwardReason,
    BadgeReason,
    ClubReason,
    InputReason,
    PeerAwardReason,
)
from odznaka_graph.services.awards import ALREADY_HELD, RevokeInput, issue, revoke
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.clubs import visible_club
from odznaka_graph.services.permissions import Action, require, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_nomination
from odznaka_graph.standard import BadgeContent, Model, Texts

NAME_MAX = 200
TEXT_MAX = 5000
# Nomination ids are derived from (nominator, idempotency key): a retried nomination finds
# the one it made before.
NOMINATION_KEYS = uuid.UUID("6a2f8c1e-5b7d-4e39-8f0a-2c4d6e8f1a3b")
NOT_PEER = "Not a peer badge: formal badges are awarded by their issuer."


class PeerBadgeInput(Model):
    club_id: str
    name: Texts
    description: Texts
    image_url: HttpUrl
    criteria: Texts


class NominationInput(Model):
    badge_id: str
    nominee_id: str
    reason: Annotated[str, Field(min_length=3, max_length=2000)]
    idempotency_key: Annotated[str, Field(min_length=8, max_length=100)] | None = None


class VouchInput(Model):
    nomination_id: str


class PeerAwardService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def create_badge(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """A peer badge of the club, published at once (peer badges have no review)."""
        request = _badge_input(data)
        club = await visible_club(self.stores.graph, viewer, request.club_id)
        actor = require(Action.CREATE_PEER_BADGES, viewer, club.viewer_role)
        content = BadgeContent(
            name=request.name,
            description=request.description,
            image_url=request.image_url,
            how_to_obtain=request.criteria,  # the criteria, in plain words
        )
        badge_id, at = new_id(), now()
        payload = {
            "id": badge_id,
            "clubId": club.id,
            "kind": "PEER",
            "status": "PUBLISHED",
            # A members-only club's badges are for its members: never 'PUBLIC', so the
            # catalogue (which lists PUBLIC badges only) leaves them out.
            "visibility": "PUBLIC" if club.visibility == "PUBLIC" else "CLUB",
            "content": content.model_dump(mode="json"),
            "at": at.isoformat(),
        }

        async def work(conn: AsyncConnection) -> str:
            await credentials.insert_badge(
                conn,
                id=badge_id,
                organization_id=None,
                club_id=club.id,
                kind="PEER",
                status="PUBLISHED",
                validity_days=None,
                content=payload["content"],
                created_by=actor,
                created_at=at,
                updated_at=at,
            )
            await record(
                conn,
                actor_id=actor,
                action="badge.peer_created",
                subject_type="Badge",
                subject_id=badge_id,
                payload=payload,
            )
            return badge_id

        return await self.stores.commit(work)

    async def nominate(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Nominate another member; the nomination is the nominator's own first vouch."""
        request = parse(NominationInput, data)
        user_id = signed_in(viewer)
        badge = await self._peer_badge(viewer, request.badge_id, Action.NOMINATE)
        if request.nominee_id == user_id:
            raise PermissionDenied(
                "Nobody nominates themselves.", reason=PeerAwardReason.SELF_NOMINATION
            )
        nomination_id = _nomination_id(user_id, request.idempotency_key)
        if await self._held(badge, request.nominee_id, nomination_id):
            await self._settle(viewer, nomination_id)  # a retry of the nomination that won
            return nomination_id
        if await self._write_nomination(request, user_id, badge.id, nomination_id):
            nominee = request.nominee_id
            audit = _audit(
                user_id, "peer.nominated", nomination_id, badge.id, nominee, badge.club_id
            )
            await self._settle(viewer, nomination_id, audit)
        else:  # a retry under the same key
            await self._settle(viewer, nomination_id)
        return nomination_id

    async def _write_nomination(
        self, request: NominationInput, user_id: str, badge_id: str, nomination_id: str
    ) -> bool:
        """True when the nomination is new, False when the key named it before."""
        at = now()
        fields = {
            "id": nomination_id,
            "nominator_id": user_id,
            "nominee_id": request.nominee_id,
            "badge_id": badge_id,
            "reason": request.reason,
            "at": at,
            "day_start": _day_start(at),
        }
        found = await peer_graph.nominate(self.stores.graph, fields)
        if found is None:
            raise PermissionDenied(
                "Only members of the badge's club nominate for it.", reason=ClubReason.NOT_A_MEMBER
            )
        if found.outcome == "REPLAY":
            if (found.old_badge_id, found.old_nominee_id) != (badge_id, request.nominee_id):
                raise Conflict(
                    "This idempotency key was used for a different nomination.",
                    reason=InputReason.IDEMPOTENCY_KEY_REUSED,
                )
            return False
        _refuse_nomination(found.outcome, at)
        return True

    async def vouch(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Vouch for another member's nomination; at the threshold the award is issued."""
        request = parse(VouchInput, data)
        user_id = signed_in(viewer)
        nomination, club = await self._nomination(viewer, request.nomination_id)
        require(Action.VOUCH, viewer, club.viewer_role)
        outcome, vouches = await peer_graph.vouch(self.stores.graph, nomination.id, user_id, now())
        if outcome == "VOUCHED":
            audit = _audit(
                user_id,
                "peer.vouched",
                nomination.id,
                nomination.badge_id,
                nomination.nominee_id,
                nomination.club_id,
            )
            await self._settle(viewer, nomination.id, audit)
            return nomination.id
        due = nomination.award_id is None and vouches >= nomination.threshold
        if outcome in ("ALREADY_VOUCHED", "NOMINATOR") and due:
            # A retry after the award failed to issue: finish the job instead of refusing.
            await self._settle(viewer, nomination.id)
            return nomination.id
        raise _vouch_refusal(outcome)

    async def revoke(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Revoke a peer award (the club's owners and moderators); the record is kept."""
        request = parse(RevokeInput, data)
        async with self.stores.ledger.reading() as conn:
            award = await credentials.award(conn, request.award_id)
            badge = await credentials.badge(conn, award.badge_id) if award else None
        if award is None or badge is None:
            raise NotFound("No such award.", reason=AwardReason.AWARD_NOT_FOUND)
        if badge.club_id is None:
            raise ValidationFailed(
                {"award_id": "Not a peer award: use revokeAward."},
                reason=AwardReason.NOT_A_PEER_AWARD,
            )
        club = await visible_club(self.stores.graph, viewer, badge.club_id)
        actor = require(Action.REVOKE_PEER_AWARDS, viewer, club.viewer_role)

        async def work(conn: AsyncConnection) -> str:
            return await revoke(conn, award.id, actor, request.reason)

        return await self.stores.commit(work)

    async def nomination(self, viewer: Viewer, nomination_id: str) -> NominationRecord:
        return (await self._nomination(viewer, nomination_id))[0]

    async def _nomination(
        self, viewer: Viewer, nomination_id: str
    ) -> tuple[NominationRecord, ClubRecord]:
        """A nomination the viewer may see (its club's members), with its club; for anyone
        else it does not exist, with the very answer a made-up id gets (no oracle)."""
        graph = self.stores.graph
        nomination = (await peer_graph.nominations_by_ids(graph, [nomination_id], viewer.id)).get(
            nomination_id
        )
        club = None
        if nomination is not None:
            club = (await clubs_by_ids(graph, [nomination.club_id], viewer.id)).get(
                nomination.club_id
            )
        if nomination is None or club is None or not can_see_nomination(viewer, club.viewer_role):
            raise NotFound("No such nomination.", reason=PeerAwardReason.NOMINATION_NOT_FOUND)
        return nomination, club

    async def _peer_badge(self, viewer: Viewer, badge_id: str, action: Action) -> Row[Any]:
        """The ledger row of a published peer badge whose club the viewer may act in."""
        async with self.stores.ledger.reading() as conn:
            badge = await credentials.badge(conn, badge_id)
        if badge is None:
            raise NotFound("No such badge.", reason=BadgeReason.BADGE_NOT_FOUND)
        if badge.club_id is None:
            raise ValidationFailed({"badge_id": NOT_PEER}, reason=PeerAwardReason.NOT_A_PEER_BADGE)
        try:
            club = await visible_club(self.stores.graph, viewer, badge.club_id)
        except NotFound:
            raise NotFound("No such badge.", reason=BadgeReason.BADGE_NOT_FOUND) from None
        require(action, viewer, club.viewer_role)
        if badge.status != "PUBLISHED":
            raise Conflict("This badge is no longer awarded.", reason=PeerAwardReason.BADGE_RETIRED)
        return badge

    async def _held(self, badge: Row[Any], nominee_id: str, nomination_id: str) -> bool:
        """False when the nominee does not hold the badge; True when they hold it through
        this very nomination (a retry); else the badge is held already, a Conflict."""
        async with self.stores.ledger.reading() as conn:
            held = await credentials.live_award(conn, badge.id, nominee_id, None)
        if held is None:
            return False
        if held.idempotency_key == _award_key(nomination_id):
            return True
        raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)

    async def _settle(
        self, viewer: Viewer, nomination_id: str, audit: dict[str, Any] | None = None
    ) -> str | None:
        """Record the audit row and, when the threshold is reached, issue the award, in one
        ledger transaction; return the award's id, if there is one."""
        nomination = await self.nomination(viewer, nomination_id)
        due = nomination.award_id is None and nomination.vouch_count >= nomination.threshold

        async def work(conn: AsyncConnection) -> str | None:
            if audit is not None:
                await record(conn, **audit)
            return await _issue(conn, nomination) if due else nomination.award_id

        try:
            award_id = await self.stores.commit(work)
        except IntegrityError:  # a concurrent vouch issued it first: this run replays it
            award_id = await self.stores.commit(work)
        if due and award_id is not None:
            await peer_graph.note_award(self.stores.graph, nomination.id, award_id, now())
        return award_id


async def _issue(conn: AsyncConnection, nomination: NominationRecord) -> str:
    """The nomination's award, issued once: its key is the nomination's id."""
    key = _award_key(nomination.id)
    existing = await credentials.award_by_key(conn, nomination.nominator_id, key)
    if existing is not None:
        return str(existing.id)
    badge = await credentials.badge(conn, nomination.badge_id)
    if badge is None or badge.status != "PUBLISHED":
        raise Conflict("This badge is no longer awarded.", reason=PeerAwardReason.BADGE_RETIRED)
    held = await credentials.live_award(conn, badge.id, nomination.nominee_id, None)
    if held is not None and held.idempotency_key == key:
        return str(held.id)  # a concurrent vouch issued it between our two reads
    if held is not None:
        raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)
    evidence = [{"url": None, "narrative": nomination.reason}]
    return await issue(
        conn, badge, nomination.nominator_id, nomination.nominee_id, None, key, evidence
    )


def _award_key(nomination_id: str) -> str:
    return f"peer-nomination:{nomination_id}"


def _nomination_id(user_id: str, key: str | None) -> str:
    """The same key from the same member always names the same nomination."""
    return str(uuid.uuid5(NOMINATION_KEYS, f"{user_id}:{key}")) if key else new_id()


def _day_start(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _refuse_nomination(outcome: str, at: datetime) -> None:
    if outcome == "LIMIT":
        retry = _day_start(at) + timedelta(days=1) - at
        raise RateLimited(
            "You have used today's nominations in this club; more from midnight UTC.",
            max(1, int(retry.total_seconds()) + 1),
            reason=PeerAwardReason.NOMINATION_LIMIT_REACHED,
        )
    if outcome == "HELD":
        raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)
    if outcome == "ALREADY_NOMINATED":
        raise Conflict(
            "They are nominated for this badge already: vouch for that nomination.",
            reason=PeerAwardReason.ALREADY_NOMINATED,
        )
    if outcome == "NOMINEE_NOT_MEMBER":
        raise ValidationFailed(
            {"nominee_id": "Not a member of this club."}, reason=ClubReason.NOT_A_MEMBER
        )


def _vouch_refusal(outcome: str) -> Exception:
    refusals: dict[str, Exception] = {
        "NOT_MEMBER": PermissionDenied(
            "Only members of the club vouch for its nominations.", reason=ClubReason.NOT_A_MEMBER
        ),
        "NOMINEE": PermissionDenied(
            "Nobody vouches for their own award.", reason=PeerAwardReason.SELF_VOUCH
        ),
        "NOMINATOR": Conflict(
            "Your nomination already counts as your vouch.",
            reason=PeerAwardReason.NOMINATOR_VOUCHED,
        ),
        "ALREADY_VOUCHED": Conflict(
            "You vouched for this nomination already.", reason=PeerAwardReason.ALREADY_VOUCHED
        ),
        "CLOSED": Conflict(
            "This nomination has been awarded already.", reason=PeerAwardReason.NOMINATION_AWARDED
        ),
        "NOMINEE_LEFT": Conflict(
            "The nominee has left the club.", reason=PeerAwardReason.NOMINEE_LEFT
        ),
    }
    return refusals[outcome]


def _audit(
    actor: str, action: str, nomination_id: str, badge_id: str, nominee_id: str, club_id: str
) -> dict[str, Any]:
    payload = {"id": nomination_id, "badgeId": badge_id, "nomineeId": nominee_id}
    return {
        "actor_id": actor,
        "action": action,
        "subject_type": "Nomination",
        "subject_id": nomination_id,
        # The club and the actor, for the club's live stream and for notifications.
        "payload": payload | {"clubId": club_id, "actorId": actor},
    }


def _badge_input(data: dict[str, Any]) -> PeerBadgeInput:
    request = parse(PeerBadgeInput, data)
    errors = {
        field: "Required: say it in plain words, in at least one language."
        for field in ("name", "description", "criteria")
        if not getattr(request, field)
    }
    if any(len(name) > NAME_MAX for name in request.name.values()):
        errors["name"] = f"A name has at most {NAME_MAX} characters."
    for field in ("description", "criteria"):
        if any(len(text) > TEXT_MAX for text in getattr(request, field).values()):
            errors[field] = f"At most {TEXT_MAX} characters."
    if errors:
        raise ValidationFailed(errors, reason=PeerAwardReason.PEER_BADGE_DETAILS_INVALID)
    return request
