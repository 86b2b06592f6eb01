"""Signed Open Badges 3.0 credentials: the exported document, issuer keys, and the
checks a verification reports."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.credentials.keys import PublicKey
from odznaka_graph.credentials.proofs import Check
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services.signed_credentials import IssuedCredential, IssuerIdentity


@strawberry.enum(description="How a credential is signed.")
class CredentialFormat(Enum):
    DATA_INTEGRITY = strawberry.enum_value(
        "DATA_INTEGRITY",
        description="JSON-LD with an embedded Data Integrity proof (eddsa-rdfc-2022, Ed25519).",
    )
    VC_JWT = strawberry.enum_value(
        "VC_JWT", description="A compact JWS whose payload is the credential (ES256, P-256)."
    )


@strawberry.type(
    description="An award as a signed Open Badges 3.0 OpenBadgeCredential (W3C VCDM 2.0), "
    "kept exactly as issued: exporting it again returns the same text."
)
class SignedCredential:
    record: strawberry.Private[IssuedCredential]

    @field(description="How it is signed.")
    def format(self) -> CredentialFormat:
        return CredentialFormat(self.record.format.value)

    @field(
        description="The credential, byte for byte as signed: JSON for DATA_INTEGRITY, a "
        "compact JWS for VC_JWT. Give it to a wallet or a verifier unchanged."
    )
    def document(self) -> str:
        return self.record.document

    @field(description="Its media type (application/vc+ld+json or application/vc+jwt).")
    def media_type(self) -> str:
        return self.record.media_type

    @field(description="A file name to save it under.")
    def file_name(self) -> str:
        suffix = "jwt" if self.record.format.value == "VC_JWT" else "json"
        return f"credential-{self.record.award_id}.{suffix}"

    @field(description="When it was signed (its first export).")
    def signed_at(self) -> datetime:
        return self.record.issued_at

    @field(description="The award it states.")
    async def award(self, info: Info) -> Award | None:
        record = await info.context.loaders.visibility.award(self.record.award_id)
        return Award(record=record) if record else None


@strawberry.input(description="Which award to export, and how it is signed.")
class ExportCredentialInput:
    award_id: strawberry.ID = strawberry.field(description="The award to export.")
    format: CredentialFormat = strawberry.field(
        default=CredentialFormat.DATA_INTEGRITY, description="DATA_INTEGRITY unless asked."
    )


ExportCredentialResult: TypeAlias = Annotated[
    SignedCredential | Failure,
    strawberry.union("ExportCredentialResult", description="The signed credential, or why not."),
]


@strawberry.type(description="One signing key of an issuer, as its DID document lists it.")
class IssuerKey:
    key: strawberry.Private[PublicKey]
    did: strawberry.Private[str]

    @field(description="The verification method id (a DID URL) proofs name.")
    def id(self) -> str:
        return f"{self.did}#{self.key.fragment}"

    @field(description="Ed25519 (Data Integrity proofs) or P-256 (VC-JWT).")
    def algorithm(self) -> str:
        return self.key.kind.value

    @field(description="The public key: a Multikey (z6Mk...) or a JWK as JSON.")
    def public_key(self) -> str:
        return self.key.public

    @field(description="When it was made.")
    def created_at(self) -> datetime:
        return self.key.created_at


@strawberry.type(description="An issuer's signing identity after a key rotation.")
class IssuerKeys:
    did: str = strawberry.field(
        description="The issuer's DID (did:web), the credentials' issuer id."
    )
    did_document_url: str = strawberry.field(description="Where its DID document is served.")
    current: list[IssuerKey] = strawberry.field(description="The keys new credentials use.")
    retired_count: int = strawberry.field(
        description="Earlier keys, still listed in the DID document so old proofs verify."
    )


def issuer_keys(identity: IssuerIdentity) -> IssuerKeys:
    """The keys new credentials use, and how many retired ones the DID document keeps."""
    did = identity.did
    current = [IssuerKey(key=key, did=did) for key in identity.keys if key.retired_at is None]
    retired = len(identity.keys) - len(current)
    return IssuerKeys(
        did=did, did_document_url=identity.did_document_url, current=current, retired_count=retired
    )


@strawberry.input(description="The organisation whose signing keys to replace.")
class RotateIssuerKeysInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The organisation whose signing keys to replace."
    )


RotateIssuerKeysResult: TypeAlias = Annotated[
    IssuerKeys | Failure,
    strawberry.union("RotateIssuerKeysResult", description="The issuer's new keys, or why not."),
]


@describe_values(
    SIGNATURE="The document's proof or JWS signature holds.",
    ISSUER="The signing key is one the named issuer lists.",
    STATUS="The issuer has not revoked or suspended it (its status list).",
    EXPIRY="It is valid today (validFrom and validUntil).",
)
@strawberry.enum(description="What one check of a credential document looks at.")
class VerificationCheckKind(Enum):
    SIGNATURE = "signature"
    ISSUER = "issuer"
    STATUS = "status"
    EXPIRY = "expiry"


@describe_values(
    TAMPERED="The document was changed after signing.",
    WRONG_KEY="Signed with a key its issuer does not list.",
    REVOKED="Revoked by its issuer.",
    SUSPENDED="Suspended by its issuer.",
    EXPIRED="Its validity has ended.",
    NOT_YET_VALID="Its validFrom has not come yet.",
    INVALID="Malformed, or failing in another way.",
)
@strawberry.enum(description="Why a check of a credential document failed.")
class CheckCode(Enum):
    TAMPERED = "TAMPERED"
    WRONG_KEY = "WRONG_KEY"
    REVOKED = "REVOKED"
    SUSPENDED = "SUSPENDED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    INVALID = "INVALID"


@strawberry.type(description="One check of a credential document, with its reason.")
class VerificationCheck:
    check: strawberry.Private[Check]
    name: str = strawberry.field(
        description="signature, issuer, status or expiry (`kind` as text).",
        deprecation_reason="Use `kind`, the same as an enum.",
    )

    @field(description="What this check looks at.")
    def kind(self) -> VerificationCheckKind:
        return VerificationCheckKind(self.name)

    @field(description="True or false; null when it could not be decided.")
    def passed(self) -> bool | None:
        return self.check.passed

    @field(description="What was found, in plain words, safe to show.")
    def reason(self) -> str:
        return self.check.reason

    @field(description="A stable code for a failure, when it has one.")
    def code(self) -> CheckCode | None:
        if self.check.code is None:
            return None
        known = {kind.value for kind in CheckCode}
        return CheckCode(self.check.code) if self.check.code in known else CheckCode.INVALID
