"""Badges: formal microcredentials and club peer badges (kind PEER, no issuer)."""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.badges import ActivityRecord, BadgeRecord, OutcomeRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.args import Lang
from odznaka_graph.schema.clubs import Club
from odznaka_graph.schema.common import (
    NODE_ID,
    Failure,
    Money,
    Node,
    Translation,
    localized,
    localized_name,
    translations_of,
)
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.organizations import Organization
from odznaka_graph.schema.reviews import ReviewEvent, review_events
from odznaka_graph.schema.skills import Skill
from odznaka_graph.services import badge_reads, organization_reads, review_reads
from odznaka_graph.standard import ActivityType, CostKind, Form, IdentityCheck

strawberry.enum(Form, name="BadgeForm", description="How the learning happens.")
describe_values(
    ONLINE="Learning happens online.",
    ON_SITE="Learning happens in a place.",
    HYBRID="Partly online, partly in a place.",
)(Form)
BadgeForm: TypeAlias = Form
strawberry.enum(CostKind, name="CostKind", description="Free, paid, or ask.")
describe_values(
    FREE="No fee.",
    PAID="A fee; see price.",
    CONTACT_ISSUER="A fee the issuer tells on request.",
)(CostKind)
CostKindEnum: TypeAlias = CostKind
strawberry.enum(IdentityCheck, name="IdentityCheck", description="How identity is verified.")
describe_values(
    SELF_DECLARATION="The learner states who they are.",
    EMAIL_VERIFICATION="A verified e-mail address.",
    ID_DOCUMENT="An identity document is checked.",
    PROCTORED_EXAM="A supervised online exam.",
    IN_PERSON="Checked in person.",
    OTHER="Another way, described in the badge.",
)(IdentityCheck)
IdentityCheckEnum: TypeAlias = IdentityCheck
strawberry.enum(ActivityType, name="ActivityType", description="Kind of learning activity.")
describe_values(
    COURSE="A course.",
    WORKSHOP="A workshop.",
    E_LEARNING="Self-paced online learning.",
    EXAM="An exam.",
    EVENT="An event, e.g. a conference.",
    INTERNSHIP="An internship or work placement.",
    OTHER="Another kind of activity.",
)(ActivityType)
ActivityTypeEnum: TypeAlias = ActivityType


@describe_values(
    MICROCREDENTIAL=(
        "A formal microcredential of an organisation, described to the national standard and "
        "quality-reviewed."
    ),
    PEER="A club's peer badge, awarded when enough members vouch; no review.",
    BADGE=(
        "A plain badge of an organisation (a sports club, NGO or school): name, description, "
        "picture and how to earn it; published by its staff without the quality review."
    ),
)
@strawberry.enum(description="Formal microcredential, plain organisation badge or peer badge.")
class BadgeKind(Enum):
    MICROCREDENTIAL = "MICROCREDENTIAL"
    PEER = "PEER"
    BADGE = "BADGE"


@describe_values(
    DRAFT="Being written by its issuer; seen by its staff only.",
    SUBMITTED="Waiting for quality review.",
    PUBLISHED="Approved and in the catalogue; may be awarded.",
    REJECTED="Review refused it (see reviewHistory); it can be changed and submitted again.",
    ARCHIVED="No longer awarded; awards made stay valid.",
)
@strawberry.enum(description="Lifecycle: DRAFT → SUBMITTED → PUBLISHED or REJECTED → ARCHIVED.")
class BadgeStatus(Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    PUBLISHED = "PUBLISHED"
    REJECTED = "REJECTED"
    ARCHIVED = "ARCHIVED"


@strawberry.type(description="The price of a badge.")
class Cost:
    kind: CostKindEnum = strawberry.field(description="Free, paid, or ask the issuer.")
    price: Money | None = strawberry.field(description="The fee when PAID; null otherwise.")


@strawberry.type(description="A learning outcome: a skill with its check criteria.")
class LearningOutcome:
    record: strawberry.Private[OutcomeRecord]

    description = localized("description", "What the learner can do.")

    @field(description="Observable statements checked, in the best language.")
    def check_criteria(self, info: Info, lang: Lang = None) -> list[str]:
        for candidate in info.context.languages(lang.value if lang else None) + ["pl", "en"]:
            if self.record.check_criteria.get(candidate):
                return self.record.check_criteria[candidate]
        return next(iter(self.record.check_criteria.values()), [])

    @field(description="The skill this outcome proves.")
    async def skill(self, info: Info) -> Skill | None:
        record = await info.context.loaders.skill_by_id.load(self.record.skill_id)
        return Skill(record=record) if record else None

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)


