"""Clubs: the root reads (members-only clubs for their members only) and membership
mutations."""

from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, After, Before, First, Id, Last, described
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.clubs import (
    ApproveClubMemberInput,
    Club,
    ClubFilter,
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
from odznaka_graph.services import club_reads

MAX_TEXT = 200


async def club_by_id(info: Info, club_id: str) -> Club | None:
    record = await club_reads.club(info.context.loaders, club_id)
    return Club(record=record) if record is not None else None


async def _changed(info: Info, club_id: str) -> Club:
    return Club(record=await club_reads.changed_club(info.context.loaders, club_id))


def _text(f: ClubFilter | None) -> str | None:
    text = ((f.text if f else None) or "").strip()
    if len(text) > MAX_TEXT:
        raise UserInputError(f"`filter.text` has at most {MAX_TEXT} characters.")
    return text or None


def _member(
    input: Annotated[ApproveClubMemberInput, INPUT] | InviteToClubInput | SetClubRoleInput,
) -> dict[str, Any]:
    return {
        "club_id": local(input.club_id, "Club", "clubId"),
        "user_id": local(input.user_id, "User", "userId"),
    }


@strawberry.type
class ClubQueries:
    @field(description="A club by id; a members-only club for its members only.")
    async def club(self, info: Info, id: Id) -> Club | None:
        club_id = local_id(id, "Club")
        return await club_by_id(info, club_id) if club_id else None

    @field(description="Clubs by name: public ones, and members-only ones you belong to.")
    async def clubs(
        self,
        info: Info,
        filter: Annotated[
            ClubFilter | None, described("Which clubs; all you may see when left out.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Club]:
        page_window = window(info, first, after, last, before)
        page = await club_reads.club_list(info.context.loaders, _text(filter), page_window)
        return to_connection(page, lambda item: Club(record=item))


@strawberry.type
class ClubMutations:
    @mutation(description="Start a club; you become its OWNER.")
    async def create_club(self, info: Info, input: Annotated[CreateClubInput, INPUT]) -> ClubResult:
        async def command() -> str:
            data = {
                "name": texts_input(input.name),
                "description": texts_input(input.description),
                "join_policy": input.join_policy.value,
                "visibility": input.visibility.value,
                "vouch_threshold": input.vouch_threshold,
                "daily_peer_award_limit": input.daily_peer_award_limit,
            }
            return str(await info.context.services.clubs.create(info.context.viewer, data))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(
        description="Join an OPEN club, ask to join an APPROVAL club, or accept an invitation; "
        "asking again changes nothing."
    )
    async def join_club(self, info: Info, input: Annotated[JoinClubInput, INPUT]) -> ClubResult:
        async def command() -> str:
            club_id = local(input.club_id, "Club", "clubId")
            return str(await info.context.services.clubs.join(info.context.viewer, club_id))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(description="Admit (or decline) a request to join (owners, moderators).")
    async def approve_club_member(
        self, info: Info, input: Annotated[ApproveClubMemberInput, INPUT]
    ) -> ClubResult:
        async def command() -> str:
            data = {**_member(input), "approve": input.approve}
            return str(await info.context.services.clubs.decide(info.context.viewer, data))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(description="Invite someone (owners, moderators); one who asked to join is admitted.")
    async def invite_to_club(
        self, info: Info, input: Annotated[InviteToClubInput, INPUT]
    ) -> ClubResult:
        async def command() -> str:
            data = _member(input)
            return str(await info.context.services.clubs.invite(info.context.viewer, data))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(description="Set a member's role (owners); a club keeps an owner.")
    async def set_club_role(
        self, info: Info, input: Annotated[SetClubRoleInput, INPUT]
    ) -> ClubResult:
        async def command() -> str:
            data = {**_member(input), "role": input.role.value}
            return str(await info.context.services.clubs.set_role(info.context.viewer, data))

        return await as_result(command(), lambda club_id: _changed(info, club_id))

    @mutation(description="Leave a club, or withdraw a request to join, or decline an invitation.")
    async def leave_club(
        self, info: Info, input: Annotated[LeaveClubInput, INPUT]
    ) -> LeaveClubResult:
        async def command() -> str:
            club_id = local(input.club_id, "Club", "clubId")
            return str(await info.context.services.clubs.leave(info.context.viewer, club_id))

        async def left(club_id: str) -> LeftClub:
            record = await club_reads.club(info.context.loaders, club_id, fresh=True)
            club = Club(record=record) if record is not None else None
            return LeftClub(club_id=strawberry.ID(to_global("Club", club_id)), club=club)

        return await as_result(command(), left)
