"""Public HTML pages: a credential and a profile, server-rendered with Jinja2. They show
what an anonymous visitor may see (the profile's visibility rules) and nothing else: a
private credential or profile is the same 404 page as one that does not exist."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from odznaka_graph.graph_model import badges, organizations
from odznaka_graph.graph_model import profiles as profile_graph
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.users import UserRecord, user_by_handle
from odznaka_graph.i18n import pick
from odznaka_graph.ledger import external_credentials
from odznaka_graph.paging import Window
from odznaka_graph.services.base import Stores
from odznaka_graph.services.imports import to_record
from odznaka_graph.services.profiles import credential_status
from odznaka_graph.services.tokens import ANONYMOUS
from odznaka_graph.services.visibility import (
    Audience,
    can_see_profile,
    can_see_section,
    club_readers,
)
from odznaka_graph.services.visibility_service import Visibility
from odznaka_graph.sharing.dates import long_date
from odznaka_graph.sharing.labels import LABELS, preferred
from odznaka_graph.sharing.links import Links
from odznaka_graph.sharing.view import CredentialView, load_credential

PROFILE_LIMIT = 50
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Page:
    status: int
    html: str


class Pages:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self.links = Links.of(stores.settings.public_base_url)

    def not_found(self, lang: str, path: str) -> Page:
        words = LABELS[lang]
        context = self._base(lang, path, words["not_found"], words["not_found_text"])
        return Page(404, templates.get_template("not_found.html").render(context))

    async def credential(self, award_id: str, lang: str, path: str) -> Page:
        view = await load_credential(self.stores, award_id)
        if view is None or view.holder is None:
            return self.not_found(lang, path)
        context = self._base(lang, path, *self._credential_title(view, lang))
        context |= credential_context(view, self.links, lang)
        return Page(200, templates.get_template("credential.html").render(context))

    async def profile(self, handle: str, lang: str, path: str) -> Page:
        user = await user_by_handle(self.stores.graph, handle)
        if user is None or not can_see_profile(ANONYMOUS, user):
            return self.not_found(lang, path)
        title = f"{user.display_name} · {LABELS[lang]['profile_of']}"
        context = self._base(lang, path, title, user.bio or title)
        context |= await self._profile_context(user, lang)
        context["og_image"] = user.avatar_url
        return Page(200, templates.get_template("profile.html").render(context))

    def _credential_title(self, view: CredentialView, lang: str) -> tuple[str, str]:
        languages = preferred(lang)
        badge = pick(view.badge.names, languages) or ""
        issuer = pick(view.badge.issuer.names, languages) if view.badge.issuer else None
        holder = view.holder.display_name if view.holder else ""
        description = f"{holder} · {badge}" + (f" · {issuer}" if issuer else "")
        return f"{badge} · {holder}", description

    def _base(self, lang: str, path: str, title: str, description: str) -> dict[str, Any]:
        return {
            "lang": lang,
            "t": LABELS[lang],
            "title": title,
            "description": description[:300],
            "url": f"{self.links.base}{path}",
            "path": path,
            "other_languages": [
                (other, f"{path}?{urlencode({'lang': other})}") for other in LABELS if other != lang
            ],
            "og_image": None,
        }

    async def _profile_context(self, user: UserRecord, lang: str) -> dict[str, Any]:
        graph = self.stores.graph
        shown = can_see_section(Audience.ANYONE, user, "awards")
        featured_shown = can_see_section(Audience.ANYONE, user, "featured")
        listed: list[AwardRecord] = []
        external: list[Any] = []
        if shown:
            valid = profile_graph.AwardFilter(statuses=("VALID",))
            window = Window(size=PROFILE_LIMIT)
            readers = profile_graph.AwardReaders(None, club_readers())
            page = await profile_graph.filtered_awards(graph, user.id, valid, window, readers)
            listed = [award for _, award in page.items]
            async with self.stores.ledger.reading() as conn:
                found = await external_credentials.page_of(conn, user.id, window)
            external = [to_record(row) for _, row in found.items]
        featured = await self._featured(user) if featured_shown else []
        cards = await self._cards([*featured, *listed], lang)
        return {
            "user": user,
            "featured": [cards[award.id] for award in featured],
            "credentials": [cards[award.id] for award in listed],
            "external": [external_card(record, lang) for record in external],
        }

    async def _featured(self, user: UserRecord) -> list[AwardRecord]:
        """What an anonymous visitor may see of the featured awards (visibility service)."""
        visibility = Visibility(self.stores.graph, self.stores.ledger, ANONYMOUS)
        at = profile_graph.now()
        return [
            award
            for award in await visibility.awards(user.featured_award_ids)
            if award is not None
            and award.recipient_id == user.id
            and credential_status(award, at) == "VALID"
        ]

    async def _cards(self, awards: list[AwardRecord], lang: str) -> dict[str, dict[str, Any]]:
        graph, languages = self.stores.graph, preferred(lang)
        badge_records = await badges.badges_by_ids(graph, list({a.badge_id for a in awards}))
        org_ids = list({b.organization_id for b in badge_records.values() if b.organization_id})
        orgs = await organizations.organizations_by_ids(graph, org_ids)
        cards = {}
        for award in awards:
            badge = badge_records.get(award.badge_id)
            org = orgs.get(badge.organization_id or "") if badge else None
            cards[award.id] = {
                "url": self.links.credential_page(award.id),
                "name": pick(badge.texts.get("name"), languages) if badge else "",
                "image": self.links.badge_image(award.badge_id),
                "issuer": pick(org.texts.get("name"), languages) if org else None,
                "issued": long_date(award.issued_at, lang),
            }
        return cards


def credential_context(view: CredentialView, links: Links, lang: str) -> dict[str, Any]:
    languages = preferred(lang)
    award, badge = view.award, view.badge
    issuer = pick(badge.issuer.names, languages) if badge.issuer else None
    name = pick(badge.names, languages) or ""
    return {
        "award_id": award.id,
        "badge_name": name,
        "badge_description": pick(badge.record.texts.get("description"), languages),
        "badge_image": links.badge_image(badge.record.id),
        "holder": view.holder,
        "holder_url": links.profile_page(view.holder.handle) if view.holder else None,
        "issuer_name": issuer,
        "issuer_website": badge.issuer.website if badge.issuer else None,
        "issued": long_date(award.issued_at, lang),
        "expires": long_date(award.expires_at, lang) if award.expires_at else None,
        "status": view.verification.status,
        "reasons": view.verification.reasons,
        "outcomes": [
            {
                "skill": pick(outcome.skill_names, languages),
                "description": pick(outcome.descriptions, languages),
            }
            for outcome in badge.outcomes
        ],
        "workload": badge.record.workload_hours,
        "form": badge.record.form,
        "eqf": badge.record.eqf_level,
        "pdf_url": links.certificate(award.id, lang),
        "ob2_url": links.assertion(award.id),
        "png_url": links.baked_png(award.id),
        "linkedin_url": linkedin_url(name, issuer, award, links),
        "og_image": links.badge_image(badge.record.id),
        "og_type": "article",
    }


def linkedin_url(name: str, issuer: str | None, award: AwardRecord, links: Links) -> str:
    params: dict[str, Any] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": issuer or "",
        "issueYear": award.issued_at.year,
        "issueMonth": award.issued_at.month,
    }
    if award.expires_at is not None:
        params |= {
            "expirationYear": award.expires_at.year,
            "expirationMonth": award.expires_at.month,
        }
    params |= {"certUrl": links.credential_page(award.id), "certId": award.id}
    return f"{LINKEDIN_ADD}?{urlencode(params)}"


def external_card(record: Any, lang: str) -> dict[str, Any]:
    summary = record.summary
    return {
        "name": summary.name,
        "issuer": summary.issuer_name,
        "image": summary.image_url,
        "url": summary.credential_url,
        "issued": long_date(summary.issued_on, lang) if summary.issued_on else None,
        "status": record.status,
        "reasons": record.reasons,
        "format": "Open Badges 3.0" if record.format == "OB3" else "Open Badges 2.0",
    }
