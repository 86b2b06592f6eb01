"""An award as an unsigned Open Badges 3.0 `OpenBadgeCredential` (VCDM 2.0): the
achievement from the badge's standard fields, the issuer's profile, the recipient as a
salted e-mail hash (never the address), evidence, validity and the status entry."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from odznaka_graph.credentials import extension
from odznaka_graph.credentials.jsonld import OB_EXTENSIONS, OB_V3, VC_V2, js_numbers
from odznaka_graph.credentials.signing import xsd_datetime
from odznaka_graph.i18n import pick
from odznaka_graph.standard import BadgeContent, LearningActivity, Outcome

OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
EQF_URL = "https://europass.europa.eu/en/description-eight-eqf-levels"
PQF_URL = "https://prk.men.gov.pl/"
HEADINGS = {"pl": "Efekty uczenia się", "en": "Learning outcomes"}


@dataclass(frozen=True)
class IssuerFacts:
    did: str
    names: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    url: str | None = None


@dataclass(frozen=True)
class AwardFacts:
    award_id: str
    badge_id: str
    badge_kind: str  # MICROCREDENTIAL, BADGE (plain, issue 15) or PEER
    content: BadgeContent
    issued_at: datetime
    expires_at: datetime | None
    evidence: list[dict[str, Any]]
    recipient_email: str
    subject_id: str


def build(
    award: AwardFacts, issuer: IssuerFacts, status: dict[str, Any], base_url: str
) -> dict[str, Any]:
    lang = _language(award.content)
    achievement = _achievement(award, lang, base_url)
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS, extension.context_url(base_url)],
        "id": f"urn:uuid:{award.award_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "description": achievement["description"],
        "issuer": _profile(issuer, lang),
        "validFrom": xsd_datetime(award.issued_at),
        "awardedDate": xsd_datetime(award.issued_at),
        "credentialSubject": {
            "id": award.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [hashed_email(award.recipient_email)],
            "achievement": achievement,
        },
        "credentialStatus": status,
        "credentialSchema": [
            {"id": OB_SCHEMA, "type": SCHEMA_TYPE},
            {"id": extension.schema_url(base_url), "type": SCHEMA_TYPE},
        ],
    }
    if award.expires_at is not None:
        credential["validUntil"] = xsd_datetime(award.expires_at)
    evidence = [_evidence(item) for item in award.evidence]
    if evidence:
        credential["evidence"] = evidence
    return js_numbers(credential)  # type: ignore[no-any-return]


def hashed_email(email: str, salt: str | None = None) -> dict[str, Any]:
    """OB IdentityObject: sha256$hex(SHA-256(address + salt)), a fresh salt each time."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def _language(content: BadgeContent) -> str:
    for lang in ("pl", "en", *content.name):
        if content.name.get(lang):
            return lang
    return "pl"


def _text(texts: dict[str, str], lang: str) -> str:
    return pick(texts, [lang]) or ""


def _profile(issuer: IssuerFacts, lang: str) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": issuer.did,
        "type": ["Profile"],
        "name": _text(issuer.names, lang),
    }
    if issuer.url:
        profile["url"] = issuer.url
    if issuer.descriptions:
        profile["description"] = _text(issuer.descriptions, lang)
    return profile


def _achievement(award: AwardFacts, lang: str, base_url: str) -> dict[str, Any]:
    content = award.content
    name = _text(content.name, lang)
    achievement: dict[str, Any] = {
        "id": f"urn:uuid:{award.badge_id}",
        "type": ["Achievement"],
        "achievementType": "MicroCredential" if award.badge_kind == "MICROCREDENTIAL" else "Badge",
        "name": name,
        "description": _text(content.description, lang) or name,
        "criteria": {"narrative": _criteria(content, lang)},
        "inLanguage": lang,
    }
    if content.image_url is not None:
        achievement["image"] = {"id": str(content.image_url), "type": "Image", "caption": name}
    if content.tags:
        achievement["tag"] = list(content.tags)
    alignments = [_outcome_alignment(award, o, n, lang) for n, o in enumerate(content.outcomes)]
    alignments += _level_alignments(content)
    if alignments:
        achievement["alignment"] = alignments
    details = _details(content)
    if details:
        achievement[extension.TERM] = details
    return achievement


