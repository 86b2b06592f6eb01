"""Pupils (issue 15): enrol a roster, redeem a sign-in code, ask a guardian's consent."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.resolvers.accounts import _session, client_address, device
from odznaka_graph.resolvers.common import as_result, as_sign_in_result
from odznaka_graph.resolvers.teams import _changed
from odznaka_graph.schema.accounts import AuthResult
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.pupils import (
    EnrolledPupils,
    EnrolPupilsInput,
    EnrolPupilsResult,
    GuardianConsentRequested,
    GuardianConsentResult,
    PupilSlip,
    RedeemSignInCodeInput,
    RequestGuardianConsentInput,
)
from odznaka_graph.services.pupils import Slip


def sheet_url(base_url: str, team_id: str) -> str:
    return f"{base_url}/teams/{to_global('Team', team_id)}/sign-in-sheet.pdf"


async def _requested(pupil_id: str) -> GuardianConsentRequested:
    return GuardianConsentRequested(pupil_id=strawberry.ID(to_global("User", pupil_id)))


@strawberry.type
class PupilMutations:
    @mutation(
        description="Enrol pupils in a class without e-mail addresses (its teachers, the "
        "school's admins): each gets an account with a random handle, a private profile, "
        "the shown name (pseudonym or first name + initial) and a one-time sign-in code."
    )
    async def enrol_pupils(
        self, info: Info, input: Annotated[EnrolPupilsInput, INPUT]
    ) -> EnrolPupilsResult:
        base = info.context.services.stores.settings.public_base_url

        async def command() -> tuple[str, list[Slip]]:
            data = {
                "team_id": local(input.team_id, "Team", "teamId"),
                "age_band": input.age_band.value,
                "pupils": [{"name": p.name, "pseudonym": p.pseudonym} for p in input.pupils],
            }
            return await info.context.services.pupils.enrol(info.context.viewer, data)

        async def success(done: tuple[str, list[Slip]]) -> EnrolledPupils:
            team_id, slips = done
            return EnrolledPupils(
                team=await _changed(info, team_id),
                pupils=[PupilSlip(record=slip, base_url=base) for slip in slips],
                sheet_url=sheet_url(base, team_id),
            )

        return await as_result(command(), success)

    @mutation(
        description="Spend a one-time sign-in code from a roster slip: sets the pupil's "
        "password and signs them in. A used, expired or unknown code is refused with its "
        "reason; attempts are limited per client address (PUPIL_CODE_MAX_ATTEMPTS_PER_CLIENT)."
    )
    async def redeem_sign_in_code(
        self, info: Info, input: Annotated[RedeemSignInCodeInput, INPUT]
    ) -> AuthResult:
        work = info.context.services.pupils.redeem(
            {"code": input.code, "password": input.password}, client_address(info), device(info)
        )
        return await as_sign_in_result(work, _session)

    @mutation(
        description="Mail a guardian a one-click link to consent that a pupil under 16 makes "
        "their profile and credentials public (the pupil, or their teacher)."
    )
    async def request_guardian_consent(
        self, info: Info, input: Annotated[RequestGuardianConsentInput, INPUT]
    ) -> GuardianConsentResult:
        async def command() -> str:
            pupil = local(input.pupil_id, "User", "pupilId") if input.pupil_id else None
            data = {"guardian_email": input.guardian_email, "pupil_id": pupil}
            return await info.context.services.guardians.request(info.context.viewer, data)

        return await as_result(command(), _requested)