@strawberry.type(description="A course, workshop, exam or event that prepares for a badge.")
class LearningActivity:
    record: strawberry.Private[ActivityRecord]

    name = localized_name("name", "The activity's name.")
    description = localized("description", "A short description.")
    conditions = localized("conditions", "Conditions for taking part.")

    @field(description="What kind of activity.")
    def type(self) -> ActivityTypeEnum:
        return ActivityType(self.record.type)

    @field(description="When it starts.")
    def start_date(self) -> date | None:
        return date.fromisoformat(self.record.start_date) if self.record.start_date else None

    @field(description="When it ends.")
    def end_date(self) -> date | None:
        return date.fromisoformat(self.record.end_date) if self.record.end_date else None

    @field(description="Where it takes place.")
    def place(self) -> str | None:
        return self.record.place

    @field(description="Who runs it.")
    def organiser(self) -> str | None:
        return self.record.organiser

    @field(description="Where to read more or sign up.")
    def url(self) -> str | None:
        return self.record.url


@strawberry.type(description="A badge class: what is awarded, described to the standard.")
class Badge(Node):
    record: strawberry.Private[BadgeRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Badge", self.record.id))

    name = localized_name("name", "The badge's name.")
    description = localized("description", "What the badge certifies.")
    assessment = localized("assessment", "How outcomes are assessed, and by which methods.")
    other_conditions = localized("other_conditions", "Other conditions for the award.")
    how_to_obtain = localized("how_to_obtain", "How to obtain the badge.")
    quality_assurance = localized("quality_assurance", "The issuer's quality assurance.")
    accessibility = localized("accessibility", "Accessibility for people with special needs.")
    evidence_required = localized("evidence_required", "Type of evidence required.")

    @field(description="A formal microcredential or a club's peer badge.")
    def kind(self) -> BadgeKind:
        return BadgeKind(self.record.kind)

    @field(description="Where the badge is in its lifecycle.")
    def status(self) -> BadgeStatus:
        return BadgeStatus(self.record.status)

    @field(description="Address of the badge picture.")
    def image_url(self) -> str | None:
        return self.record.image_url

    @field(description="Hours of learning it takes.")
    def workload_hours(self) -> float | None:
        return self.record.workload_hours

    @field(description="How the learning happens.")
    def form(self) -> BadgeForm | None:
        return Form(self.record.form) if self.record.form else None

    @field(description="Free keywords for search, lower case.")
    def tags(self) -> list[str]:
        return self.record.tags

    @field(description="What taking part costs.")
    def cost(self) -> Cost | None:
        r = self.record
        if r.cost_kind is None:
            return None
        price = (
            Money(amount=r.cost_amount, currency=r.cost_currency)
            if r.cost_amount and r.cost_currency
            else None
        )
        return Cost(kind=CostKind(r.cost_kind), price=price)

    @field(description="European Qualifications Framework level, 1–8.")
    def eqf_level(self) -> int | None:
        return self.record.eqf_level

    @field(description="Polish Qualifications Framework level, 1–8.")
    def pqf_level(self) -> int | None:
        return self.record.pqf_level

    @field(description="Days an award stays valid; null: no end.")
    def validity_days(self) -> int | None:
        return self.record.validity_days

    @field(description="How the learner's identity is checked.")
    def identity_verification(self) -> list[IdentityCheckEnum]:
        return [IdentityCheck(value) for value in self.record.identity_verification]

    @field(description="The reviewer's comment on the last review.")
    def review_comment(self) -> str | None:
        return self.record.review_comment

    @field(description="When the badge was first saved.")
    def created_at(self) -> datetime:
        return self.record.created_at

    @field(description="When review approved it; null before.")
    def published_at(self) -> datetime | None:
        return self.record.published_at

    @field(description="The issuing organisation; null for a peer badge.")
    async def issuer(self, info: Info) -> Organization | None:
        if self.record.organization_id is None:
            return None
        loaders = info.context.loaders
        record = await organization_reads.organization(loaders, self.record.organization_id)
        return Organization(record=record) if record else None

    @field(description="The club of a peer badge (if you may see it); null otherwise.")
    async def club(self, info: Info) -> Club | None:
        if self.record.club_id is None:
            return None
        record = await info.context.loaders.visibility.club(self.record.club_id)
        return Club(record=record) if record else None

    @field(description="Learning outcomes, each a skill with check criteria.")
    async def outcomes(self, info: Info) -> list[LearningOutcome]:
        records = await badge_reads.outcomes(info.context.loaders, self.record)
        return [LearningOutcome(record=r) for r in records]

    @field(description="Learning activities that prepare for this badge.")
    async def activities(self, info: Info) -> list[LearningActivity]:
        records = await badge_reads.activities(info.context.loaders, self.record)
        return [LearningActivity(record=r) for r in records]

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)

    @field(description="Submissions and reviews, oldest first (issuer staff, reviewers).")
    async def review_history(self, info: Info) -> list[ReviewEvent]:
        if self.record.organization_id is None:
            return []  # peer badges are not reviewed
        entries = await review_reads.review_history(
            info.context.loaders, "Badge", self.record.id, self.record.organization_id
        )
        return review_events(entries)


BadgeResult: TypeAlias = Annotated[
    Badge | Failure, strawberry.union("BadgeResult", description="The badge, or why not.")
]
