"""Profile operations: credential verification, featured credentials, section
visibility and endorsements (the sections themselves are read by services/profile_reads)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import local_id
from odznaka_graph.resolvers.accounts import fresh_user
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.accounts import ProfileResult
from odznaka_graph.schema.args import INPUT, described
from odznaka_graph.schema.arguments import UserInputError, local
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.profiles import (
    CredentialVerification,
    EndorseAwardInput,
    Endorsement,
    EndorsementResult,
    SetFeaturedAwardsInput,
    UpdateProfileVisibilityInput,
    award_verification,
    document_verification,
)
from odznaka_graph.services.profile_reads import EndorsementRecord


@strawberry.type
class ProfileQueries:
    @field(
        description="Check an award id, or a pasted credential document (ours or anyone's "
        "Open Badges 3.0: JSON with a Data Integrity proof, or a VC-JWT): is it authentic, "
        "valid, expired or revoked, and why. A document gets `checks` (signature, issuer, "
        "status, expiry), each with a reason. Give exactly one of the two. Works without "
        "signing in; the holder is shown only to those who may see the award."
    )
    async def verify_credential(
        self,
        info: Info,
        award_id: Annotated[
            strawberry.ID | None, described("An award of this platform (its global id).")
        ] = None,
        document: Annotated[
            str | None, described("A credential document: OB 3.0 JSON or VC-JWT.")
        ] = None,
    ) -> CredentialVerification:
        if (award_id is None) == (document is None):
            raise UserInputError("Give either `awardId` or `document`.")
        viewer, services = info.context.viewer, info.context.services
        if document is not None:
            return document_verification(
                await services.signed_credentials.check_document(viewer, document)
            )
        assert award_id is not None
        return award_verification(
            await services.profiles.verify(viewer, local_id(award_id, "Award"))
        )


@strawberry.type
class ProfileMutations:
    @mutation(description="Choose and order up to six of your own valid credentials to feature.")
    async def set_featured_awards(
        self, info: Info, input: Annotated[SetFeaturedAwardsInput, INPUT]
    ) -> ProfileResult:
        async def command() -> str:
            ids = [local(i, "Award", f"awardIds.{n}") for n, i in enumerate(input.award_ids)]
            return await info.context.services.profiles.set_featured(
                info.context.viewer, {"award_ids": ids}
            )

        return await as_result(command(), lambda user_id: fresh_user(info, user_id))

    @mutation(
        description="Set who sees your profile and each of its sections (PUBLIC, CONTACTS, "
        "PRIVATE); a section is never more visible than the profile."
    )
    async def update_profile_visibility(
        self, info: Info, input: Annotated[UpdateProfileVisibilityInput, INPUT]
    ) -> ProfileResult:
        data = {name: level.value for name, level in vars(input).items() if level is not None}
        work = info.context.services.profiles.update_visibility(info.context.viewer, data)
        return await as_result(work, lambda user_id: fresh_user(info, user_id))

    @mutation(
        description="Endorse another user's valid credential you can see; endorsing it "
        "again replaces your comment (one endorsement per person and credential)."
    )
    async def endorse_award(
        self, info: Info, input: Annotated[EndorseAwardInput, INPUT]
    ) -> EndorsementResult:
        async def command() -> EndorsementRecord:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "comment": input.comment}
            return await info.context.services.profiles.endorse(info.context.viewer, data)

        return await as_result(command(), _endorsement)


async def _endorsement(record: EndorsementRecord) -> Endorsement:
    return Endorsement(record=record)
