"""Awards: award, revoke, and a user's credentials."""

from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model import awards as award_graph
from odznaka_graph.graph_model.paging import BadCursor
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger import credentials
from odznaka_graph.resolvers.common import UserInputError, as_result, local, window
from odznaka_graph.schema.awards import Award, AwardBadgeInput, AwardResult, RevokeAwardInput
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.services.visibility import can_see_award, can_see_profile


async def awards_of_user(info: Info, user: UserRecord, *page_args: Any) -> Connection[Award]:
    page_window = window(info, *page_args)
    if not can_see_profile(info.context.viewer, user):
        return to_connection(award_graph.Page([], False, False, 0), Award)
    try:
        page = await award_graph.awards_of_user(
            info.context.services.stores.graph, user.id, page_window
        )
    except BadCursor as error:
        raise UserInputError(str(error)) from None
    return to_connection(page, lambda record: Award(record=record))


async def award_by_id(info: Info, award_id: str) -> Award | None:
    loaders = info.context.loaders
    record = await loaders.award_by_id.load(award_id)
    if record is None:
        return None
    badge = await loaders.badge_by_id.load(record.badge_id)
    recipient = await loaders.user_by_id.load(record.recipient_id) if record.recipient_id else None
    org = badge.organization_id if badge else ""
    if not can_see_award(info.context.viewer, record, recipient, org, await loaders.staff_roles()):
        return None
    return Award(record=record)


async def _from_ledger(info: Info, award_id: str) -> Award:
    """The award as the ledger holds it: answers even while the graph catches up."""
    async with info.context.services.stores.ledger.reading() as conn:
        row = await credentials.award(conn, award_id)
    assert row is not None
    evidence = [
        {"url": item.get("url") or "", "narrative": item.get("narrative") or ""}
        for item in row.evidence
    ]
    return Award(
        record=award_graph.AwardRecord(
            id=row.id,
            badge_id=row.badge_id,
            recipient_id=row.recipient_id,
            awarded_by_id=row.awarded_by,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            evidence=evidence,
            revoked_at=row.revoked_at,
            revoke_reason=row.revoke_reason,
        )
    )


@strawberry.type
class AwardMutations:
    @strawberry.mutation(description="Award a published badge (issuer staff); idempotent by key.")
    async def award_badge(self, info: Info, input: AwardBadgeInput) -> AwardResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "recipient_id": (
                    local(input.recipient_id, "User", "recipientId") if input.recipient_id else None
                ),
                "recipient_email": input.recipient_email,
                "evidence": [vars(item) for item in input.evidence or []],
                "idempotency_key": input.idempotency_key,
            }
            return await info.context.services.awards.award(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _from_ledger(info, award_id))

    @strawberry.mutation(description="Revoke an award with a reason; the record is kept.")
    async def revoke_award(self, info: Info, input: RevokeAwardInput) -> AwardResult:
        async def command() -> str:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "reason": input.reason}
            return await info.context.services.awards.revoke(info.context.viewer, data)

        return await as_result(command(), lambda award_id: _from_ledger(info, award_id))
