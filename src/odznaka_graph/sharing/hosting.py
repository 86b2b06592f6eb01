"""Hosted Open Badges 2.0: the documents and baked images behind the /ob2 routes."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from odznaka_graph.i18n import pick
from odznaka_graph.services.base import Stores
from odznaka_graph.sharing import artwork, baking, ob2
from odznaka_graph.sharing.links import Links
from odznaka_graph.sharing.view import (
    BadgeView,
    CredentialView,
    load_badge,
    load_credential,
    load_issuer,
)


@dataclass(frozen=True)
class Hosted:
    """A document or image for an award, and whether the award is revoked (410 Gone)."""

    body: Any
    revoked: bool


class Hosting:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self.links = Links.of(stores.settings.public_base_url)

    async def assertion(self, award_id: str) -> Hosted | None:
        """Any issued award, private or not: the recipient is only a salted hash, as
        verifyCredential answers anyone who has the id."""
        view = await load_credential(self.stores, award_id)
        return self._assertion(view) if view else None

    def _assertion(self, view: CredentialView) -> Hosted:
        return Hosted(ob2.assertion(view, self.links), view.award.revoked_at is not None)

    async def badge_class(self, badge_id: str, languages: Sequence[str]) -> dict[str, Any] | None:
        badge = await load_badge(self.stores, badge_id)
        if badge is None or not badge.public:
            return None
        return ob2.badge_class(badge, self.links, languages)

    async def issuer(self, issuer_id: str, languages: Sequence[str]) -> dict[str, Any] | None:
        issuer = await load_issuer(self.stores, issuer_id)
        if issuer is None:
            return None
        contact = self.stores.settings.contact_email
        return ob2.issuer_profile(issuer, self.links, languages, contact)

    async def badge_image(self, badge_id: str) -> bytes | None:
        badge = await load_badge(self.stores, badge_id)
        if badge is None or not badge.public:
            return None
        return artwork.badge_png(badge_id, _name(badge))

    async def baked_png(self, award_id: str) -> Hosted | None:
        view = await load_credential(self.stores, award_id)
        if view is None:
            return None
        hosted = self._assertion(view)
        image = artwork.badge_png(view.badge.record.id, _name(view.badge))
        return Hosted(baking.bake_png(image, _json(hosted.body)), hosted.revoked)

    async def baked_svg(self, award_id: str) -> Hosted | None:
        view = await load_credential(self.stores, award_id)
        if view is None:
            return None
        hosted = self._assertion(view)
        element = baking.bake_svg_element(_json(hosted.body), hosted.body["id"])
        svg = artwork.badge_svg(view.badge.record.id, _name(view.badge), element)
        return Hosted(svg, hosted.revoked)


def _name(badge: BadgeView) -> str:
    return pick(badge.names, []) or "Odznaka"


def _json(document: dict[str, Any]) -> str:
    return orjson.dumps(document).decode()
