"""Clubs: reads (members-only clubs for their members only), membership mutations."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import clubs
from odznaka_graph.graph_model.clubs import ClubRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.paging import BadCursor, Page, decode_cursor
from odznaka_graph.resolvers import club_loaders
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.clubs import (
    ApproveClubMemberInput,
    Club,
    ClubFilter,
    ClubJoinRequest,
    ClubMember,
    ClubResult,
    CreateClubInput,
    InviteToClubInput,
    JoinClubInput,
    LeaveClubInput,
    LeaveClubResult,
    LeftClub,
    SetClubRoleInput,
)
from odznaka_graph.schema.common import Connection, texts_input, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.services.loaders import forget
from odznaka_graph.services.permissions import RULES, Action, allowed
from odznaka_graph.services.visibility import can_see_club

EMPTY: Page[Any] = Page([], False, False, 0)
MAX_TEXT = 200


async def club_by_id(info: Info, club_id: str) -> Club | None:
    record = await club_loaders.club_by_id(info).load(club_id)
    if record is None or not can_see_club(info.context.viewer, record):
        return None
    return Club(record=record)


async def _fresh(info: Info, club_id: str) -> Club:
    forget(club_loaders.club_by_id(info), club_id)
    club = await club_by_id(info, club_id)
    if club is None:
        raise NotFound("No such club.")
    return club


async def _page(work: Awaitable[Page[Any]]) -> Page[Any]:
    try:
        return await work
    except BadCursor as error:
        raise UserInputError(str(error)) from None


async def members_of(
    info: Info, record: ClubRecord, first: int | None, after: str | None
) -> Connection[ClubMember]:
    page_window = window(info, first, after, None, None)
    check_cursor(after)
    page = await club_loaders.members_by_club(info).load((record.id, page_window.size, after))
    return to_connection(page or EMPTY, lambda item: ClubMember(record=item))


def check_cursor(cursor: str | None) -> None:
    """Batched pages decode cursors inside the loader: a bad one is refused here first."""
    if cursor is None:
        return
    try:
        decode_cursor(cursor)
    except BadCursor as error:
        raise UserInputError(str(error)) from None


async def requests_of(
    info: Info, record: ClubRecord, first: int | None, after: str | None
) -> Connection[ClubJoinRequest] | None:
    page_window = window(info, first, after, None, None)
    if not allowed(Action.APPROVE_CLUB_MEMBERS, info.context.viewer, record.viewer_role):
        return None
    graph = info.context.services.stores.graph
    page = await _page(clubs.requests(graph, record.id, page_window))
    return to_connection(page, lambda item: ClubJoinRequest(record=item))


async def badges_of(
    info: Info, record: ClubRecord, first: int | None, after: str | None
) -> Connection[Badge]:
    """The club's badges: whoever sees the club sees them (a members-only club's badges
    are restricted to exactly its members)."""
    page_window = window(info, first, after, None, None)
    check_cursor(after)
    page = await club_loaders.badges_by_club(info).load((record.id, page_window.size, after))
    return to_connection(page or EMPTY, lambda item: Badge(record=item))


async def clubs_of(
    info: Info, user: UserRecord, first: int | None, after: str | None
) -> Connection[Club]:
    """The viewer's own clubs, by name; empty for anyone else's profile."""
    page_window = window(info, first, after, None, None)
    viewer_id = info.context.viewer.id
    if viewer_id is None or viewer_id != user.id:
        return to_connection(EMPTY, lambda item: Club(record=item))
    graph = info.context.services.stores.graph
    page = await _page(clubs.clubs_of_user(graph, user.id, viewer_id, page_window))
    return to_connection(page, lambda item: Club(record=item))


def _text(f: ClubFilter | None) -> str | None:
    text = ((f.text if f else None) or "").strip()
    if len(text) > MAX_TEXT:
        raise UserInputError(f"`filter.text` has at most {MAX_TEXT} characters.")
    return text or None


def _mutation(info: Info, command: Callable[[], Awaitable[str]]) -> Awaitable[Any]:
    return as_result(command(), lambda club_id: _fresh(info, club_id))


def _services(info: Info) -> Any:
    return info.context.services.clubs


@strawberry.type
class ClubQueries:
    @field(description="A club by id; a members-only club for its members only.")
    async def club(self, info: Info, id: strawberry.ID) -> Club | None:
        club_id = local_id(id, "Club")
        return await club_by_id(info, club_id) if club_id else None

    @field(description="Clubs by name: public ones, and members-only ones you belong to.")
    async def clubs(
        self,
        info: Info,
        filter: ClubFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Club]:
        page_window = window(info, first, after, last, before)
        readers = sorted(str(role) for role in RULES[Action.ACT_IN_CLUB].roles)
        graph, viewer_id = info.context.services.stores.graph, info.context.viewer.id
        page = await _page(clubs.club_list(graph, viewer_id, readers, _text(filter), page_window))
        return to_connection(page, lambda item: Club(record=item))


@strawberry.type
class ClubMutations:
    @mutation(description="Start a club; you become its OWNER.")
    async def create_club(self, info: Info, input: CreateClubInput) -> ClubResult:
        async def command() -> str:
            data = {
                "name": texts_input(input.name),
                "description": texts_input(input.description),
                "join_policy": input.join_policy.value,
                "visibility": input.visibility.value,
                "vouch_threshold": input.vouch_threshold,
                "daily_peer_award_limit": input.daily_peer_award_limit,
            }
            return str(await _services(info).create(info.context.viewer, data))

        return await _mutation(info, command)

    @mutation(
        description="Join an OPEN club, ask to join an APPROVAL club, or accept an invitation; "
        "asking again changes nothing."
    )
    async def join_club(self, info: Info, input: JoinClubInput) -> ClubResult:
        async def command() -> str:
            club_id = local(input.club_id, "Club", "clubId")
            return str(await _services(info).join(info.context.viewer, club_id))

        return await _mutation(info, command)

    @mutation(description="Admit (or decline) a request to join (owners, moderators).")
    async def approve_club_member(self, info: Info, input: ApproveClubMemberInput) -> ClubResult:
        async def command() -> str:
            data = {
                "club_id": local(input.club_id, "Club", "clubId"),
                "user_id": local(input.user_id, "User", "userId"),
                "approve": input.approve,
            }
            return str(await _services(info).decide(info.context.viewer, data))

        return await _mutation(info, command)

    @mutation(description="Invite someone (owners, moderators); one who asked to join is admitted.")
    async def invite_to_club(self, info: Info, input: InviteToClubInput) -> ClubResult:
        async def command() -> str:
            data = {
                "club_id": local(input.club_id, "Club", "clubId"),
                "user_id": local(input.user_id, "User", "userId"),
            }
            return str(await _services(info).invite(info.context.viewer, data))

        return await _mutation(info, command)

    @mutation(description="Set a member's role (owners); a club keeps an owner.")
    async def set_club_role(self, info: Info, input: SetClubRoleInput) -> ClubResult:
        async def command() -> str:
            data = {
                "club_id": local(input.club_id, "Club", "clubId"),
                "user_id": local(input.user_id, "User", "userId"),
                "role": input.role.value,
            }
            return str(await _services(info).set_role(info.context.viewer, data))

        return await _mutation(info, command)

    @mutation(description="Leave a club, or withdraw a request to join, or decline an invitation.")
    async def leave_club(self, info: Info, input: LeaveClubInput) -> LeaveClubResult:
        async def command() -> str:
            club_id = local(input.club_id, "Club", "clubId")
            return str(await _services(info).leave(info.context.viewer, club_id))

        async def left(club_id: str) -> LeftClub:
            forget(club_loaders.club_by_id(info), club_id)
            club = await club_by_id(info, club_id)
            return LeftClub(club_id=strawberry.ID(to_global("Club", club_id)), club=club)

        return await as_result(command(), left)
