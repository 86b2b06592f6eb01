"""Imported credentials: import, remove, and list them under the profile's read rules."""

from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import to_global
from odznaka_graph.ledger import external_credentials as repo
from odznaka_graph.paging import BadCursor, Page
from odznaka_graph.resolvers.audience import audience, profile_visible
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.external_credentials import (
    ExternalCredential,
    ImportCredentialInput,
    ImportCredentialResult,
    RemovedExternalCredential,
    RemoveExternalCredentialInput,
    RemoveExternalCredentialResult,
)
from odznaka_graph.services.imports import ExternalCredentialRecord, to_record
from odznaka_graph.services.visibility import can_see_section

EMPTY: Page[Any] = Page([], False, False, 0)


async def _sees_credentials(info: Info, owner: UserRecord) -> bool:
    """Imported credentials go with the awards section of the holder's profile."""
    if info.context.viewer.id == owner.id:
        return True
    if not await profile_visible(info, owner):
        return False
    return can_see_section(await audience(info, owner), owner, "awards")


async def external_credentials_of(
    info: Info, user: UserRecord, *page_args: Any
) -> Connection[ExternalCredential]:
    page_window = window(info, *page_args)
    if not await _sees_credentials(info, user):
        return to_connection(EMPTY, ExternalCredential)
    try:
        async with info.context.services.stores.ledger.reading() as conn:
            page = await repo.page_of(conn, user.id, page_window)
    except BadCursor as error:
        raise UserInputError(str(error)) from None
    return to_connection(page, lambda row: ExternalCredential(record=to_record(row)))


async def external_credential_by_id(info: Info, credential_id: str) -> ExternalCredential | None:
    record = await info.context.services.imports.credential(credential_id)
    if record is None:
        return None
    owner = await info.context.loaders.user_by_id.load(record.account_id)
    if owner is None or not await _sees_credentials(info, owner):
        return None
    return ExternalCredential(record=record)


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
        self, info: Info, input: ImportCredentialInput
    ) -> ImportCredentialResult:
        work = info.context.services.imports.import_credential(
            info.context.viewer, input.document, input.image_base64
        )
        return await as_result(work, _credential)

    @mutation(description="Take one of your imported credentials off your profile.")
    async def remove_external_credential(
        self, info: Info, input: RemoveExternalCredentialInput
    ) -> RemoveExternalCredentialResult:
        async def command() -> str:
            credential_id = local(input.id, "ExternalCredential")
            return await info.context.services.imports.remove(info.context.viewer, credential_id)

        return await as_result(command(), _removed)
