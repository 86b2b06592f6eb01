"""Profiles: skills map, award filters and groups, featured credentials, section
visibility, endorsements and credential verification."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.profiles import (
    AwardGroupRecord,
    EndorsementRecord,
    SkillMapRecord,
)
from odznaka_graph.i18n import pick
from odznaka_graph.ids import local_id
from odznaka_graph.schema.accounts import ProfileVisibility, User, user_or_none
from odznaka_graph.schema.args import Lang
from odznaka_graph.schema.arguments import UserInputError
from odznaka_graph.schema.awards import Award, AwardStatus
from odznaka_graph.schema.badges import Badge, BadgeKind, LearningOutcome
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.organizations import Organization
from odznaka_graph.schema.signed_credentials import VerificationCheck
from odznaka_graph.schema.skills import Skill
from odznaka_graph.services import account_reads, profile_reads
from odznaka_graph.services.profile_reads import SkillStanding
from odznaka_graph.services.profiles import Verification
from odznaka_graph.services.signed_credentials import DocumentCheck


@strawberry.type(description="Who sees each part of the owner's profile (shown to the owner only).")
class ProfileSectionVisibility:
    profile: ProfileVisibility = strawberry.field(
        description="The profile as a whole; no section is ever more visible than this."
    )
    awards: ProfileVisibility = strawberry.field(description="The credentials list and groups.")
    skills: ProfileVisibility = strawberry.field(description="The skills map.")
    featured: ProfileVisibility = strawberry.field(description="The featured credentials.")
    contacts: ProfileVisibility = strawberry.field(description="The number of contacts.")


@strawberry.type(description="One skill on a skills map, proven by valid credentials.")
class SkillMapEntry:
    record: strawberry.Private[SkillMapRecord]
    level: int = strawberry.field(
        description="1–5: 1 for one valid credential, +1 for each further one (at most +2), "
        "+1 if a proving badge is at EQF level 4 or above, +1 more at EQF 6 or above."
    )
    visible_awards: strawberry.Private[list[AwardRecord]]

    @field(description="The skill.")
    def skill(self) -> Skill:
        return Skill(record=self.record.skill)

    @field(description="How many valid (not revoked, not expired) credentials prove it.")
    def credential_count(self) -> int:
        return len(self.record.awards)

    @field(description="The highest EQF level among the badges that prove it.")
    def max_eqf_level(self) -> int | None:
        return self.record.max_eqf_level

    @field(
        description="The valid credentials proving it, newest first; only those the viewer "
        "may see (the awards section, or featured ones with the featured section)."
    )
    def credentials(self) -> list[Award]:
        return [Award(record=record) for record in self.visible_awards]

    @field(description="The learning outcomes those credentials' badges cover.")
    def outcomes(self) -> list[LearningOutcome]:
        return [LearningOutcome(record=record) for record in self.record.outcomes]


@strawberry.input(description="Credential filters; all given ones must hold.")
class AwardFilter:
    status: list[AwardStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    issuer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Badges issued by this organisation."
    )
    skill_id: strawberry.ID | None = strawberry.field(
        default=None, description="Badges that teach this skill."
    )
    kind: BadgeKind | None = strawberry.field(default=None, description="Formal or peer badges.")


@describe_values(
    ISSUER="By the organisation (or club) that issued them.",
    SKILL="By the skills they prove.",
)
@strawberry.enum(description="How to group a profile's credentials.")
class AwardGrouping(Enum):
    ISSUER = "ISSUER"
    SKILL = "SKILL"


@strawberry.type(
    description="Credentials sharing an issuer or a skill: the count and the newest few. "
    "Page through a whole group with `User.awards(filter: {issuerId})` or `{skillId}`."
)
class AwardGroup:
    key: strawberry.Private[str]
    by: strawberry.Private[AwardGrouping]
    count: int = strawberry.field(description="Credentials in the group (after the filter).")
    newest_records: strawberry.Private[list[AwardRecord]]

    @field(description="The issuer, when grouped by ISSUER.")
    async def issuer(self, info: Info) -> Organization | None:
        if self.by != AwardGrouping.ISSUER:
            return None
        record = await info.context.loaders.organization_by_id.load(self.key)
        return Organization(record=record) if record else None

    @field(description="The skill, when grouped by SKILL.")
    async def skill(self, info: Info) -> Skill | None:
        if self.by != AwardGrouping.SKILL:
            return None
        record = await info.context.loaders.skill_by_id.load(self.key)
        return Skill(record=record) if record else None

    @field(description="The group's newest credentials (at most `preview` of them).")
    def newest(self) -> list[Award]:
        return [Award(record=record) for record in self.newest_records]


@strawberry.type(description="Another user's endorsement of a credential.")
class Endorsement:
    record: strawberry.Private[EndorsementRecord]

    @field(description="What the endorser wrote.")
    def comment(self) -> str | None:
        return self.record.comment

    @field(description="When the endorsement was first given.")
    def endorsed_at(self) -> datetime:
        return self.record.at

    @field(description="When the comment was last changed.")
    def updated_at(self) -> datetime | None:
        return self.record.updated_at

    @field(description="Who endorsed it; null when their profile is hidden from you.")
    async def endorser(self, info: Info) -> User | None:
        return user_or_none(await account_reads.user(info.context.loaders, self.record.endorser_id))

    @field(description="The endorsed credential.")
    async def award(self, info: Info) -> Award | None:
        record = await info.context.loaders.visibility.award(self.record.award_id)
        return Award(record=record) if record else None


@describe_values(
    DATA_INTEGRITY="Open Badges 3.0 JSON-LD with an embedded Data Integrity proof.",
    VC_JWT="Open Badges 3.0 as a compact JWS (VC-JWT).",
    OB2="An Open Badges 2.0 assertion (recognised, not checked here).",
    UNKNOWN="Not a credential document we recognise.",
)
@strawberry.enum(description="How a pasted credential document is made.")
class DocumentFormat(Enum):
    DATA_INTEGRITY = "DATA_INTEGRITY"
    VC_JWT = "VC_JWT"
    OB2 = "OB2"
    UNKNOWN = "UNKNOWN"


@describe_values(
    AUTHENTIC_VALID="Issued by us (or correctly signed) and valid now.",
    EXPIRED="Authentic, but its validity has ended.",
    REVOKED="Authentic, but revoked by its issuer.",
    UNKNOWN="Not a credential we can confirm.",
    PENDING_CLAIM="Awarded to an address nobody has verified yet.",
)
@strawberry.enum(description="What a verification found.")
class CredentialVerificationStatus(Enum):
    AUTHENTIC_VALID = "AUTHENTIC_VALID"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    UNKNOWN = "UNKNOWN"
    PENDING_CLAIM = "PENDING_CLAIM"
    SUSPENDED = strawberry.enum_value("SUSPENDED", description="A document its issuer suspended.")
    NOT_YET_VALID = strawberry.enum_value(
        "NOT_YET_VALID", description="A document whose validFrom has not come yet."
    )
    INVALID = strawberry.enum_value(
        "INVALID",
        description="A document whose signature does not hold, or that its issuer did not sign.",
    )
    UNVERIFIED = strawberry.enum_value(
        "UNVERIFIED",
        description="A document that could not be fully checked (a key, context or status list "
        "could not be had, or a format not checked here); see `checks`.",
    )


@strawberry.type(
    description="Whether a credential was issued here and counts now, and why. Its dates, "
    "badge and issuer are public to whoever has the id; the award (and so its holder) "
    "only to viewers who may see it."
)
class CredentialVerification:
    status: CredentialVerificationStatus = strawberry.field(
        description="AUTHENTIC_VALID only when issued here, claimed, not revoked, not expired."
    )
    reasons: list[str] = strawberry.field(description="Plain-language findings, safe to show.")
    credential: strawberry.Private[AwardRecord | None]
    holder_shown: strawberry.Private[bool]
    badge_names: strawberry.Private[dict[str, str]]
    issuer_id: strawberry.Private[str | None]
    document_checks: strawberry.Private[list[VerificationCheck] | None] = None
    document_format: strawberry.Private[str | None] = None

    @field(description="For a pasted document: how it is made (null for an award id).")
    def format(self) -> DocumentFormat | None:
        return None if self.document_format is None else DocumentFormat(self.document_format)

    @field(
        description="For a pasted document: signature, issuer, status and expiry, each "
        "with a reason (empty for an award id: `reasons` tell what the ledger says)."
    )
    def checks(self) -> list[VerificationCheck]:
        return self.document_checks or []

    @field(description="The award, when the viewer may see it (and its holder).")
    def award(self) -> Award | None:
        return Award(record=self.credential) if self.credential and self.holder_shown else None

    @field(description="The badge's name in the best matching language.")
    def badge_name(self, info: Info, lang: Lang = None) -> str | None:
        return pick(self.badge_names, info.context.languages(lang.value if lang else None))

    @field(description="The issuer's name in the best matching language.")
    async def issuer_name(self, info: Info, lang: Lang = None) -> str | None:
        if self.issuer_id is None:
            return None
        org = await info.context.loaders.organization_by_id.load(self.issuer_id)
        texts = org.texts.get("name") if org else None
        return pick(texts, info.context.languages(lang.value if lang else None))

    @field(description="The badge, when the viewer may see it.")
    async def badge(self, info: Info) -> Badge | None:
        if self.credential is None:
            return None
        record = await info.context.loaders.visibility.badge(self.credential.badge_id)
        return Badge(record=record) if record else None

    @field(description="When it was issued (null when unknown).")
    def issued_at(self) -> datetime | None:
        return self.credential.issued_at if self.credential else None

    @field(description="When it stops counting, if ever.")
    def expires_at(self) -> datetime | None:
        return self.credential.expires_at if self.credential else None

    @field(description="When the issuer revoked it, if it did.")
    def revoked_at(self) -> datetime | None:
        return self.credential.revoked_at if self.credential else None

    @field(description="The issuer's reason for revoking it.")
    def revoke_reason(self) -> str | None:
        return self.credential.revoke_reason if self.credential else None


@strawberry.input(description="Up to six of your own valid credentials, in display order.")
class SetFeaturedAwardsInput:
    award_ids: list[strawberry.ID] = strawberry.field(description="An empty list clears them.")


@strawberry.input(description="Who sees each part of your profile; omitted parts stay as they are.")
class UpdateProfileVisibilityInput:
    profile: ProfileVisibility | None = strawberry.field(
        default=None, description="Who sees the profile at all."
    )
    awards: ProfileVisibility | None = strawberry.field(
        default=None, description="Who sees your credentials."
    )
    skills: ProfileVisibility | None = strawberry.field(
        default=None, description="Who sees your skills map."
    )
    featured: ProfileVisibility | None = strawberry.field(
        default=None, description="Who sees your featured credentials."
    )
    contacts: ProfileVisibility | None = strawberry.field(
        default=None, description="Who sees your contacts."
    )


@strawberry.input(description="Endorse another user's valid credential.")
class EndorseAwardInput:
    award_id: strawberry.ID = strawberry.field(description="The award to endorse.")
    comment: str | None = strawberry.field(
        default=None, description="Up to 1000 characters; endorsing again replaces it."
    )


EndorsementResult: TypeAlias = Annotated[
    Endorsement | Failure,
    strawberry.union("EndorsementResult", description="The endorsement, or why not."),
]


# Converters from the read views' records (services/profile_reads.py) to these types, for
# the profile fields on User (schema/user_profile.py) and Award.endorsements.


def award_filter(given: AwardFilter | None) -> profile_reads.AwardFilter:
    """The filter as the read view takes it; a wrong kind of id is a bad argument."""
    if given is None:
        return profile_reads.AwardFilter()
    return profile_reads.AwardFilter(
        statuses=tuple(status.value for status in given.status or []),
        issuer_id=_filter_id(given.issuer_id, "Organization", "issuerId"),
        skill_id=_filter_id(given.skill_id, "Skill", "skillId"),
        kind=given.kind.value if given.kind else None,
    )


def _filter_id(global_id: str | None, type_name: str, name: str) -> str | None:
    if global_id is None:
        return None
    decoded = local_id(global_id, type_name)
    if decoded is None:
        raise UserInputError(f"`{name}` is not the id of a {type_name}.")
    return decoded


def award_groups(groups: list[AwardGroupRecord], by: AwardGrouping) -> list[AwardGroup]:
    return [AwardGroup(key=g.key, by=by, count=g.count, newest_records=g.newest) for g in groups]


def skill_map(standings: list[SkillStanding]) -> list[SkillMapEntry]:
    return [
        SkillMapEntry(record=s.entry, level=s.level, visible_awards=s.awards) for s in standings
    ]


def section_visibility(levels: dict[str, str] | None) -> ProfileSectionVisibility | None:
    if levels is None:
        return None
    return ProfileSectionVisibility(**{k: ProfileVisibility(v) for k, v in levels.items()})


async def endorsement_count(info: Info, award_id: str) -> int:
    """Award.endorsementCount."""
    return await profile_reads.endorsement_count(info.context.loaders, award_id)


# What verifyCredential answers, from the services' findings.
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


def award_verification(found: Verification) -> CredentialVerification:
    """verifyCredential(awardId:): what the ledger says of one of our awards."""
    return CredentialVerification(
        status=CredentialVerificationStatus(found.status),
        reasons=found.reasons,
        credential=found.credential,
        holder_shown=found.holder_shown,
        badge_names=found.badge_names or {},
        issuer_id=found.issuer_id,
    )


def document_verification(found: DocumentCheck) -> CredentialVerification:
    """verifyCredential(document:): anyone's Open Badges 3.0 credential, pasted."""
    report = found.report
    hidden = found.award is not None and not found.award_shown
    return CredentialVerification(
        status=OUTCOMES[report.outcome],
        reasons=[*report.reasons, HOLDER_HIDDEN] if hidden else report.reasons,
        credential=found.award,
        holder_shown=found.award_shown,
        badge_names=found.badge_names or {},
        issuer_id=found.organization_id,
        document_checks=[VerificationCheck(check=c, name=n) for n, c in report.checks.items()],
        document_format=report.format,
    )
