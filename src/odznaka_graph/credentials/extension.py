"""Our Open Badges 3.0 extension: the national standard's fields OB 3.0 has no term for
(workload in hours, form of participation, cost, learning activities, identity
verification, assessment, quality assurance ...), under one property of the Achievement,
`microcredential`, with its own JSON-LD context and JSON Schema (both served by the API).

The context defines that one property at the top and everything else only inside it (a
property-scoped context), so it never redefines an OB or VC term (both are @protected).
Texts are language maps; decimals are strings (`xsd:decimal`), so every JSON-LD
processor writes the same N-Quads for them."""

from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
TERM = "microcredential"


def context_url(base_url: str) -> str:
    return f"{base_url}/contexts/odznaka/v1"


def schema_url(base_url: str) -> str:
    return f"{base_url}/schemas/odznaka/v1"


def _texts(ns: str, name: str) -> dict[str, str]:
    return {"@id": f"{ns}{name}", "@container": "@language"}


def context(base_url: str) -> dict[str, Any]:
    ns = f"{base_url}/ns/odznaka#"
    texts = [
        "assessment",
        "qualityAssurance",
        "otherConditions",
        "accessibility",
        "evidenceRequired",
        "howToObtain",
        "activityName",
        "activityDescription",
        "conditions",
    ]
    inner: dict[str, Any] = {name: _texts(ns, name) for name in texts}
    inner |= {
        "workloadHours": {"@id": f"{ns}workloadHours", "@type": f"{XSD}decimal"},
        "participationForm": {"@id": f"{ns}participationForm"},
        "identityVerification": {"@id": f"{ns}identityVerification", "@container": "@set"},
        "eqfLevel": {"@id": f"{ns}eqfLevel", "@type": f"{XSD}integer"},
        "pqfLevel": {"@id": f"{ns}pqfLevel", "@type": f"{XSD}integer"},
        "validityDays": {"@id": f"{ns}validityDays", "@type": f"{XSD}integer"},
        "cost": {"@id": f"{ns}cost"},
        "costKind": {"@id": f"{ns}costKind"},
        "amount": {"@id": f"{ns}amount", "@type": f"{XSD}decimal"},
        "currency": {"@id": f"{ns}currency"},
        "learningActivities": {"@id": f"{ns}learningActivities", "@container": "@list"},
        "activityType": {"@id": f"{ns}activityType"},
        "startDate": {"@id": f"{ns}startDate", "@type": f"{XSD}date"},
        "endDate": {"@id": f"{ns}endDate", "@type": f"{XSD}date"},
        "place": {"@id": f"{ns}place"},
        "organiser": {"@id": f"{ns}organiser"},
        "activityUrl": {"@id": f"{ns}activityUrl", "@type": "@id"},
    }
    return {
        "@context": {
            "@version": 1.1,
            "@protected": True,
            TERM: {"@id": f"{ns}{TERM}", "@context": {"@version": 1.1, **inner}},
        }
    }


_TEXTS = {"type": "object", "additionalProperties": {"type": "string"}}
_DECIMAL = {"type": "string", "pattern": r"^\d+(\.\d+)?$"}
_DATE = {"type": "string", "format": "date"}


def schema(base_url: str) -> dict[str, Any]:
    """JSON Schema (2019-09) of a credential carrying our extension."""
    activity = {
        "type": "object",
        "required": ["activityName", "activityType"],
        "additionalProperties": False,
        "properties": {
            "activityName": _TEXTS,
            "activityType": {"type": "string"},
            "activityDescription": _TEXTS,
            "startDate": _DATE,
            "endDate": _DATE,
            "place": {"type": "string"},
            "organiser": {"type": "string"},
            "conditions": _TEXTS,
            "activityUrl": {"type": "string", "format": "uri"},
        },
    }
    cost = {
        "type": "object",
        "required": ["costKind"],
        "additionalProperties": False,
        "properties": {
            "costKind": {"enum": ["FREE", "PAID", "CONTACT_ISSUER"]},
            "amount": _DECIMAL,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
    }
    level = {"type": "integer", "minimum": 1, "maximum": 8}
    extension = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "workloadHours": _DECIMAL,
            "participationForm": {"enum": ["ONLINE", "ON_SITE", "HYBRID"]},
            "identityVerification": {"type": "array", "items": {"type": "string"}},
            "eqfLevel": level,
            "pqfLevel": level,
            "validityDays": {"type": "integer", "minimum": 1},
            "cost": cost,
            "learningActivities": {"type": "array", "items": activity},
            **{name: _TEXTS for name in _TEXT_FIELDS},
        },
    }
    achievement = {"type": "object", "properties": {TERM: extension}}
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": schema_url(base_url),
        "title": "Odznaka+ microcredential extension of an Open Badges 3.0 credential",
        "type": "object",
        "required": ["@context", "credentialSubject"],
        "properties": {
            "@context": {"type": "array", "contains": {"const": context_url(base_url)}},
            "credentialSubject": {
                "type": "object",
                "required": ["achievement"],
                "properties": {"achievement": achievement},
            },
        },
    }


_TEXT_FIELDS = (
    "assessment",
    "qualityAssurance",
    "otherConditions",
    "accessibility",
    "evidenceRequired",
    "howToObtain",
)
