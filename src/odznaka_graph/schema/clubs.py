"""Clubs: social clubs with members, join requests, peer badges and nominations."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias, cast

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.clubs import ClubRecord, MembershipRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.args import After, Before, First, Last, described
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import (
    NODE_ID,
    Connection,
    Failure,
    Node,
    TextInput,
    Translation,
    localized,
    localized_name,
    to_connection,
    translations_of,
)
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.peer_awards import Nomination, NominationStatus
from odznaka_graph.schema.person import PersonFacts, PersonRow
from odznaka_graph.services import club_reads, peer_award_reads
from odznaka_graph.vocabulary import ClubRole

if TYPE_CHECKING:
    from odznaka_graph.schema.badges import Badge

# Lazy: a badge names its club, so schema/badges.py may import this module.
BadgeRef = Annotated["Badge", strawberry.lazy("odznaka_graph.schema.badges")]

strawberry.enum(
    ClubRole,
    name="ClubRole",
    description="OWNER (everything), MODERATOR (admits members, revokes peer awards), MEMBER.",
)
describe_values(
    OWNER="Runs the club: everything, including roles.",
    MODERATOR="Admits members and revokes peer awards.",
    MEMBER="Takes part: nominates and vouches.",
)(ClubRole)
ClubRoleEnum: TypeAlias = ClubRole


@describe_values(
    OPEN="Anyone signed in joins at once.",
    APPROVAL="A request an owner or moderator approves.",
    INVITE="Only people an owner or moderator invited.",
)
@strawberry.enum(description="How people join a club.")
class ClubJoinPolicy(Enum):
    OPEN = "OPEN"
    APPROVAL = "APPROVAL"
    INVITE = "INVITE"


@describe_values(
    PUBLIC="Everyone sees the club, its members and peer badges.",
    MEMBERS="Only members see it; to anyone else it does not exist.",
)
@strawberry.enum(description="Who sees a club: everyone, or its members only.")
class ClubVisibility(Enum):
    PUBLIC = "PUBLIC"
    MEMBERS = "MEMBERS"


@describe_values(
    MEMBER="The viewer is a member.",
    REQUESTED="The viewer asked to join; not answered yet.",
    INVITED="The viewer was invited and may join.",
    NONE="None of these (or not signed in).",
)
@strawberry.enum(description="Where the viewer stands with a club.")
class ClubViewerStatus(Enum):
    MEMBER = "MEMBER"
    REQUESTED = "REQUESTED"
    INVITED = "INVITED"
    NONE = "NONE"


@strawberry.type(description="A member of a club, with their role.")
class ClubMember(
    PersonRow, names=False, profile="The member; null when their profile is hidden from you."
):
    record: strawberry.Private[MembershipRecord]

    def person(self) -> PersonFacts:
        return cast(PersonFacts, self.record)

    @field(description="Their role in the club.")
    def role(self) -> ClubRoleEnum:
        return ClubRole(self.record.role or ClubRole.MEMBER)

    @field(description="When they joined.")
    def since(self) -> datetime:
        return self.record.at


@strawberry.type(description="Someone asking to join a club that admits members by approval.")
class ClubJoinRequest(
    PersonRow, names=False, profile="Who asks; null when their profile is hidden from you."
):
    record: strawberry.Private[MembershipRecord]

    def person(self) -> PersonFacts:
        return cast(PersonFacts, self.record)

    @field(description="When they asked.")
    def requested_at(self) -> datetime:
        return self.record.at


@strawberry.type(description="A social club: its members award each other peer badges.")
class Club(Node):
    record: strawberry.Private[ClubRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Club", self.record.id))

    name = localized_name("name", "The club's name.")
    description = localized("description", "What the club is about.")

    @field(description="How people join: at once, by approval, or by invitation.")
    def join_policy(self) -> ClubJoinPolicy:
        return ClubJoinPolicy(self.record.join_policy)

    @field(description="Who sees the club: everyone, or its members only.")
    def visibility(self) -> ClubVisibility:
        return ClubVisibility(self.record.visibility)

    @field(description="Vouches (the nominator's included) that make a peer award.")
    def vouch_threshold(self) -> int:
        return self.record.vouch_threshold

    @field(description="Nominations each member may make per day (UTC).")
    def daily_peer_award_limit(self) -> int:
        return self.record.daily_peer_award_limit

    @field(description="When the club was started.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="How many members it has.")
    def member_count(self) -> int:
        return self.record.member_count

    @field(description="Your role here; null unless you are a member.")
    def viewer_role(self) -> ClubRoleEnum | None:
        return ClubRole(self.record.viewer_role) if self.record.viewer_role else None

    @field(description="Whether you are a member, asked to join, or were invited.")
    def viewer_status(self) -> ClubViewerStatus:
        r = self.record
        if r.viewer_role:
            return ClubViewerStatus.MEMBER
        if r.viewer_requested:
            return ClubViewerStatus.REQUESTED
        return ClubViewerStatus.INVITED if r.viewer_invited else ClubViewerStatus.NONE

    @field(description="Members, longest-standing first.")
    async def members(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ClubMember]:
        page = await club_reads.members(
            info.context.loaders, self.record, window(info, first, after, last, before)
        )
        return to_connection(page, lambda item: ClubMember(record=item))

    @field(description="Requests to join, oldest first; owners and moderators only.")
    async def pending_members(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ClubJoinRequest] | None:
        page_window = window(info, first, after, last, before)
        page = await club_reads.join_requests(info.context.loaders, self.record, page_window)
        return None if page is None else to_connection(page, lambda r: ClubJoinRequest(record=r))

    @field(description="The club's peer badges, newest first.")
    async def badges(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BadgeRef]:
        from odznaka_graph.schema.badges import Badge  # see BadgeRef

        page = await club_reads.badges(
            info.context.loaders, self.record, window(info, first, after, last, before)
        )
        return to_connection(page, lambda item: Badge(record=item))

    @field(description="Nominations for peer badges, newest first; members only.")
    async def nominations(
        self,
        info: Info,
        status: Annotated[
            NominationStatus | None, described("Only nominations in this state.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Nomination] | None:
        loaders, asked = info.context.loaders, status.value if status else None
        page_window = window(info, first, after, last, before)
        page = await peer_award_reads.nominations(loaders, self.record, asked, page_window)
        return None if page is None else to_connection(page, lambda r: Nomination(record=r))

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)


@strawberry.input(description="Only clubs whose name or description contains the text.")
class ClubFilter:
    text: str | None = strawberry.field(default=None, description="Words to look for.")


@strawberry.input(description="A new club; you become its OWNER.")
class CreateClubInput:
    name: list[TextInput] = strawberry.field(description="The name, in one or more languages.")
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What the club is about."
    )
    join_policy: ClubJoinPolicy = strawberry.field(description="How people join.")
    visibility: ClubVisibility = strawberry.field(description="Who sees the club.")
    vouch_threshold: int = strawberry.field(
        default=1, description="Vouches (the nominator's included) that make a peer award."
    )
    daily_peer_award_limit: int = strawberry.field(
        default=5, description="Nominations each member may make per day (UTC)."
    )


@strawberry.input(description="The club to join (or ask to join).")
class JoinClubInput:
    club_id: strawberry.ID = strawberry.field(description="The club to join.")


@strawberry.input(description="The club to leave.")
class LeaveClubInput:
    club_id: strawberry.ID = strawberry.field(description="The club to leave.")


@strawberry.input(description="Someone's request to join, and whether to admit them.")
class ApproveClubMemberInput:
    club_id: strawberry.ID = strawberry.field(description="The club.")
    user_id: strawberry.ID = strawberry.field(description="The person who asked to join.")
    approve: bool = strawberry.field(default=True, description="False declines the request.")


@strawberry.input(description="Whom to invite to which club.")
class InviteToClubInput:
    club_id: strawberry.ID = strawberry.field(description="The club.")
    user_id: strawberry.ID = strawberry.field(description="The person to invite.")


@strawberry.input(description="A member's new role.")
class SetClubRoleInput:
    club_id: strawberry.ID = strawberry.field(description="The club.")
    user_id: strawberry.ID = strawberry.field(description="The member.")
    role: ClubRoleEnum = strawberry.field(description="The new role.")


@strawberry.type(description="You left the club (or withdrew your request or invitation).")
class LeftClub:
    club_id: strawberry.ID = strawberry.field(description="The club left.")
    club: Club | None = strawberry.field(description="The club, if you may still see it.")


ClubResult: TypeAlias = Annotated[
    Club | Failure, strawberry.union("ClubResult", description="The club, or why not.")
]
LeaveClubResult: TypeAlias = Annotated[
    LeftClub | Failure, strawberry.union("LeaveClubResult", description="Done, or why not.")
]
