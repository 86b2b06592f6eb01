"""Review history (from the audit log) and the reviewers' queue."""

from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from odznaka_graph.context import Info
from odznaka_graph.graph_model import reviews as review_graph
from odznaka_graph.ledger import journal
from odznaka_graph.schema.arguments import window
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.schema.reviews import ReviewEvent, ReviewStep

BADGE_STEPS = ["badge.submitted", "badge.reviewed", "badge.archived"]
ORGANIZATION_STEPS = ["organization.agreement_accepted", "organization.reviewed"]


def _step(action: str, data: dict[str, Any]) -> ReviewStep:
    props = data.get("props") or {}
    if action == "badge.reviewed":
        return ReviewStep.APPROVED if props.get("status") == "PUBLISHED" else ReviewStep.REJECTED
    if action == "organization.reviewed":
        verified = props.get("verification") == "VERIFIED"
        return ReviewStep.APPROVED if verified else ReviewStep.REJECTED
    return {
        "badge.submitted": ReviewStep.SUBMITTED,
        "badge.archived": ReviewStep.ARCHIVED,
        "organization.agreement_accepted": ReviewStep.AGREEMENT_ACCEPTED,
    }[action]


def _event(row: Any) -> ReviewEvent:
    comment = (row.data.get("props") or {}).get("reviewComment")
    return ReviewEvent(
        at=row.at, step=_step(row.action, row.data), comment=comment, actor_id=row.actor_id
    )


def history_loader(info: Info, subject_type: str) -> DataLoader[str, list[ReviewEvent]]:
    """One SQL query for the histories of every badge (or organisation) on the page."""
    actions = BADGE_STEPS if subject_type == "Badge" else ORGANIZATION_STEPS

    async def load(ids: list[str]) -> list[list[ReviewEvent]]:
        async with info.context.services.stores.ledger.reading() as conn:
            found = await journal.audit_of_subjects(conn, subject_type, list(ids), actions)
        return [[_event(row) for row in found[i]] for i in ids]

    return info.context.loaders.extra(f"review_history:{subject_type}", load)


async def review_history(
    info: Info, subject_type: str, subject_id: str, org_id: str
) -> list[ReviewEvent]:
    """Shown to the organisation's staff and to reviewers; empty for everyone else."""
    viewer = info.context.viewer
    if not (viewer.is_reviewer or org_id in await info.context.loaders.staff_roles()):
        return []
    return await history_loader(info, subject_type).load(subject_id)


@strawberry.type
class ReviewQueries:
    @field(description="Badges waiting for quality review, oldest first (reviewers).")
    async def review_queue(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Badge]:
        page_window = window(info, first, after, None, None)
        if not info.context.viewer.is_reviewer:
            return to_connection(review_graph.EMPTY, Badge)
        page = await review_graph.awaiting_review(info.context.services.stores.graph, page_window)
        return to_connection(page, lambda record: Badge(record=record))
