"""Read views of a profile's credential sections, each behind its visibility rule: awards
(filtered, paged or grouped), the skills map, featured credentials, the contacts count, the
section settings, and endorsements."""

from dataclasses import dataclass
from typing import Any

from odznaka_graph.clock import now
from odznaka_graph.graph_model import profiles as profile_graph
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.profiles import (
    AwardFilter,
    AwardGroupRecord,
    EndorsementRecord,
    SkillMapRecord,
)
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger import external_credentials as imported
from odznaka_graph.paging import Page, Window
from odznaka_graph.services.imports import ExternalCredentialRecord, to_record
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.profiles import credential_status, skill_level
from odznaka_graph.services.visibility import can_see_profile_award, club_readers

__all__ = [
    "AwardFilter",
    "AwardRecord",
    "EndorsementRecord",
    "ExternalCredentialRecord",
    "SkillStanding",
]

SECTIONS = ("awards", "skills", "featured", "contacts")
EMPTY: Page[Any] = Page([], False, False, 0)


@dataclass(frozen=True)
class SkillStanding:
    """One skill on a skills map: its level and the proving awards the viewer may see."""

    entry: SkillMapRecord
    level: int
    awards: list[AwardRecord]


def _readers(loaders: Loaders) -> profile_graph.AwardReaders:
    return profile_graph.AwardReaders(loaders.viewer.id, club_readers())


async def awards(
    loaders: Loaders, user: UserRecord, award_filter: AwardFilter, window: Window
) -> Page[AwardRecord]:
    """Credentials earned, newest first; an empty page when the awards section is hidden."""
    if not await loaders.visibility.sees_section(user, "awards"):
        return EMPTY
    return await profile_graph.filtered_awards(
        loaders.graph, user.id, award_filter, window, _readers(loaders)
    )


async def award_groups(
    loaders: Loaders, user: UserRecord, by: str, award_filter: AwardFilter, preview: int
) -> list[AwardGroupRecord]:
    """Credentials grouped by ISSUER or SKILL; none when the awards section is hidden."""
    if not await loaders.visibility.sees_section(user, "awards"):
        return []
    return await profile_graph.award_groups(
        loaders.graph, user.id, by, award_filter, preview, _readers(loaders)
    )


async def skill_map(loaders: Loaders, user: UserRecord) -> list[SkillStanding]:
    """Skills proven by valid credentials, highest level first; none when hidden."""
    viewer_audience = await loaders.visibility.audience(user)
    if not await loaders.visibility.sees_section(user, "skills"):
        return []
    entries = await loaders.skill_map_by_user.load(user.id)
    standings = [
        SkillStanding(
            entry=entry,
            level=skill_level(len(entry.awards), entry.max_eqf_level),
            awards=[a for a in entry.awards if can_see_profile_award(viewer_audience, user, a.id)],
        )
        for entry in entries
    ]
    return sorted(standings, key=lambda s: -s.level)  # stable: ties keep the query's order


async def featured(loaders: Loaders, user: UserRecord) -> list[AwardRecord]:
    """The owner's chosen order; credentials revoked or expired since then drop out."""
    if not user.featured_award_ids or not await loaders.visibility.sees_section(user, "featured"):
        return []
    records = await loaders.visibility.awards(user.featured_award_ids)
    at = now()
    return [r for r in records if r is not None and _still_featurable(r, user.id, at)]


def _still_featurable(record: AwardRecord, user_id: str, at: Any) -> bool:
    return record.recipient_id == user_id and credential_status(record, at) == "VALID"


async def contacts_count(loaders: Loaders, user: UserRecord) -> int | None:
    """How many contacts the viewer may see; None when the contacts section is hidden."""
    if not await loaders.visibility.sees_section(user, "contacts"):
        return None
    return int(await loaders.contact_count_by_user.load(user.id))


def section_levels(loaders: Loaders, user: UserRecord) -> dict[str, str] | None:
    """Who sees the profile and each section (PUBLIC, CONTACTS, PRIVATE); the owner only."""
    if loaders.viewer.id != user.id:
        return None
    return {"profile": user.visibility} | {s: user.sections.get(s, "PUBLIC") for s in SECTIONS}


async def endorsement_count(loaders: Loaders, award_id: str) -> int:
    return int(await loaders.endorsement_count_by_award.load(award_id))


async def _sees_imported(loaders: Loaders, owner: UserRecord) -> bool:
    """Imported credentials go with the awards section of the holder's profile."""
    if loaders.viewer.id == owner.id:
        return True
    if not await loaders.visibility.profile_visible(owner):
        return False
    return await loaders.visibility.sees_section(owner, "awards")


async def external_credentials(
    loaders: Loaders, user: UserRecord, window: Window
) -> Page[ExternalCredentialRecord]:
    """Credentials the user imported, newest first; an empty page when hidden."""
    if not await _sees_imported(loaders, user):
        return EMPTY
    async with loaders.ledger.reading() as conn:
        page = await imported.page_of(conn, user.id, window)
    items = [(cursor, to_record(row)) for cursor, row in page.items]
    return Page(items, page.has_next, page.has_previous, page.total)


async def external_credential(
    loaders: Loaders, credential_id: str
) -> ExternalCredentialRecord | None:
    """One imported credential, when the viewer may see its holder's awards."""
    async with loaders.ledger.reading() as conn:
        row = await imported.by_id(conn, credential_id)
    if row is None:
        return None
    owner = await loaders.user_by_id.load(row.account_id)
    if owner is None or not await _sees_imported(loaders, owner):
        return None
    return to_record(row)
