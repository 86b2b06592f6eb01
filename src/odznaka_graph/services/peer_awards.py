"""Peer badges: members create them, nominate each other, vouch, and the award is issued
once the club's vouch threshold is reached; owners and moderators revoke.

A peer badge is a ledger badge (kind PEER, owned by a club, published at once) whose graph
node comes from the outbox projection like any badge, so awards, which refer to it, find it
in both stores. Nominations and vouches are community graph data, written to Neo4j directly
because their checks (daily limit, one open nomination per badge and nominee, no double
vouch) must run under a lock in the same graph transaction as the write.

A nomination or a vouch is one sequence, each step idempotent (ARCHITECTURE.md):

1. one graph transaction decides and writes the vouch under the nomination's lock, and
   tells how many vouches it has now;
2. one ledger transaction writes the audit row and, once the threshold is reached, issues
   the award (with its points) under an idempotency key derived from the nomination, and
   queues `nomination.awarded`;
3. the outbox projection applies the award and `nomination.awarded` to the graph (which
   closes the nomination), retried until Neo4j takes them.

Of any number of concurrent or repeated vouches that reach the threshold, one issues the
award and the rest find it by its key. A vouch repeated after step 2 failed finds its vouch
counted and the nomination due, and runs step 2 again instead of being refused.
"""

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
    ValidationFailed,
)
from odznaka_graph.graph_model import peer_awards as peer_graph
from odznaka_graph.graph_model.clubs import ClubRecord, clubs_by_ids
from odznaka_graph.graph_model.peer_awards import NominationRecord
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import credentials
from odznaka_graph.ledger.journal import enqueue, record
from odznaka_graph.outcomes import (
    AwardReason,
    BadgeReason,
    ClubReason,
    InputReason,
    PeerAwardReason,
)
from odznaka_graph.services import peer_award_rules as rules
from odznaka_graph.services.awards import ALREADY_HELD, RevokeInput, issue, revoke
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.clubs import visible_club
from odznaka_graph.services.images import badge_image, file_url
from odznaka_graph.services.permissions import Action, require, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_nomination
from odznaka_graph.standard import BadgeContent, Model, Texts

NAME_MAX = 200
TEXT_MAX = 5000
NOT_PEER = "Not a peer badge: formal badges are awarded by their issuer."
# Refusals of a repeated vouch whose vouch counts already (the nominator's own, or this
# voucher's): while the award is due, the repeat finishes the job instead.
COUNTED = ("ALREADY_VOUCHED", "NOMINATOR")


class PeerBadgeInput(Model):
    club_id: str
    name: Texts
    description: Texts
    image_url: HttpUrl | None = None  # an address elsewhere (kept working), or
    image_id: str | None = None  # a picture uploaded for the club (issue 15)
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
        if request.image_id is not None:  # attaching the club's pictures is for its owners
            require(Action.UPLOAD_CLUB_IMAGES, viewer, club.viewer_role)
        content = BadgeContent(
            name=request.name,
            description=request.description,
            image_url=request.image_url or file_url(self.stores.settings, request.image_id),
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
            if request.image_id is not None:
                await badge_image(conn, request.image_id, club.id)
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
        nomination_id = rules.nomination_id(user_id, request.idempotency_key)
        audit = None
        held = await self._held(badge, request.nominee_id, nomination_id)
        # Not held, and not a retry under the same key: a new nomination.
        if not held and await self._write_nomination(request, user_id, badge.id, nomination_id):
            nominee = request.nominee_id
            audit = rules.audit_entry(
                user_id, "peer.nominated", nomination_id, badge.id, nominee, badge.club_id
            )
        nomination = await self.nomination(viewer, nomination_id)
        await self._settle(nomination, nomination.vouch_count, audit)
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
            "day_start": rules.day_start(at),
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
        rules.refuse_nomination(found.outcome, at)
        return True

    async def vouch(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Vouch for another member's nomination; at the threshold the award is issued."""
        request = parse(VouchInput, data)
        user_id = signed_in(viewer)
        nomination, club = await self._nomination(viewer, request.nomination_id)
        require(Action.VOUCH, viewer, club.viewer_role)
        outcome, vouches = await peer_graph.vouch(self.stores.graph, nomination.id, user_id, now())
        audit = None
        if outcome == "VOUCHED":
            audit = rules.audit_entry(
                user_id,
                "peer.vouched",
                nomination.id,
                nomination.badge_id,
                nomination.nominee_id,
                nomination.club_id,
            )
        elif outcome not in COUNTED or not rules.award_due(nomination, vouches):
            raise rules.vouch_refusal(outcome)
        # else a repeat whose vouch counts already while the award is due: step 2 again
        await self._settle(nomination, vouches, audit)
        return nomination.id

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
        if held.idempotency_key == rules.award_key(nomination_id):
            return True
        raise Conflict(ALREADY_HELD, reason=AwardReason.ALREADY_HOLDS_BADGE)

    async def _settle(
        self, nomination: NominationRecord, vouches: int, audit: dict[str, Any] | None
    ) -> None:
        """Step 2: the audit row and, when `vouches` reach the threshold, the award and the
        event that closes the nomination in the graph, in one ledger transaction (which
        projects its events before returning, unless Neo4j is slow)."""
        due = rules.award_due(nomination, vouches)

        async def work(conn: AsyncConnection) -> None:
            if audit is not None:
                await record(conn, **audit)
            if due:
                award_id = await _issue(conn, nomination)
                closed = {"id": nomination.id, "awardId": award_id, "at": now().isoformat()}
                await enqueue(conn, "nomination.awarded", closed)

        try:
            await self.stores.commit(work)
        except IntegrityError:  # a concurrent vouch issued it first: this run replays it
            await self.stores.commit(work)


async def _issue(conn: AsyncConnection, nomination: NominationRecord) -> str:
    """The nomination's award, issued once: its key is the nomination's id."""
    key = rules.award_key(nomination.id)
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
    if (request.image_url is None) == (request.image_id is None):
        errors["image"] = "Give either imageId (an uploaded picture) or imageUrl."
    if errors:
        raise ValidationFailed(errors, reason=PeerAwardReason.PEER_BADGE_DETAILS_INVALID)
    return request
