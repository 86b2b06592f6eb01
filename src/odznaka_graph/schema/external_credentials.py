"""Credentials earned elsewhere (Open Badges 2.0 / 3.0) that their holder imported."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import NODE_ID, Failure, Node
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services.imports import ExternalCredentialRecord


@describe_values(
    VERIFIED="Every check passed.",
    UNVERIFIED="Could not be checked fully.",
    UNREACHABLE="Its issuer's copy could not be fetched.",
    EXPIRED="Its validity has ended.",
    NOT_RECIPIENT="It names someone else (none of your verified addresses).",
    REVOKED="Its issuer revoked it.",
    INVALID="Forged or malformed: a check failed.",
)
@strawberry.enum(description="What checking an imported credential found (the worst finding).")
class ExternalCredentialStatus(Enum):
    VERIFIED = "VERIFIED"
    UNVERIFIED = "UNVERIFIED"
    UNREACHABLE = "UNREACHABLE"
    EXPIRED = "EXPIRED"
    NOT_RECIPIENT = "NOT_RECIPIENT"
    REVOKED = "REVOKED"
    INVALID = "INVALID"


@describe_values(
    OPEN_BADGES_2="Open Badges 2.0 (hosted assertion).",
    OPEN_BADGES_3="Open Badges 3.0 (verifiable credential).",
)
@strawberry.enum(description="The standard an imported credential follows.")
class ExternalCredentialFormat(Enum):
    OPEN_BADGES_2 = "OB2"
    OPEN_BADGES_3 = "OB3"


@describe_values(
    PNG="A baked PNG image.",
    SVG="A baked SVG image.",
    TEXT="Pasted JSON, a VC-JWT or an assertion's URL.",
)
@strawberry.enum(description="How an imported credential was handed in.")
class ExternalCredentialSource(Enum):
    PNG = "PNG"
    SVG = "SVG"
    TEXT = "TEXT"


@strawberry.type(
    description="A credential earned on another platform and imported by its holder, with "
    "what checking it found. Shown with the holder's credentials (the awards section's "
    "visibility applies)."
)
class ExternalCredential(Node):
    record: strawberry.Private[ExternalCredentialRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("ExternalCredential", self.record.id))

    @field(description="The badge's or achievement's name, as its issuer wrote it.")
    def name(self) -> str:
        return self.record.summary.name

    @field(description="Its description, as its issuer wrote it.")
    def description(self) -> str | None:
        return self.record.summary.description

    @field(description="Its image (an http(s) URL), when it has one.")
    def image_url(self) -> str | None:
        return self.record.summary.image_url

    @field(description="The issuer's name, when its profile could be read.")
    def issuer_name(self) -> str | None:
        return self.record.summary.issuer_name

    @field(description="The issuer's web address.")
    def issuer_url(self) -> str | None:
        return self.record.summary.issuer_url

    @field(description="When it was issued.")
    def issued_on(self) -> datetime | None:
        return self.record.summary.issued_on

    @field(description="When it stops counting, if ever.")
    def expires_at(self) -> datetime | None:
        return self.record.summary.expires_at

    @field(description="Where the credential itself is published, if anywhere.")
    def credential_url(self) -> str | None:
        return self.record.summary.credential_url

    @field(description="Open Badges 2.0 or 3.0.")
    def format(self) -> ExternalCredentialFormat:
        return ExternalCredentialFormat(self.record.format)

    @field(description="A baked PNG or SVG image, or pasted text.")
    def source(self) -> ExternalCredentialSource:
        return ExternalCredentialSource(self.record.source)

    @field(description="The verification result.")
    def status(self) -> ExternalCredentialStatus:
        return ExternalCredentialStatus(self.record.status)

    @field(description="Each finding of the check, in plain words, safe to show.")
    def reasons(self) -> list[str]:
        return self.record.reasons

    @field(description="When it was last checked (each import checks it again).")
    def checked_at(self) -> datetime:
        return self.record.checked_at

    @field(description="When it was first imported.")
    def imported_at(self) -> datetime:
        return self.record.created_at


@strawberry.input(
    description="A credential to import: a baked PNG or SVG image (base64), or a pasted Open "
    "Badges 2.0 assertion, an Open Badges 3.0 credential (JSON or compact JWS) or a hosted "
    "assertion's URL. Give exactly one."
)
class ImportCredentialInput:
    document: str | None = strawberry.field(
        default=None, description="The JSON, JWS or URL (up to 300,000 characters)."
    )
    image_base64: str | None = strawberry.field(
        default=None, description="A baked PNG or SVG image, base64 (a data: URL works too)."
    )


@strawberry.input(description="An imported credential to take off your profile.")
class RemoveExternalCredentialInput:
    id: strawberry.ID = strawberry.field(description="The imported credential to remove.")


@strawberry.type(description="The imported credential that was removed.")
class RemovedExternalCredential:
    id: strawberry.ID = strawberry.field(description="The id of the removed credential.")


ImportCredentialResult: TypeAlias = Annotated[
    ExternalCredential | Failure,
    strawberry.union("ImportCredentialResult", description="The imported credential, or why not."),
]
RemoveExternalCredentialResult: TypeAlias = Annotated[
    RemovedExternalCredential | Failure,
    strawberry.union("RemoveExternalCredentialResult", description="What was removed, or why not."),
]
