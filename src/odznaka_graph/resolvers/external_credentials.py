"""Imported credentials: import and remove them; one by id for node(id:)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.external_credentials import (
    ExternalCredential,
    ImportCredentialInput,
    ImportCredentialResult,
    RemovedExternalCredential,
    RemoveExternalCredentialInput,
    RemoveExternalCredentialResult,
)
from odznaka_graph.services import profile_reads
from odznaka_graph.services.profile_reads import ExternalCredentialRecord


async def external_credential_by_id(info: Info, credential_id: str) -> ExternalCredential | None:
    """node(id:) for an imported credential, under its holder's awards section."""
    record = await profile_reads.external_credential(info.context.loaders, credential_id)
    return ExternalCredential(record=record) if record else None


async def _credential(record: ExternalCredentialRecord) -> ExternalCredential:
    return ExternalCredential(record=record)


async def _removed(credential_id: str) -> RemovedExternalCredential:
    return RemovedExternalCredential(
        id=strawberry.ID(to_global("ExternalCredential", credential_id))
    )


@strawberry.type
class ExternalCredentialMutations:
    @mutation(
        description="Import a credential earned elsewhere: a baked Open Badges PNG or SVG, or "
        "a pasted Open Badges 2.0 / 3.0 document or hosted-assertion URL. It is checked "
        "(hosted copy, issuer, revocation, expiry, that it was issued to one of your verified "
        "e-mails) and kept on your profile with the result. Importing it again re-checks it."
    )
    async def import_credential(
        self, info: Info, input: Annotated[ImportCredentialInput, INPUT]
    ) -> ImportCredentialResult:
        work = info.context.services.imports.import_credential(
            info.context.viewer, input.document, input.image_base64
        )
        return await as_result(work, _credential)

    @mutation(description="Take one of your imported credentials off your profile.")
    async def remove_external_credential(
        self, info: Info, input: Annotated[RemoveExternalCredentialInput, INPUT]
    ) -> RemoveExternalCredentialResult:
        async def command() -> str:
            credential_id = local(input.id, "ExternalCredential")
            return await info.context.services.imports.remove(info.context.viewer, credential_id)

        return await as_result(command(), _removed)
