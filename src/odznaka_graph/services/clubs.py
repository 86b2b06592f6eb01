"""Clubs: creating them, joining (open, by approval or by invitation), roles, leaving.

Clubs and memberships are community graph data with no ledger meaning, so they are written
to Neo4j directly: each membership query checks its conditions under the club's lock, in
the same graph transaction as its write, which an outbox projection (applied later) could
not do. Each change then leaves an audit row, whose outbox event has no projection handler
(it is only published). The club's peer badges and awards go through the ledger
(services/peer_awards.py).
"""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from odznaka_graph.graph_model import clubs
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.driver import Graph
from odznaka_graph.ids import new_id
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import AccountReason, ClubReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import Action, require, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_club
from odznaka_graph.standard import Model, Texts
from odznaka_graph.vocabulary import ClubRole

NAME_MAX = 200
DESCRIPTION_MAX = 5000
NO_PROFILE = "Your profile is still being set up; try again in a moment."


class JoinPolicy(StrEnum):
    OPEN = "OPEN"
    APPROVAL = "APPROVAL"
    INVITE = "INVITE"


class ClubVisibility(StrEnum):
    PUBLIC = "PUBLIC"
    MEMBERS = "MEMBERS"


class ClubInput(Model):
    name: Texts
    description: Texts = Field(default_factory=dict)
    join_policy: JoinPolicy
    visibility: ClubVisibility
    vouch_threshold: Annotated[int, Field(ge=1, le=50)] = 1
    daily_peer_award_limit: Annotated[int, Field(ge=1, le=100)] = 5


class MemberInput(Model):
    club_id: str
    user_id: str


class MemberDecision(MemberInput):
    approve: bool = True


class RoleInput(MemberInput):
    role: ClubRole


