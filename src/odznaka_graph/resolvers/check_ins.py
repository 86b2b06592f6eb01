"""Self check-in at events (issue 15): eventCheckInCode for the host's staff, checkIn."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.resolvers.accounts import client_address
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.resolvers.events import confirmation_row
from odznaka_graph.schema.args import INPUT, Id
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.check_ins import CheckInCode, CheckInInput, CheckInResult
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.events import AttendanceConfirmationRow
from odznaka_graph.services.events import ConfirmationRow
from odznaka_graph.wallet import qr


@strawberry.type
class CheckInQueries:
    @field(
        description="The check-in code to show at an event now (its host's staff), from 15 "
        "minutes before its start to its end; else null."
    )
    async def event_check_in_code(self, info: Info, event_id: Id) -> CheckInCode | None:
        found = local_id(event_id, "Event")
        if found is None:
            return None
        try:
            code = await info.context.services.check_ins.code(info.context.viewer, found)
        except DomainError:
            return None
        return CheckInCode(code=code.code, qr_svg=qr.svg(code.code), valid_until=code.valid_until)


@strawberry.type
class CheckInMutations:
    @mutation(
        description="Check in at an event with the code its host shows: you are registered "
        "and confirmed, and get the event's badge, once (again: the same answer). Attempts "
        "are limited per account and client address, as joining a team."
    )
    async def check_in(self, info: Info, input: Annotated[CheckInInput, INPUT]) -> CheckInResult:
        async def command() -> ConfirmationRow:
            data = {
                "event_id": local(input.event_id, "Event", "eventId"),
                "code": input.code,
                "latitude": input.latitude,
                "longitude": input.longitude,
            }
            check_ins = info.context.services.check_ins
            return await check_ins.check_in(info.context.viewer, data, client_address(info))

        async def row(found: ConfirmationRow) -> AttendanceConfirmationRow:
            return confirmation_row(to_global("User", found.user_id), found)

        return await as_result(command(), row)
