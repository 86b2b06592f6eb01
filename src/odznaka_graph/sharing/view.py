"""Read models for sharing: one award, its badge and issuer, as public pages, Open Badges
documents and certificates show them. The ledger answers for the award and its status;
the graph for the descriptive content (names, outcomes, the issuer's texts)."""

from dataclasses import dataclass, field

from odznaka_graph.graph_model import badges, clubs, organizations, skills
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.badges import BadgeRecord
from odznaka_graph.graph_model.users import UserRecord, users_by_ids
from odznaka_graph.ledger import accounts, credentials
from odznaka_graph.services.base import Stores
from odznaka_graph.services.profiles import ProfileService, Verification
from odznaka_graph.services.tokens import ANONYMOUS, Viewer
from odznaka_graph.services.visibility import can_see_badge


@dataclass(frozen=True)
class IssuerView:
    id: str
    kind: str  # ORGANIZATION, or CLUB for peer badges
    names: dict[str, str]
    descriptions: dict[str, str]
    website: str | None
    verified: bool


@dataclass(frozen=True)
class OutcomeView:
    skill_names: dict[str, str]
    descriptions: dict[str, str]
    criteria: dict[str, list[str]]
    esco_uri: str | None


@dataclass(frozen=True)
class BadgeView:
    record: BadgeRecord
    outcomes: list[OutcomeView] = field(default_factory=list)
    issuer: IssuerView | None = None

    @property
    def names(self) -> dict[str, str]:
        return self.record.texts.get("name", {})

    @property
    def public(self) -> bool:
        return can_see_badge(ANONYMOUS, self.record, {})


@dataclass(frozen=True)
class CredentialView:
    award: AwardRecord
    recipient_email: str | None
    badge: BadgeView
    verification: Verification
    holder: UserRecord | None  # only when the viewer may see the award and its holder


async def load_issuer(stores: Stores, issuer_id: str) -> IssuerView | None:
    """An organisation, or the public club behind peer badges."""
    found = await organizations.organizations_by_ids(stores.graph, [issuer_id])
    if org := found.get(issuer_id):
        texts = org.texts
        return IssuerView(
            org.id,
            "ORGANIZATION",
            texts.get("name", {}),
            texts.get("description", {}),
            org.website,
            org.verification == "VERIFIED",
        )
    club = (await clubs.clubs_by_ids(stores.graph, [issuer_id], None)).get(issuer_id)
    if club is None or club.visibility != "PUBLIC":
        return None
    texts = club.texts
    return IssuerView(
        club.id, "CLUB", texts.get("name", {}), texts.get("description", {}), None, False
    )


async def load_badge(stores: Stores, badge_id: str) -> BadgeView | None:
    record = (await badges.badges_by_ids(stores.graph, [badge_id])).get(badge_id)
    if record is None:
        return None
    outcomes = (await badges.outcomes_by_badges(stores.graph, [badge_id]))[badge_id]
    named = await skills.skills_by_ids(stores.graph, [o.skill_id for o in outcomes])
    views = [
        OutcomeView(
            skill_names=named[o.skill_id].texts.get("name", {}) if o.skill_id in named else {},
            descriptions=o.texts.get("description", {}),
            criteria=o.check_criteria,
            esco_uri=named[o.skill_id].esco_uri if o.skill_id in named else None,
        )
        for o in outcomes
    ]
    issuer_id = record.organization_id or record.club_id
    issuer = await load_issuer(stores, issuer_id) if issuer_id else None
    return BadgeView(record, views, issuer)


async def load_credential(
    stores: Stores, award_id: str, viewer: Viewer = ANONYMOUS
) -> CredentialView | None:
    """None when no such award was issued here (or its badge is not in the graph yet)."""
    verification = await ProfileService(stores).verify(viewer, award_id)
    if verification.credential is None:
        return None
    award = verification.credential
    badge = await load_badge(stores, award.badge_id)
    if badge is None:
        return None
    holder = None
    if verification.holder_shown and award.recipient_id is not None:
        holder = (await users_by_ids(stores.graph, [award.recipient_id])).get(award.recipient_id)
    email = await recipient_email(stores, award.id)
    return CredentialView(award, email, badge, verification, holder)


async def recipient_email(stores: Stores, award_id: str) -> str | None:
    """The address an Open Badges 2.0 assertion names (hashed): the holder's first verified
    e-mail (else the registered one), or the one a pending award waits for."""
    async with stores.ledger.reading() as conn:
        row = await credentials.award(conn, award_id)
        if row is None:
            return None
        if row.recipient_id is None:
            return str(row.recipient_email) if row.recipient_email else None
        emails = await accounts.emails_of(conn, row.recipient_id)
    # A verified address first; else the one the account registered with.
    ranked = sorted(emails, key=lambda e: e.verified_at is None)
    return str(ranked[0].email) if ranked else None