def _criteria(content: BadgeContent, lang: str) -> str:
    parts = [_text(content.how_to_obtain, lang)]
    if content.outcomes:
        parts.append(f"**{HEADINGS.get(lang, HEADINGS['en'])}**")
        for number, outcome in enumerate(content.outcomes, 1):
            lines = [f"{number}. {_text(outcome.description, lang)}"]
            criteria = outcome.check_criteria.get(lang) or next(
                iter(outcome.check_criteria.values()), []
            )
            lines += [f"   - {item}" for item in criteria]
            parts.append("\n".join(lines))
    return "\n\n".join(part for part in parts if part) or _text(content.name, lang)


def _outcome_alignment(
    award: AwardFacts, outcome: Outcome, index: int, lang: str
) -> dict[str, Any]:
    description = _text(outcome.description, lang)
    target = (
        f"urn:uuid:{outcome.skill_id}"
        if outcome.skill_id
        else f"urn:uuid:{award.badge_id}#outcome-{index + 1}"
    )
    return {
        "type": ["Alignment"],
        "targetName": _text(outcome.skill_name, lang) or description[:200],
        "targetDescription": description,
        "targetUrl": target,
        "targetType": "ceasn:Competency",
    }


def _level_alignments(content: BadgeContent) -> list[dict[str, Any]]:
    levels = []
    if content.eqf_level is not None:
        levels.append(("EQF", "European Qualifications Framework", EQF_URL, content.eqf_level))
    if content.pqf_level is not None:
        levels.append(("PQF", "Polska Rama Kwalifikacji", PQF_URL, content.pqf_level))
    return [
        {
            "type": ["Alignment"],
            "targetName": f"{short} level {level}",
            "targetCode": str(level),
            "targetFramework": framework,
            "targetUrl": url,
            "targetType": f"ext:{short}Level",
        }
        for short, framework, url, level in levels
    ]


def _details(content: BadgeContent) -> dict[str, Any]:
    details: dict[str, Any] = {
        "workloadHours": _decimal(content.workload_hours),
        "participationForm": content.form.value if content.form else None,
        "identityVerification": [check.value for check in content.identity_verification],
        "eqfLevel": content.eqf_level,
        "pqfLevel": content.pqf_level,
        "validityDays": content.validity_days,
        "assessment": content.assessment,
        "qualityAssurance": content.quality_assurance,
        "otherConditions": content.other_conditions,
        "accessibility": content.accessibility,
        "evidenceRequired": content.evidence_required,
        "howToObtain": content.how_to_obtain,
        "learningActivities": [_activity(activity) for activity in content.activities],
    }
    if content.cost is not None:
        cost: dict[str, Any] = {"costKind": content.cost.kind.value}
        if content.cost.amount is not None:
            cost |= {"amount": _decimal(content.cost.amount), "currency": content.cost.currency}
        details["cost"] = cost
    return {key: value for key, value in details.items() if value not in (None, {}, [])}


def _activity(activity: LearningActivity) -> dict[str, Any]:
    values: dict[str, Any] = {
        "activityName": activity.name,
        "activityType": activity.type.value,
        "activityDescription": activity.description,
        "startDate": activity.start_date.isoformat() if activity.start_date else None,
        "endDate": activity.end_date.isoformat() if activity.end_date else None,
        "place": activity.place,
        "organiser": activity.organiser,
        "conditions": activity.conditions,
        "activityUrl": str(activity.url) if activity.url else None,
    }
    return {key: value for key, value in values.items() if value not in (None, {})}


def _decimal(value: float | Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _evidence(item: dict[str, Any]) -> dict[str, Any]:
    evidence: dict[str, Any] = {"type": ["Evidence"]}
    if item.get("url"):
        evidence["id"] = item["url"]
    if item.get("narrative"):
        evidence["narrative"] = item["narrative"]
    return evidence
