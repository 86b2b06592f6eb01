"""Open Badges 2.0 documents (hosted verification): Assertion, BadgeClass, issuer Profile.

Texts are plain strings in OB 2.0, so each document is written in one language (the
client's best match, Polish by default). The recipient is a salted SHA-256 of an e-mail
address; the salt comes from the award id, so the hosted copy never changes."""

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from odznaka_graph.i18n import pick
from odznaka_graph.sharing.links import Links
from odznaka_graph.sharing.view import BadgeView, CredentialView, IssuerView

CONTEXT = "https://w3id.org/openbadges/v2"
MEDIA_TYPE = "application/ld+json"
EQF_URL = "https://europa.eu/europass/en/description-eight-eqf-levels"


def recipient_salt(award_id: str) -> str:
    return hashlib.sha256(f"odznaka-ob2:{award_id}".encode()).hexdigest()[:16]


def hashed_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def assertion(view: CredentialView, links: Links) -> dict[str, Any]:
    award = view.award
    salt = recipient_salt(award.id)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": links.assertion(award.id),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hashed_identity(view.recipient_email or "", salt),
        },
        "badge": links.badge(award.badge_id),
        "verification": {"type": "hosted"},
        "issuedOn": _iso(award.issued_at),
        "image": links.baked_png(award.id),
    }
    if award.expires_at is not None:
        document["expires"] = _iso(award.expires_at)
    evidence = [
        _evidence(item) for item in award.evidence if item.get("url") or item.get("narrative")
    ]
    if evidence:
        document["evidence"] = evidence
    if award.revoked_at is not None:
        document["revoked"] = True
        document["revocationReason"] = award.revoke_reason or "Revoked by the issuer."
    return document


def _evidence(item: dict[str, str]) -> dict[str, str]:
    found = {"type": "Evidence"}
    if item.get("url"):
        found["id"] = item["url"]
    if item.get("narrative"):
        found["narrative"] = item["narrative"]
    return found


def badge_class(badge: BadgeView, links: Links, languages: Sequence[str]) -> dict[str, Any]:
    record = badge.record
    texts = record.texts
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": links.badge(record.id),
        "name": pick(badge.names, languages) or "",
        "description": pick(texts.get("description"), languages) or "",
        "image": record.image_url or links.badge_image(record.id),
        "criteria": {"narrative": _criteria(badge, languages)},
        "issuer": links.issuer(badge.issuer.id) if badge.issuer else None,
        "tags": list(record.tags),
    }
    alignment = _alignments(badge, links, languages)
    if alignment:
        document["alignment"] = alignment
    return document


def _criteria(badge: BadgeView, languages: Sequence[str]) -> str:
    """Markdown: how to obtain it, then each outcome with its check criteria."""
    parts = [pick(badge.record.texts.get("how_to_obtain"), languages) or ""]
    for outcome in badge.outcomes:
        parts.append(f"- {pick(outcome.descriptions, languages) or ''}")
        criteria = _pick_list(outcome.criteria, languages)
        parts.extend(f"  - {item}" for item in criteria)
    return "\n".join(part for part in parts if part.strip())


def _pick_list(lists: dict[str, list[str]], languages: Sequence[str]) -> list[str]:
    for lang in (*languages, "pl", "en"):
        if lists.get(lang):
            return lists[lang]
    return next(iter(lists.values()), [])


def _alignments(badge: BadgeView, links: Links, languages: Sequence[str]) -> list[dict[str, Any]]:
    found = []
    for position, outcome in enumerate(badge.outcomes):
        name = pick(outcome.skill_names, languages) or pick(outcome.descriptions, languages)
        item = {
            "targetName": name or "",
            "targetUrl": outcome.esco_uri or f"{links.badge(badge.record.id)}#outcome-{position}",
            "targetDescription": pick(outcome.descriptions, languages) or "",
        }
        if outcome.esco_uri:
            item["targetFramework"] = "ESCO"
        found.append(item)
    if badge.record.eqf_level:
        level = str(badge.record.eqf_level)
        found.append(
            {
                "targetName": f"EQF {level}",
                "targetUrl": EQF_URL,
                "targetFramework": "European Qualifications Framework",
                "targetCode": level,
            }
        )
    return found


def issuer_profile(
    issuer: IssuerView, links: Links, languages: Sequence[str], contact_email: str | None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": links.issuer(issuer.id),
        "name": pick(issuer.names, languages) or "",
        "url": issuer.website or links.base,
    }
    description = pick(issuer.descriptions, languages)
    if description:
        document["description"] = description
    if contact_email:
        document["email"] = contact_email
    return document
