"""An award as the claims of an SD-JWT VC of type "Odznaka microcredential": the fields of
the Polish microcredential standard (and the EU Council's elements, named as the EU
reference learning credential names them where it has a name) as selectively disclosable
claims, and the type metadata served at the `vct` address."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from odznaka_graph.credentials.document import AwardFacts, IssuerFacts
from odznaka_graph.i18n import pick

VCT_PATH = "/vct/odznaka-microcredential/v1"
CONFIGURATION_ID = "odznaka_microcredential_dc_sd_jwt"
COUNTRY = "PL"

# name -> (Polish label, English label); the order is the order wallets show them in.
LABELS: dict[str, tuple[str, str]] = {
    "achievement_title": ("Nazwa mikropoświadczenia", "Title"),
    "achievement_description": ("Opis", "Description"),
    "issuing_authority": ("Wydawca", "Awarding body"),
    "issuing_country": ("Kraj wydawcy", "Country of the issuer"),
    "date_of_issuance": ("Data wydania", "Date of issuing"),
    "date_of_expiry": ("Ważne do", "Valid until"),
    "learner_identification": ("Identyfikator osoby uczącej się", "Learner identifier"),
    "learning_outcomes": ("Efekty uczenia się", "Learning outcomes"),
    "expected_study_time": ("Nakład pracy", "Notional workload"),
    "level_of_learning_experience": ("Poziom ERK", "EQF level"),
    "pqf_level": ("Poziom PRK", "PQF level"),
    "form_of_participation": ("Forma udziału", "Form of participation"),
    "assessment_methods": ("Sposób weryfikacji efektów", "Type of assessment"),
    "identity_verification": ("Weryfikacja tożsamości", "Identity verification"),
    "types_of_quality_assurance": ("Zapewnienie jakości", "Type of quality assurance"),
    "prerequisites_to_enroll": ("Warunki uczestnictwa", "Prerequisites"),
    "achievement_image": ("Grafika", "Image"),
    "achievement_id": ("Identyfikator odznaki", "Badge identifier"),
}
NAMES = {"pl": "Mikropoświadczenie Odznaka+", "en": "Odznaka+ microcredential"}
DESCRIPTIONS = {
    "pl": "Mikropoświadczenie wydane w systemie Odznaka+ zgodnie z polskim standardem.",
    "en": "A microcredential issued on Odznaka+ to the Polish microcredential standard.",
}


def vct(base_url: str) -> str:
    return base_url + VCT_PATH


def disclosable(award: AwardFacts, issuer: IssuerFacts) -> dict[str, Any]:
    """Every claim the holder chooses to show or not; empty ones are left out."""
    content = award.content
    claims: dict[str, Any] = {
        "achievement_title": _text(content.name),
        "achievement_description": _text(content.description),
        "issuing_authority": _text(issuer.names),
        "issuing_country": COUNTRY,
        "date_of_issuance": award.issued_at.date().isoformat(),
        "date_of_expiry": award.expires_at.date().isoformat() if award.expires_at else None,
        "learner_identification": award.subject_id,
        "learning_outcomes": [_text(outcome.description) for outcome in content.outcomes],
        "expected_study_time": _hours(content.workload_hours),
        "level_of_learning_experience": content.eqf_level,
        "pqf_level": content.pqf_level,
        "form_of_participation": content.form.value if content.form else None,
        "assessment_methods": _text(content.assessment),
        "identity_verification": [check.value for check in content.identity_verification],
        "types_of_quality_assurance": _text(content.quality_assurance),
        "prerequisites_to_enroll": _text(content.other_conditions),
        "achievement_image": str(content.image_url) if content.image_url else None,
        "achievement_id": f"urn:uuid:{award.badge_id}",
    }
    return {name: value for name, value in claims.items() if value not in (None, "", [])}


def type_metadata(base_url: str) -> dict[str, Any]:
    """SD-JWT VC type metadata: names, and each claim's labels, always disclosable."""
    return {
        "vct": vct(base_url),
        "name": NAMES["en"],
        "description": DESCRIPTIONS["en"],
        "display": [
            {"locale": lang, "name": NAMES[lang], "description": DESCRIPTIONS[lang]}
            for lang in ("pl", "en")
        ],
        "claims": [
            {"path": [name], "display": list(_labels(name, "label")), "sd": "always"}
            for name in LABELS
        ],
    }


def issuer_claims_metadata() -> list[dict[str, Any]]:
    """The claims as the credential issuer metadata lists them (OpenID4VCI 1.0)."""
    return [{"path": [name], "display": list(_labels(name, "name"))} for name in LABELS]


def display() -> list[dict[str, str]]:
    return [
        {"name": NAMES[lang], "locale": lang, "description": DESCRIPTIONS[lang]}
        for lang in ("pl", "en")
    ]


def _labels(name: str, key: str) -> Iterator[dict[str, str]]:
    polish, english = LABELS[name]
    yield {"locale": "pl", key: polish}
    yield {"locale": "en", key: english}


def _text(texts: dict[str, str]) -> str | None:
    return pick(texts, ["pl"])


def _hours(hours: float | None) -> str | None:
    """ISO 8601 duration: PT30H."""
    if hours is None:
        return None
    return f"PT{format(Decimal(str(hours)).normalize(), 'f')}H"
