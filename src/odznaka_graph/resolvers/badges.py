"""Badges: the lifecycle mutations, the public catalogue and single reads."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.catalogue import CatalogueFilter
from odznaka_graph.ids import local_id
from odznaka_graph.ledger import credentials
from odznaka_graph.resolvers.club_loaders import viewer_club_role
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.badges import (
    Badge,
    BadgeIdInput,
    BadgeResult,
    CreateBadgeInput,
    ReviewBadgeInput,
    UpdateBadgeInput,
    content_data,
)
from odznaka_graph.schema.common import Connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.services.badges import badge_record
from odznaka_graph.services.loaders import forget
from odznaka_graph.services.visibility import can_see_badge


async def badge_by_id(info: Info, badge_id: str) -> Badge | None:
    record = await info.context.loaders.badge_by_id.load(badge_id)
    if record is None:
        return None
    viewer = info.context.viewer
    if can_see_badge(viewer, record, {}):  # public: no need to look up the viewer's roles
        return Badge(record=record)
    # A restricted peer badge is for its club's members; a formal one for staff, reviewers.
    club_role = await viewer_club_role(info, record.club_id) if record.club_id else None
    if not can_see_badge(viewer, record, await info.context.loaders.staff_roles(), club_role):
        return None
    return Badge(record=record)


async def _fresh(info: Info, badge_id: str) -> Badge | None:
    """The badge just changed: from the graph, or from the ledger while the graph catches up."""
    forget(info.context.loaders.badge_by_id, badge_id)
    found = await badge_by_id(info, badge_id)
    if found is not None:
        return found
    async with info.context.services.stores.ledger.reading() as conn:
        row = await credentials.badge(conn, badge_id)
    return Badge(record=badge_record(row)) if row is not None else None


def _content(info: Info, content: Any) -> dict[str, Any]:
    data = content_data(content)
    for outcome in data.get("outcomes", []):
        if outcome.get("skill_id"):
            outcome["skill_id"] = local_id(outcome["skill_id"], "Skill") or "unknown"
    return data


async def organization_badges(
    info: Info, org_id: str, first: int | None, after: str | None
) -> Connection[Badge]:
    from odznaka_graph.resolvers.catalogue import catalogue_page

    spec = CatalogueFilter(organization_id=org_id)
    return await catalogue_page(info, spec, "NEWEST", first, after, None, None)


def _mutation(info: Info, command: Callable[[], Awaitable[str]]) -> Awaitable[Any]:
    return as_result(command(), lambda badge_id: _fresh(info, badge_id))


@strawberry.type
class BadgeQueries:
    @field(description="A badge by id; drafts only for its issuer and reviewers.")
    async def badge(self, info: Info, id: strawberry.ID) -> Badge | None:
        badge_id = local_id(id, "Badge")
        return await badge_by_id(info, badge_id) if badge_id else None


@strawberry.type
class BadgeMutations:
    @mutation(description="Describe a new badge as a DRAFT of an organisation.")
    async def create_badge(self, info: Info, input: CreateBadgeInput) -> BadgeResult:
        async def command() -> str:
            org_id = local(input.organization_id, "Organization", "organizationId")
            data = _content(info, input.content)
            return await info.context.services.badges.create(info.context.viewer, org_id, data)

        return await _mutation(info, command)

    @mutation(description="Replace a draft's (or rejected badge's) description.")
    async def update_badge(self, info: Info, input: UpdateBadgeInput) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            data = _content(info, input.content)
            return await info.context.services.badges.update(
                info.context.viewer, badge_id, data, input.expected_version
            )

        return await _mutation(info, command)

    @mutation(description="Send a complete badge to quality review.")
    async def submit_badge_for_review(self, info: Info, input: BadgeIdInput) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            return await info.context.services.badges.submit(info.context.viewer, badge_id)

        return await _mutation(info, command)

    @mutation(description="Publish or reject a submitted badge (reviewers).")
    async def review_badge(self, info: Info, input: ReviewBadgeInput) -> BadgeResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "approve": input.approve,
                "comment": input.comment,
            }
            return await info.context.services.badges.review(info.context.viewer, data)

        return await _mutation(info, command)

    @mutation(description="Withdraw a badge from the catalogue; awards stay valid.")
    async def archive_badge(self, info: Info, input: BadgeIdInput) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            return await info.context.services.badges.archive(info.context.viewer, badge_id)

        return await _mutation(info, command)
