"""The national microcredential standard: what a badge describes, and what is mandatory."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl

from odznaka_graph.i18n import LANGUAGES


def _known_languages(texts: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unsupported language(s): {', '.join(unknown)}")
    return {lang: text.strip() for lang, text in texts.items() if text.strip()}


Texts = Annotated[
    dict[str, Annotated[str, Field(max_length=20000)]], AfterValidator(_known_languages)
]
TextLists = dict[str, list[Annotated[str, Field(min_length=1, max_length=2000)]]]


class Form(StrEnum):
    ONLINE = "ONLINE"
    ON_SITE = "ON_SITE"
    HYBRID = "HYBRID"


class CostKind(StrEnum):
    FREE = "FREE"
    PAID = "PAID"
    CONTACT_ISSUER = "CONTACT_ISSUER"


class IdentityCheck(StrEnum):
    SELF_DECLARATION = "SELF_DECLARATION"
    EMAIL_VERIFICATION = "EMAIL_VERIFICATION"
    ID_DOCUMENT = "ID_DOCUMENT"
    PROCTORED_EXAM = "PROCTORED_EXAM"
    IN_PERSON = "IN_PERSON"
    OTHER = "OTHER"


class ActivityType(StrEnum):
    COURSE = "COURSE"
    WORKSHOP = "WORKSHOP"
    E_LEARNING = "E_LEARNING"
    EXAM = "EXAM"
    EVENT = "EVENT"
    INTERNSHIP = "INTERNSHIP"
    OTHER = "OTHER"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cost(Model):
    kind: CostKind
    amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")

    def model_post_init(self, _context: object) -> None:
        if self.kind == CostKind.PAID and (self.amount is None or self.currency is None):
            raise ValueError("a paid badge needs an amount and a currency")


class Outcome(Model):
    skill_id: str | None = None
    skill_name: Texts = Field(default_factory=dict)
    description: Texts
    check_criteria: TextLists = Field(default_factory=dict)


class LearningActivity(Model):
    name: Texts
    type: ActivityType
    description: Texts = Field(default_factory=dict)
    start_date: date | None = None
    end_date: date | None = None
    place: str | None = Field(None, max_length=300)
    organiser: str | None = Field(None, max_length=300)
    conditions: Texts = Field(default_factory=dict)
    url: HttpUrl | None = None


class BadgeContent(Model):
    """Everything the standard lets an issuer describe; drafts may leave gaps."""

    name: Texts
    description: Texts = Field(default_factory=dict)
    image_url: HttpUrl | None = None
    outcomes: list[Outcome] = Field(default_factory=list, max_length=50)
    assessment: Texts = Field(default_factory=dict)
    identity_verification: list[IdentityCheck] = Field(default_factory=list)
    other_conditions: Texts = Field(default_factory=dict)
    workload_hours: float | None = Field(None, gt=0, le=10000)
    form: Form | None = None
    how_to_obtain: Texts = Field(default_factory=dict)
    quality_assurance: Texts = Field(default_factory=dict)
    tags: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=30
    )
    cost: Cost | None = None
    accessibility: Texts = Field(default_factory=dict)
    activities: list[LearningActivity] = Field(default_factory=list, max_length=50)
    eqf_level: int | None = Field(None, ge=1, le=8)
    pqf_level: int | None = Field(None, ge=1, le=8)
    validity_days: int | None = Field(None, gt=0, le=36500)
    evidence_required: Texts = Field(default_factory=dict)


MANDATORY_TEXTS = ("name", "description", "assessment", "how_to_obtain", "quality_assurance")


def missing_for_review(content: BadgeContent) -> dict[str, str]:
    """Per-field messages for what the standard requires before review."""
    missing = {
        field: "Required by the microcredential standard."
        for field in MANDATORY_TEXTS
        if not getattr(content, field)
    }
    if content.image_url is None:
        missing["image_url"] = "A badge needs an image."
    if not content.outcomes:
        missing["outcomes"] = "Describe at least one learning outcome."
    for index, outcome in enumerate(content.outcomes):
        if not any(outcome.check_criteria.values()):
            missing[f"outcomes.{index}.check_criteria"] = "Each outcome needs check criteria."
    if not content.identity_verification:
        missing["identity_verification"] = "Say how identity is verified."
    if content.workload_hours is None:
        missing["workload_hours"] = "Give the workload in hours."
    if content.form is None:
        missing["form"] = "Say whether it is online, on site or hybrid."
    return missing
