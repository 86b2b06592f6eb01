"""Badges: the lifecycle mutations and single reads."""

from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, Id
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.badge_inputs import (
    BadgeIdInput,
    CreateBadgeInput,
    ReviewBadgeInput,
    UpdateBadgeInput,
    content_data,
)
from odznaka_graph.schema.badges import Badge, BadgeResult
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.services import badge_reads


async def badge_by_id(info: Info, badge_id: str) -> Badge | None:
    """Kept for node(id:) and the other domains' callers; new code calls
    `badge_reads.badge`."""
    record = await badge_reads.badge(info.context.loaders, badge_id)
    return Badge(record=record) if record is not None else None


async def _fresh(info: Info, badge_id: str) -> Badge:
    """The badge a command just wrote (read even while projection catches up)."""
    record = await badge_reads.fresh_badge(info.context.loaders, badge_id)
    assert record is not None
    return Badge(record=record)


def _content(content: Any) -> dict[str, Any]:
    data = content_data(content)
    for outcome in data.get("outcomes", []):
        if outcome.get("skill_id"):
            outcome["skill_id"] = local_id(outcome["skill_id"], "Skill") or "unknown"
    return data


@strawberry.type
class BadgeQueries:
    @field(description="A badge by id; drafts only for its issuer and reviewers.")
    async def badge(self, info: Info, id: Id) -> Badge | None:
        badge_id = local_id(id, "Badge")
        return await badge_by_id(info, badge_id) if badge_id else None


@strawberry.type
class BadgeMutations:
    @mutation(description="Describe a new badge as a DRAFT of an organisation.")
    async def create_badge(
        self, info: Info, input: Annotated[CreateBadgeInput, INPUT]
    ) -> BadgeResult:
        async def command() -> str:
            org_id = local(input.organization_id, "Organization", "organizationId")
            data = _content(input.content)
            return await info.context.services.badges.create(
                info.context.viewer, org_id, data, input.kind.value
            )

        return await as_result(command(), lambda badge_id: _fresh(info, badge_id))

    @mutation(description="Replace a draft's (or rejected badge's) description.")
    async def update_badge(
        self, info: Info, input: Annotated[UpdateBadgeInput, INPUT]
    ) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            data = _content(input.content)
            return await info.context.services.badges.update(
                info.context.viewer, badge_id, data, input.expected_version
            )

        return await as_result(command(), lambda badge_id: _fresh(info, badge_id))

    @mutation(description="Send a complete badge to quality review.")
    async def submit_badge_for_review(
        self, info: Info, input: Annotated[BadgeIdInput, INPUT]
    ) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            return await info.context.services.badges.submit(info.context.viewer, badge_id)

        return await as_result(command(), lambda badge_id: _fresh(info, badge_id))

    @mutation(
        description="Publish a plain BADGE-kind draft (its organisation's staff; no review): "
        "it needs a name, description, picture and howToObtain. Microcredentials go through "
        "submitBadgeForReview instead."
    )
    async def publish_badge(self, info: Info, input: Annotated[BadgeIdInput, INPUT]) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            return await info.context.services.badges.publish(info.context.viewer, badge_id)

        return await as_result(command(), lambda badge_id: _fresh(info, badge_id))

    @mutation(description="Publish or reject a submitted badge (reviewers).")
    async def review_badge(
        self, info: Info, input: Annotated[ReviewBadgeInput, INPUT]
    ) -> BadgeResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "approve": input.approve,
                "comment": input.comment,
            }
            return await info.context.services.badges.review(info.context.viewer, data)

        return await as_result(command(), lambda badge_id: _fresh(info, badge_id))

    @mutation(description="Withdraw a badge from the catalogue; awards stay valid.")
    async def archive_badge(self, info: Info, input: Annotated[BadgeIdInput, INPUT]) -> BadgeResult:
        async def command() -> str:
            badge_id = local(input.badge_id, "Badge", "badgeId")
            return await info.context.services.badges.archive(info.context.viewer, badge_id)

        return await as_result(command(), lambda badge_id: _fresh(info, badge_id))
