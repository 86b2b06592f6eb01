"""The inputs that describe a badge (to the standard) and the badge mutations' inputs,
and the input as plain data for the standard's model."""

from datetime import date
from enum import Enum
from typing import Any

import strawberry

from odznaka_graph.schema.badges import (
    ActivityTypeEnum,
    BadgeForm,
    BadgeKind,
    CostKindEnum,
    IdentityCheckEnum,
)
from odznaka_graph.schema.common import Language, TextInput, texts_input


@strawberry.input(description="Price: FREE, PAID with amount and currency, or CONTACT_ISSUER.")
class CostInput:
    kind: CostKindEnum = strawberry.field(description="Free, paid, or ask the issuer.")
    amount: str | None = strawberry.field(
        default=None, description="Decimal amount as text when PAID, e.g. 199.00."
    )
    currency: str | None = strawberry.field(default=None, description="ISO 4217 code, e.g. PLN.")


@strawberry.input(description="Check criteria in one language.")
class CriteriaInput:
    lang: Language = strawberry.field(description="Their language.")
    items: list[str] = strawberry.field(description="The criteria, one line each.")


@strawberry.input(description="A learning outcome: an existing skill (skillId) or a new one.")
class OutcomeInput:
    skill_id: strawberry.ID | None = strawberry.field(
        default=None, description="A known skill; or give skillName."
    )
    skill_name: list[TextInput] | None = strawberry.field(
        default=None, description="A skill by name, made if new; or give skillId."
    )
    description: list[TextInput] = strawberry.field(
        description="What the learner can do, per language."
    )
    check_criteria: list[CriteriaInput] = strawberry.field(
        description="How the outcome is checked, per language."
    )


@strawberry.input(description="A course, workshop or other activity leading to a badge.")
class LearningActivityInput:
    name: list[TextInput] = strawberry.field(description="Its name, per language.")
    type: ActivityTypeEnum = strawberry.field(description="What kind of activity.")
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What it is, per language."
    )
    start_date: date | None = strawberry.field(default=None, description="When it starts.")
    end_date: date | None = strawberry.field(default=None, description="When it ends.")
    place: str | None = strawberry.field(default=None, description="Where it takes place.")
    organiser: str | None = strawberry.field(default=None, description="Who runs it.")
    conditions: list[TextInput] | None = strawberry.field(
        default=None, description="Conditions to take part, per language."
    )
    url: str | None = strawberry.field(default=None, description="Where to read more or sign up.")


@strawberry.input(description="A badge described to the standard; drafts may leave gaps.")
class BadgeContentInput:
    name: list[TextInput] = strawberry.field(
        description="The badge's name, per language (Polish required to submit)."
    )
    description: list[TextInput] | None = strawberry.field(
        default=None, description="What the badge stands for, per language."
    )
    image_url: str | None = strawberry.field(
        default=None, description="Address of the badge picture."
    )
    outcomes: list[OutcomeInput] | None = strawberry.field(
        default=None, description="Learning outcomes: skills and how each is checked."
    )
    assessment: list[TextInput] | None = strawberry.field(
        default=None, description="How learning is checked, per language."
    )
    identity_verification: list[IdentityCheckEnum] | None = strawberry.field(
        default=None, description="How the learner's identity is checked."
    )
    other_conditions: list[TextInput] | None = strawberry.field(
        default=None, description="Any other conditions, per language."
    )
    workload_hours: float | None = strawberry.field(
        default=None, description="Hours of learning it takes."
    )
    form: BadgeForm | None = strawberry.field(default=None, description="How the learning happens.")
    how_to_obtain: list[TextInput] | None = strawberry.field(
        default=None, description="Steps to earn it, per language."
    )
    quality_assurance: list[TextInput] | None = strawberry.field(
        default=None, description="How the issuer assures quality, per language."
    )
    tags: list[str] | None = strawberry.field(default=None, description="Free keywords for search.")
    cost: CostInput | None = strawberry.field(default=None, description="What taking part costs.")
    accessibility: list[TextInput] | None = strawberry.field(
        default=None, description="How people with disabilities can take part."
    )
    activities: list[LearningActivityInput] | None = strawberry.field(
        default=None, description="The courses, workshops and other activities that lead to it."
    )
    eqf_level: int | None = strawberry.field(
        default=None, description="European Qualifications Framework level, 1–8."
    )
    pqf_level: int | None = strawberry.field(
        default=None, description="Polish Qualifications Framework level, 1–8."
    )
    validity_days: int | None = strawberry.field(
        default=None, description="Days an award stays valid; leave out for no end."
    )
    evidence_required: list[TextInput] | None = strawberry.field(
        default=None, description="What a learner must show, per language."
    )


@strawberry.input(description="A new badge, saved as a draft.")
class CreateBadgeInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The issuing organisation (you must be its staff)."
    )
    content: BadgeContentInput = strawberry.field(
        description="What the badge says, to the national standard."
    )
    kind: BadgeKind = strawberry.field(
        default=BadgeKind.MICROCREDENTIAL,
        description="MICROCREDENTIAL (the standard in full, then review) or BADGE (a plain "
        "badge: name, description, picture and howToObtain; published with publishBadge).",
    )


@strawberry.input(description="New content for a draft or rejected badge.")
class UpdateBadgeInput:
    badge_id: strawberry.ID = strawberry.field(description="The badge.")
    content: BadgeContentInput = strawberry.field(
        description="The whole content, replacing the old."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="Refuse the update if someone saved a newer version."
    )


@strawberry.input(description="One badge.")
class BadgeIdInput:
    badge_id: strawberry.ID = strawberry.field(description="The badge.")


@strawberry.input(description="A reviewer's decision on a submitted badge.")
class ReviewBadgeInput:
    badge_id: strawberry.ID = strawberry.field(description="The submitted badge.")
    approve: bool = strawberry.field(description="True publishes it; false rejects it.")
    comment: str | None = strawberry.field(default=None, description="Required to reject.")


def content_data(content: BadgeContentInput) -> dict[str, Any]:
    """The input as plain data for the standard's model (which validates it)."""
    data: dict[str, Any] = {}
    for name, value in vars(content).items():
        if value is None or value is strawberry.UNSET:
            continue
        data[name] = _plain(value)
    return data | {"name": texts_input(content.name)}


def _plain(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], TextInput):
        return {item.lang.value: item.text for item in value}
    if isinstance(value, list) and value and isinstance(value[0], CriteriaInput):
        return {item.lang.value: item.items for item in value}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__strawberry_definition__"):
        return {k: _plain(v) for k, v in vars(value).items() if v is not None}
    return value