class ClubService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def create(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """A new club, with its creator as OWNER."""
        user_id = signed_in(viewer)
        request = _club_input(data)
        fields = request.model_dump(mode="json") | {
            "id": new_id(),
            "created_at": now(),
            "created_by": user_id,
        }
        if not await clubs.create_club(self.stores.graph, fields):
            raise Conflict(NO_PROFILE, reason=AccountReason.PROFILE_NOT_READY)
        audit = {k: v for k, v in fields.items() if k != "created_at"}
        await self.audit(user_id, "club.created", fields["id"], audit)
        return str(fields["id"])

    async def join(self, viewer: Viewer, club_id: str) -> str:
        """OPEN: a member at once; APPROVAL: a request for the owners and moderators to
        approve; INVITE: only for the invited. Asking again changes nothing."""
        user_id = signed_in(viewer)
        club = await self.club(viewer, club_id, invited_may_see=True)
        outcome = await clubs.join(self.stores.graph, club.id, user_id, now())
        if outcome is None:
            raise Conflict(NO_PROFILE, reason=AccountReason.PROFILE_NOT_READY)
        if outcome == "BANNED":
            raise PermissionDenied(
                "You were banned from this club.", reason=ClubReason.BANNED_FROM_CLUB
            )
        if outcome == "INVITE_ONLY":
            raise PermissionDenied(
                "This club admits new members by invitation only.",
                reason=ClubReason.CLUB_INVITE_ONLY,
            )
        if outcome in ("JOINED", "REQUESTED"):
            action = "club.member_joined" if outcome == "JOINED" else "club.join_requested"
            await self.audit(user_id, action, club.id, {"userId": user_id})
        return club.id

    async def decide(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Approve (or decline) a request to join."""
        request = parse(MemberDecision, data)
        club = await self.club(viewer, request.club_id)
        actor = require(Action.APPROVE_CLUB_MEMBERS, viewer, club.viewer_role)
        decided = await clubs.decide_request(
            self.stores.graph, club.id, request.user_id, request.approve, now()
        )
        if not decided:
            raise NotFound(
                "Nobody with that id asked to join this club.",
                reason=ClubReason.JOIN_REQUEST_NOT_FOUND,
            )
        action = "club.member_approved" if request.approve else "club.request_declined"
        await self.audit(actor, action, club.id, {"userId": request.user_id})
        return club.id

    async def invite(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(MemberInput, data)
        club = await self.club(viewer, request.club_id)
        actor = require(Action.INVITE_TO_CLUB, viewer, club.viewer_role)
        outcome = await clubs.invite(self.stores.graph, club.id, request.user_id, actor, now())
        if outcome is None:
            raise NotFound("No such user.", reason=AccountReason.USER_NOT_FOUND)
        if outcome == "ALREADY_MEMBER":
            raise Conflict("They are a member already.", reason=ClubReason.ALREADY_A_MEMBER)
        if outcome == "BANNED":
            raise Conflict("They are banned from this club.", reason=ClubReason.BANNED_FROM_CLUB)
        action = "club.member_invited" if outcome == "INVITED" else "club.member_approved"
        await self.audit(actor, action, club.id, {"userId": request.user_id})
        return club.id

    async def set_role(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(RoleInput, data)
        club = await self.club(viewer, request.club_id)
        actor = require(Action.MANAGE_CLUB, viewer, club.viewer_role)
        outcome = await clubs.set_role(
            self.stores.graph, club.id, request.user_id, request.role.value
        )
        if outcome is None:
            raise NotFound("They are not a member of this club.", reason=ClubReason.NOT_A_MEMBER)
        if outcome == "LAST_OWNER":
            raise Conflict(
                "A club needs an owner: make someone else OWNER first.",
                reason=ClubReason.CLUB_NEEDS_OWNER,
            )
        payload = {"userId": request.user_id, "role": request.role.value}
        await self.audit(actor, "club.role_set", club.id, payload)
        return club.id

    async def leave(self, viewer: Viewer, club_id: str) -> str:
        """Leave (or withdraw a request to join, or decline an invitation)."""
        user_id = signed_in(viewer)
        outcome = await clubs.leave(self.stores.graph, club_id, user_id)
        if outcome == "LAST_OWNER":
            raise Conflict(
                "Make another member OWNER before leaving: a club needs an owner.",
                reason=ClubReason.CLUB_NEEDS_OWNER,
            )
        if outcome == "NOT_MEMBER":
            await self.club(viewer, club_id)  # not found, or simply not a member
            raise Conflict("You are not a member of this club.", reason=ClubReason.NOT_A_MEMBER)
        action = "club.member_left" if outcome == "LEFT" else "club.request_withdrawn"
        await self.audit(user_id, action, club_id, {"userId": user_id})
        return club_id

    async def club(self, viewer: Viewer, club_id: str, invited_may_see: bool = False) -> ClubRecord:
        return await visible_club(self.stores.graph, viewer, club_id, invited_may_see)

    async def audit(self, actor: str, action: str, club_id: str, payload: dict[str, Any]) -> None:
        async def work(conn: AsyncConnection) -> None:
            await record(
                conn,
                actor_id=actor,
                action=action,
                subject_type="Club",
                subject_id=club_id,
                payload={"id": club_id, "actorId": actor, **payload},
            )

        await self.stores.commit(work)


async def visible_club(
    graph: Graph, viewer: Viewer, club_id: str, invited_may_see: bool = False
) -> ClubRecord:
    """The club with the viewer's role in it; NotFound when there is none the viewer may
    see (an invitation opens a members-only club to the one joining it)."""
    found = (await clubs.clubs_by_ids(graph, [club_id], viewer.id)).get(club_id)
    if found is None:
        raise NotFound("No such club.", reason=ClubReason.CLUB_NOT_FOUND)
    if not (can_see_club(viewer, found) or (invited_may_see and found.viewer_invited)):
        raise NotFound("No such club.", reason=ClubReason.CLUB_NOT_FOUND)
    return found


def _club_input(data: dict[str, Any]) -> ClubInput:
    request = parse(ClubInput, data)
    check_texts(request.name, request.description)
    return request


def check_texts(name: dict[str, str], description: dict[str, str]) -> None:
    errors = {}
    if not name:
        errors["name"] = "Give the club a name in at least one language."
    if any(len(text) > NAME_MAX for text in name.values()):
        errors["name"] = f"A name has at most {NAME_MAX} characters."
    if any(len(text) > DESCRIPTION_MAX for text in description.values()):
        errors["description"] = f"A description has at most {DESCRIPTION_MAX} characters."
    if errors:
        raise ValidationFailed(errors, reason=ClubReason.CLUB_DETAILS_INVALID)
