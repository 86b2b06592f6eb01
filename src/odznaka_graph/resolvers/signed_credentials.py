"""Exporting awards as signed Open Badges 3.0 credentials, and rotating issuer keys."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.signed_credentials import (
    ExportCredentialInput,
    ExportCredentialResult,
    IssuerKeys,
    RotateIssuerKeysInput,
    RotateIssuerKeysResult,
    SignedCredential,
    issuer_keys,
)
from odznaka_graph.services.signed_credentials import CredentialFormat, IssuedCredential


async def _signed(issued: IssuedCredential) -> SignedCredential:
    return SignedCredential(record=issued)


@strawberry.type
class SignedCredentialMutations:
    @mutation(
        description="An award as a signed Open Badges 3.0 credential (DATA_INTEGRITY or "
        "VC_JWT), for whoever may see the award. Signed on the first export and kept: "
        "exporting again (any time, by anyone allowed) returns the very same document, so "
        "no idempotency key is needed. Pending and revoked awards are not exported anew."
    )
    async def export_credential(
        self, info: Info, input: Annotated[ExportCredentialInput, INPUT]
    ) -> ExportCredentialResult:
        async def command() -> IssuedCredential:
            award_id = local(input.award_id, "Award", "awardId")
            fmt = CredentialFormat(input.format.name)
            return await info.context.services.signed_credentials.export(
                info.context.viewer, award_id, fmt
            )

        return await as_result(command(), _signed)

    @mutation(
        description="Replace an organisation's signing keys (its OWNER or ADMIN). New "
        "credentials use the new keys; the old ones stay in its DID document, so every "
        "credential signed before keeps verifying."
    )
    async def rotate_issuer_keys(
        self, info: Info, input: Annotated[RotateIssuerKeysInput, INPUT]
    ) -> RotateIssuerKeysResult:
        async def command() -> str:
            org_id = local(input.organization_id, "Organization", "organizationId")
            return await info.context.services.signed_credentials.rotate_keys(
                info.context.viewer, org_id
            )

        async def keys(org_id: str) -> IssuerKeys:
            service = info.context.services.signed_credentials
            return issuer_keys(await service.issuer_identity(org_id))

        return await as_result(command(), keys)
