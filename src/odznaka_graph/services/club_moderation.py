"""Moderating a club (issue 15): owners and moderators remove or ban members (a banned
person cannot rejoin, be invited, nominate or vouch) and archive a peer badge (no new
nominations, vouches or awards; awards made stay valid), owners edit the club
(`updateClub`).
Graph-first like the rest of a club's membership, then an audit row and outbox event."""

from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound, PermissionDenied
from odznaka_graph.graph_model import club_moderation as graph
from odznaka_graph.graph_model.clubs import ClubRecord, club_props
from odznaka_graph.ledger import credentials
from odznaka_graph.outcomes import AccountReason, BadgeReason, ClubReason
from odznaka_graph.services.badges import set_status
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.clubs import ClubService, check_texts, visible_club
from odznaka_graph.services.permissions import Action, require
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model, Texts
from odznaka_graph.vocabulary import ClubRole

REFUSALS = {
    "OWNER": ("A club's owner cannot be removed or banned.", ClubReason.OWNER_NOT_REMOVABLE),
    "MODERATOR": ("Only an owner removes or bans a moderator.", ClubReason.MODERATOR_FOR_OWNERS),
}


class Removal(Model):
    club_id: str
    user_id: str
    reason: Annotated[str, Field(max_length=500)] | None = None


class ClubChange(Model):
    """What an owner may edit; the visibility stays (its peer badges were made for it)."""

    club_id: str
    name: Texts | None = None
    description: Texts | None = None
    join_policy: str | None = Field(default=None, pattern=r"^(OPEN|APPROVAL|INVITE)$")
    vouch_threshold: Annotated[int, Field(ge=1, le=50)] | None = None
    daily_peer_award_limit: Annotated[int, Field(ge=1, le=100)] | None = None


class Archival(Model):
    badge_id: str
    reason: Annotated[str, Field(max_length=500)] | None = None


class ClubModeration:
    def __init__(self, stores: Stores, clubs: ClubService) -> None:
        self.stores = stores
        self.clubs = clubs

    async def remove(self, viewer: Viewer, data: dict[str, Any], *, ban: bool = False) -> str:
        request = parse(Removal, data)
        club = await self.clubs.club(viewer, request.club_id)
        actor = require(Action.MODERATE_CLUB, viewer, club.viewer_role)
        by = (actor, club.viewer_role == ClubRole.OWNER)
        outcome = await graph.remove(
            self.stores.graph,
            club.id,
            request.user_id,
            by=by,
            ban=ban,
            reason=request.reason,
            at=now(),
        )
        if outcome is None:
            raise NotFound("No such user.", reason=AccountReason.USER_NOT_FOUND)
        if outcome == "NOT_MEMBER":
            raise NotFound("Not a member of this club.", reason=ClubReason.NOT_A_MEMBER)
        if outcome in REFUSALS:
            message, reason = REFUSALS[outcome]
            raise PermissionDenied(message, reason=reason)
        action = "club.member_banned" if ban else "club.member_removed"
        payload = {"userId": request.user_id, "reason": request.reason}
        await self.clubs.audit(actor, action, club.id, payload)
        return club.id

    async def archive_badge(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Archive a club's peer badge (again: nothing more happens)."""
        request = parse(Archival, data)
        async with self.stores.ledger.reading() as conn:
            badge = await credentials.badge(conn, request.badge_id)
        if badge is None or badge.club_id is None:
            raise NotFound("No such peer badge.", reason=BadgeReason.BADGE_NOT_FOUND)
        try:
            club = await visible_club(self.stores.graph, viewer, badge.club_id)
        except NotFound:
            raise NotFound("No such peer badge.", reason=BadgeReason.BADGE_NOT_FOUND) from None
        actor = require(Action.MODERATE_CLUB, viewer, club.viewer_role)
        if badge.status == "ARCHIVED":
            return str(badge.id)

        async def work(conn: AsyncConnection) -> str:
            extra = {"archiveReason": request.reason} if request.reason else None
            await set_status(conn, actor, "badge.archived", badge.id, "ARCHIVED", extra)
            return str(badge.id)

        return await self.stores.commit(work)

    async def update(self, viewer: Viewer, data: dict[str, Any]) -> str:
        change = parse(ClubChange, data)
        club = await self.clubs.club(viewer, change.club_id)
        actor = require(Action.MANAGE_CLUB, viewer, club.viewer_role)
        fields = _merged(club, change)
        check_texts(fields["name"], fields["description"])
        props = club_props(fields)
        for kept in ("id", "visibility", "createdAt", "createdBy"):
            props.pop(kept)
        await graph.update(self.stores.graph, club.id, props)
        changed = change.model_dump(exclude_none=True, exclude={"club_id"})
        await self.clubs.audit(actor, "club.updated", club.id, changed)
        return club.id


def _merged(club: ClubRecord, change: ClubChange) -> dict[str, Any]:
    given = change.model_dump(exclude_none=True, exclude={"club_id"})
    current = {
        "id": club.id,
        "name": club.texts.get("name", {}),
        "description": club.texts.get("description", {}),
        "join_policy": club.join_policy,
        "visibility": club.visibility,
        "vouch_threshold": club.vouch_threshold,
        "daily_peer_award_limit": club.daily_peer_award_limit,
        "created_at": club.created_at,
        "created_by": None,
    }
    return current | given
