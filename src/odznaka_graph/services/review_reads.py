"""Read view of quality review history (from the audit log), as the issuer's staff and
reviewers see it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from odznaka_graph.ledger import journal
from odznaka_graph.services.loaders import Loaders

BADGE_STEPS = ["badge.submitted", "badge.reviewed", "badge.archived"]
ORGANIZATION_STEPS = ["organization.agreement_accepted", "organization.reviewed"]
STEPS = {
    "badge.submitted": "SUBMITTED",
    "badge.archived": "ARCHIVED",
    "organization.agreement_accepted": "AGREEMENT_ACCEPTED",
}


@dataclass(frozen=True)
class ReviewEntry:
    """One review step: `step` is a ReviewStep value."""

    at: datetime
    step: str
    comment: str | None
    actor_id: str | None


def _step(action: str, data: dict[str, Any]) -> str:
    props = data.get("props") or {}
    if action == "badge.reviewed":
        return "APPROVED" if props.get("status") == "PUBLISHED" else "REJECTED"
    if action == "organization.reviewed":
        return "APPROVED" if props.get("verification") == "VERIFIED" else "REJECTED"
    return STEPS[action]


def _entry(row: Any) -> ReviewEntry:
    comment = (row.data.get("props") or {}).get("reviewComment")
    return ReviewEntry(row.at, _step(row.action, row.data), comment, row.actor_id)


async def review_history(
    loaders: Loaders, subject_type: str, subject_id: str, organization_id: str
) -> list[ReviewEntry]:
    """Submissions and reviews of a badge (or organisation), oldest first; one SQL query
    for every subject on the page. Empty for all but the organisation's staff and
    reviewers."""
    viewer = loaders.viewer
    if not (viewer.is_reviewer or organization_id in await loaders.staff_roles()):
        return []
    actions = BADGE_STEPS if subject_type == "Badge" else ORGANIZATION_STEPS

    async def load(ids: list[str]) -> list[list[ReviewEntry]]:
        async with loaders.ledger.reading() as conn:
            found = await journal.audit_of_subjects(conn, subject_type, list(ids), actions)
        return [[_entry(row) for row in found[i]] for i in ids]

    history: list[ReviewEntry] = await loaders.extra(f"review_history:{subject_type}", load).load(
        subject_id
    )
    return history
