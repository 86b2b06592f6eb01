"""Exporting awards as signed Open Badges 3.0 credentials, and rotating issuer keys."""

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.credentials.did import did_for
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.profiles import CredentialVerification, CredentialVerificationStatus
from odznaka_graph.schema.signed_credentials import (
    ExportCredentialInput,
    ExportCredentialResult,
    IssuerKey,
    IssuerKeys,
    RotateIssuerKeysInput,
    RotateIssuerKeysResult,
    SignedCredential,
    VerificationCheck,
)
from odznaka_graph.services.signed_credentials import CredentialFormat, IssuedCredential

OUTCOMES = {
    "VALID": CredentialVerificationStatus.AUTHENTIC_VALID,
    "REVOKED": CredentialVerificationStatus.REVOKED,
    "SUSPENDED": CredentialVerificationStatus.SUSPENDED,
    "EXPIRED": CredentialVerificationStatus.EXPIRED,
    "NOT_YET_VALID": CredentialVerificationStatus.NOT_YET_VALID,
    "INVALID": CredentialVerificationStatus.INVALID,
    "UNVERIFIED": CredentialVerificationStatus.UNVERIFIED,
}
HOLDER_HIDDEN = "The holder does not share this credential with you, so the holder is not shown."


async def document_verification(info: Info, text: str) -> CredentialVerification:
    """verifyCredential(document:): anyone's Open Badges 3.0 credential, pasted."""
    found = await info.context.services.signed_credentials.check_document(info.context.viewer, text)
    report = found.report
    reasons = report.reasons
    if found.award is not None and not found.award_shown:
        reasons.append(HOLDER_HIDDEN)
    return CredentialVerification(
        status=OUTCOMES[report.outcome],
        reasons=reasons,
        credential=found.award,
        holder_shown=found.award_shown,
        badge_names=found.badge_names or {},
        issuer_id=found.organization_id,
        document_checks=[VerificationCheck(check=c, name=n) for n, c in report.checks.items()],
        document_format=report.format,
    )


async def _signed(issued: IssuedCredential) -> SignedCredential:
    return SignedCredential(record=issued)


async def issuer_keys(info: Info, issuer_id: str) -> IssuerKeys:
    base = info.context.services.stores.settings.public_base_url
    did = did_for(base, issuer_id)
    keys = await info.context.services.signed_credentials.issuer_keys(issuer_id)
    current = [IssuerKey(key=key, did=did) for key in keys if key.retired_at is None]
    url = f"{base}/issuers/{issuer_id}/did.json"
    return IssuerKeys(
        did=did, did_document_url=url, current=current, retired_count=len(keys) - len(current)
    )


@strawberry.type
class SignedCredentialMutations:
    @mutation(
        description="An award as a signed Open Badges 3.0 credential (DATA_INTEGRITY or "
        "VC_JWT), for whoever may see the award. Signed on the first export and kept: "
        "exporting again (any time, by anyone allowed) returns the very same document, so "
        "no idempotency key is needed. Pending and revoked awards are not exported anew."
    )
    async def export_credential(
        self, info: Info, input: ExportCredentialInput
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
        self, info: Info, input: RotateIssuerKeysInput
    ) -> RotateIssuerKeysResult:
        async def command() -> str:
            org_id = local(input.organization_id, "Organization", "organizationId")
            return await info.context.services.signed_credentials.rotate_keys(
                info.context.viewer, org_id
            )

        async def keys(org_id: str) -> IssuerKeys:
            return await issuer_keys(info, org_id)

        return await as_result(command(), keys)
