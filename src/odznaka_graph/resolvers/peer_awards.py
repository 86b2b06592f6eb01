"""Peer badges and awards: nominations and vouches (club members only), the mutations."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.peer_awards import NominationRecord
from odznaka_graph.ledger import credentials
from odznaka_graph.paging import Page
from odznaka_graph.resolvers import club_loaders
from odznaka_graph.resolvers.awards import award_from_row
from odznaka_graph.resolvers.badges import badge_by_id
from odznaka_graph.resolvers.clubs import check_cursor
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import local, window
from odznaka_graph.schema.awards import Award, AwardResult
from odznaka_graph.schema.badges import Badge, BadgeResult
from odznaka_graph.schema.common import Connection, texts_input, to_connection
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.peer_awards import (
    CreatePeerBadgeInput,
    NominatePeerAwardInput,
    Nomination,
    NominationResult,
    NominationStatus,
    RevokePeerAwardInput,
    Vouch,
    VouchPeerAwardInput,
)
from odznaka_graph.services.loaders import forget
from odznaka_graph.services.permissions import Action, allowed
from odznaka_graph.services.visibility import can_see_nomination

EMPTY: Page[Any] = Page([], False, False, 0)


async def nomination_by_id(info: Info, nomination_id: str) -> Nomination | None:
    """A nomination, for members of its club only (as node(id:) too)."""
    record = await club_loaders.nomination_by_id(info).load(nomination_id)
    if record is None:
        return None
    role = await club_loaders.viewer_club_role(info, record.club_id)
    if not can_see_nomination(info.context.viewer, role):
        return None
    return Nomination(record=record)


async def nominations_of(
    info: Info,
    club: ClubRecord,
    status: NominationStatus | None,
    first: int | None,
    after: str | None,
) -> Connection[Nomination] | None:
    page_window = window(info, first, after, None, None)
    if not allowed(Action.ACT_IN_CLUB, info.context.viewer, club.viewer_role):
        return None
    check_cursor(after)
    loader = club_loaders.nominations_by_club(info, status.value if status else None)
    page = await loader.load((club.id, page_window.size, after))
    return to_connection(page or EMPTY, lambda item: Nomination(record=item))


async def vouches_of(
    info: Info, nomination: NominationRecord, first: int | None, after: str | None
) -> Connection[Vouch]:
    page_window = window(info, first, after, None, None)
    check_cursor(after)
    key = (nomination.id, page_window.size, after)
    page = await club_loaders.vouches_by_nomination(info).load(key)
    return to_connection(page or EMPTY, lambda item: Vouch(record=item))


async def _fresh_nomination(info: Info, nomination_id: str) -> Nomination:
    forget(club_loaders.nomination_by_id(info), nomination_id)
    found = await nomination_by_id(info, nomination_id)
    if found is None:
        raise NotFound("No such nomination.")
    return found


async def _fresh_badge(info: Info, badge_id: str) -> Badge:
    forget(info.context.loaders.badge_by_id, badge_id)
    found = await badge_by_id(info, badge_id)
    if found is None:
        raise NotFound("No such badge.")
    return found


async def _award(info: Info, award_id: str) -> Award:
    async with info.context.services.stores.ledger.reading() as conn:
        row = await credentials.award(conn, award_id)
    assert row is not None
    return award_from_row(row)


def _nomination(info: Info, command: Callable[[], Awaitable[str]]) -> Awaitable[Any]:
    return as_result(command(), lambda nomination_id: _fresh_nomination(info, nomination_id))


@strawberry.type
class PeerAwardMutations:
    @mutation(
        description="Create a peer badge of your club (any member); published at once, always "
        "marked PEER, restricted to members when the club is members-only."
    )
    async def create_peer_badge(self, info: Info, input: CreatePeerBadgeInput) -> BadgeResult:
        async def command() -> str:
            data = {
                "club_id": local(input.club_id, "Club", "clubId"),
                "name": texts_input(input.name),
                "description": texts_input(input.description),
                "image_url": input.image_url,
                "criteria": texts_input(input.criteria),
            }
            return await info.context.services.peer_awards.create_badge(info.context.viewer, data)

        return await as_result(command(), lambda badge_id: _fresh_badge(info, badge_id))

    @mutation(
        description="Nominate another member of your club for one of its peer badges; counts "
        "as your vouch. A daily limit per member applies; idempotent by key."
    )
    async def nominate_peer_award(
        self, info: Info, input: NominatePeerAwardInput
    ) -> NominationResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "nominee_id": local(input.nominee_id, "User", "nomineeId"),
                "reason": input.reason,
                "idempotency_key": input.idempotency_key,
            }
            return await info.context.services.peer_awards.nominate(info.context.viewer, data)

        return await _nomination(info, command)

    @mutation(
        description="Vouch for another member's nomination (once; not for yourself); the award "
        "is issued, exactly once, when the club's vouch threshold is reached."
    )
    async def vouch_peer_award(self, info: Info, input: VouchPeerAwardInput) -> NominationResult:
        async def command() -> str:
            data = {"nomination_id": local(input.nomination_id, "Nomination", "nominationId")}
            return await info.context.services.peer_awards.vouch(info.context.viewer, data)

        return await _nomination(info, command)

    @mutation(
        description="Revoke a peer award of your club (owners, moderators); the record is kept."
    )
    async def revoke_peer_award(self, info: Info, input: RevokePeerAwardInput) -> AwardResult:
        async def command() -> str:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "reason": input.reason}
            return await info.context.services.peer_awards.revoke(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _award(info, award_id))
