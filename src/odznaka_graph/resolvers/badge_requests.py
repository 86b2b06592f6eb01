"""Badge requests (issue 15): the learner's request, the staff's lists and decisions."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id
from odznaka_graph.paging import Page
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, After, Before, First, Id, Last
from odznaka_graph.schema.arguments import local, window
from odznaka_graph.schema.badge_requests import (
    ApproveBadgeRequestInput,
    BadgeRequest,
    BadgeRequestResult,
    BadgeRequestStatus,
    DeclineBadgeRequestInput,
    RequestBadgeInput,
)
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.services import badge_request_reads
from odznaka_graph.services.badge_request_reads import EMPTY, BadgeRequestRow

Status = Annotated[
    BadgeRequestStatus | None,
    strawberry.argument(description="Only requests in this state; all when left out."),
]


def _base(info: Info) -> str:
    return info.context.services.stores.settings.public_base_url


def _connection(info: Info, page: Page[BadgeRequestRow]) -> Connection[BadgeRequest]:
    base = _base(info)
    found: Connection[BadgeRequest] = to_connection(
        page, lambda row: BadgeRequest(record=row, base_url=base)
    )
    return found


async def _answer(info: Info, request_id: str) -> BadgeRequest:
    row = await badge_request_reads.decided(info.context.loaders, request_id)
    assert row is not None
    return BadgeRequest(record=row, base_url=_base(info))


@strawberry.type
class BadgeRequestQueries:
    @field(
        description="Badge requests sent to an organisation, newest first (its staff; empty "
        "for anyone else)."
    )
    async def badge_requests(
        self,
        info: Info,
        organization_id: Id,
        status: Status = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BadgeRequest]:
        asked = window(info, first, after, last, before)
        org_id = local_id(organization_id, "Organization")
        wanted = status.value if status else None
        page = (
            await badge_request_reads.of_organization(info.context.loaders, org_id, wanted, asked)
            if org_id
            else EMPTY
        )
        return _connection(info, page)

    @field(description="Your own badge requests, newest first.")
    async def my_badge_requests(
        self,
        info: Info,
        status: Status = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BadgeRequest]:
        asked = window(info, first, after, last, before)
        wanted = status.value if status else None
        page = await badge_request_reads.mine(info.context.loaders, wanted, asked)
        return _connection(info, page)


@strawberry.type
class BadgeRequestMutations:
    @mutation(
        description="Ask an organisation for one of its published badges, with evidence (your "
        "words, a link, an uploaded file). One open request per badge; not for a badge you "
        "hold. Its staff are notified."
    )
    async def request_badge(
        self, info: Info, input: Annotated[RequestBadgeInput, INPUT]
    ) -> BadgeRequestResult:
        async def command() -> str:
            data = {
                "badge_id": local(input.badge_id, "Badge", "badgeId"),
                "narrative": input.narrative,
                "link": input.link,
                "evidence_file_id": local(input.evidence_file_id, "UploadedFile", "evidenceFileId")
                if input.evidence_file_id
                else None,
            }
            return await info.context.services.badge_requests.request(info.context.viewer, data)

        return await as_result(command(), lambda request_id: _answer(info, request_id))

    @mutation(
        description="Approve a badge request (the organisation's awarding staff): the badge is "
        "awarded to the learner with their evidence, exactly once, however often approved."
    )
    async def approve_badge_request(
        self, info: Info, input: Annotated[ApproveBadgeRequestInput, INPUT]
    ) -> BadgeRequestResult:
        async def command() -> str:
            request_id = local(input.request_id, "BadgeRequest", "requestId")
            requests = info.context.services.badge_requests
            return await requests.approve(info.context.viewer, request_id)

        return await as_result(command(), lambda request_id: _answer(info, request_id))

    @mutation(
        description="Decline a badge request with a reason (the organisation's awarding "
        "staff); the learner is notified with it."
    )
    async def decline_badge_request(
        self, info: Info, input: Annotated[DeclineBadgeRequestInput, INPUT]
    ) -> BadgeRequestResult:
        async def command() -> str:
            data = {
                "request_id": local(input.request_id, "BadgeRequest", "requestId"),
                "reason": input.reason,
            }
            requests = info.context.services.badge_requests
            return await requests.decline(info.context.viewer, data)

        return await as_result(command(), lambda request_id: _answer(info, request_id))
