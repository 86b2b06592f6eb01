"""Inputs of club moderation (issue 15): remove or ban a member, archive a peer badge, edit
the club."""

import strawberry

from odznaka_graph.schema.clubs import ClubJoinPolicy
from odznaka_graph.schema.common import TextInput


@strawberry.input(description="Take a member out of the club (owners, moderators).")
class RemoveClubMemberInput:
    club_id: strawberry.ID = strawberry.field(description="The club.")
    user_id: strawberry.ID = strawberry.field(description="Who to remove.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for the audit trail (at most 500 characters)."
    )


@strawberry.input(
    description="Ban someone from the club (owners, moderators): a member is removed, "
    "requests and invitations go, and they cannot join, be invited, nominate or vouch."
)
class BanClubMemberInput(RemoveClubMemberInput):
    pass


@strawberry.input(description="Edit a club (its owners); left-out fields stay as they are.")
class UpdateClubInput:
    club_id: strawberry.ID = strawberry.field(description="The club.")
    name: list[TextInput] | None = strawberry.field(
        default=None, description="The name, in one or more languages (replaces all)."
    )
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What the club is about (replaces all languages)."
    )
    join_policy: ClubJoinPolicy | None = strawberry.field(
        default=None, description="How people join."
    )
    vouch_threshold: int | None = strawberry.field(
        default=None, description="Vouches (the nominator's included) that make a peer award."
    )
    daily_peer_award_limit: int | None = strawberry.field(
        default=None, description="Nominations each member may make per day (UTC)."
    )


@strawberry.input(
    description="Archive a club's peer badge (owners, moderators): no new nominations, "
    "vouches or awards; the awards made stay valid unless revoked."
)
class ArchivePeerBadgeInput:
    badge_id: strawberry.ID = strawberry.field(description="The club's peer badge.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for the audit trail (at most 500 characters)."
    )
