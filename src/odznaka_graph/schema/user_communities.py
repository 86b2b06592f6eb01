"""The viewer's own classes and teams, followed paths and clubs."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.args import After, Before, First, Last
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.services import club_reads, organization_reads, team_reads
from odznaka_graph.vocabulary import StaffRole

if TYPE_CHECKING:
    from odznaka_graph.schema.clubs import Club
    from odznaka_graph.schema.organizations import Organization, StaffRoleEnum
    from odznaka_graph.schema.paths import Path
    from odznaka_graph.schema.teams import Team

# Lazy: these types name their users, and User is composed of this class.
ClubRef = Annotated["Club", strawberry.lazy("odznaka_graph.schema.clubs")]
PathRef = Annotated["Path", strawberry.lazy("odznaka_graph.schema.paths")]
TeamRef = Annotated["Team", strawberry.lazy("odznaka_graph.schema.teams")]
OrganizationRef = Annotated["Organization", strawberry.lazy("odznaka_graph.schema.organizations")]
StaffRoleRef = Annotated["StaffRoleEnum", strawberry.lazy("odznaka_graph.schema.organizations")]


@strawberry.type(description="An organisation the viewer works for, and as what.")
class OrganizationMembership:
    organization: OrganizationRef = strawberry.field(description="The organisation.")
    role: StaffRoleRef = strawberry.field(description="What the viewer may do for it.")


@strawberry.type
class UserCommunitiesFields:
    record: strawberry.Private[UserRecord]

    @field(
        description="The organisations the viewer is staff of (owner, admin or issuer), "
        "with the role; the viewer's own only, empty for anyone else."
    )
    async def organizations(self, info: Info) -> list[OrganizationMembership]:
        from odznaka_graph.schema.organizations import Organization

        found = await organization_reads.own_organizations(info.context.loaders, self.record.id)
        return [
            OrganizationMembership(organization=Organization(record=record), role=StaffRole(role))
            for record, role in found
        ]

    @field(
        description="The viewer's own classes and teams, most recently joined first; empty "
        "for anyone else."
    )
    async def teams(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TeamRef]:
        from odznaka_graph.schema.teams import Team  # User is named by every type

        page_window = window(info, first, after, last, before)
        page = await team_reads.teams_of_user(info.context.loaders, self.record, page_window)
        return to_connection(page, lambda record: Team(record=record))

    @field(
        description="Paths the viewer follows (with `viewerProgress`), most recently followed "
        "first; the viewer's own only, empty for anyone else."
    )
    async def followed_paths(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PathRef]:
        from odznaka_graph.schema.paths import Path  # User is named by every type

        page_window = window(info, first, after, last, before)
        page = await team_reads.followed_paths(info.context.loaders, self.record, page_window)
        return to_connection(page, lambda record: Path(record=record))

    @field(description="The viewer's own clubs, by name; empty for anyone else.")
    async def clubs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ClubRef]:
        from odznaka_graph.schema.clubs import Club  # User is named by every type

        page_window = window(info, first, after, last, before)
        page = await club_reads.clubs_of_user(info.context.loaders, self.record, page_window)
        return to_connection(page, lambda record: Club(record=record))
