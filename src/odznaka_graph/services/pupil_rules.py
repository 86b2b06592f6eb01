"""What protects a pupil: their age band, the name others see, the profile they start
with, and what needs a guardian's consent under 16 (the consent age in Poland)."""

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import PermissionDenied
from odznaka_graph.ledger import pupils as rows
from odznaka_graph.outcomes import PupilReason


class AgeBand(StrEnum):
    UNDER_13 = "UNDER_13"
    FROM_13_TO_15 = "FROM_13_TO_15"
    FROM_16_TO_17 = "FROM_16_TO_17"
    ADULT = "ADULT"


UNDER_CONSENT_AGE = frozenset({AgeBand.UNDER_13, AgeBand.FROM_13_TO_15})
MINORS = frozenset({*UNDER_CONSENT_AGE, AgeBand.FROM_16_TO_17})


def band_of_birth_year(year: int, today: date) -> AgeBand:
    """The band of someone born in `year`, taken at the younger of the two ages they may
    be (their birthday this year may not have come yet): a protection is never missed."""
    age = today.year - year - 1
    if age < 13:
        return AgeBand.UNDER_13
    if age < 16:
        return AgeBand.FROM_13_TO_15
    return AgeBand.FROM_16_TO_17 if age < 18 else AgeBand.ADULT


def shown_name(name: str, pseudonym: str | None) -> str:
    """What anyone but the class's teachers sees: the pseudonym, else "Anna K."."""
    if pseudonym:
        return pseudonym
    first, *rest = name.split()
    return f"{first} {rest[-1][0].upper()}." if rest else first


def protected_props(age_band: str) -> dict[str, Any]:
    """The User node's start: a private profile, marked as a pupil's (never suggested to
    strangers), and guarded (never public) while under 16 without a guardian's consent."""
    return {
        "visibility": "PRIVATE",
        "pupil": True,
        "ageBand": age_band,
        "minorProtected": age_band in UNDER_CONSENT_AGE,
    }


async def needs_consent(conn: AsyncConnection, account_id: str) -> bool:
    """A pupil (or someone who registered as) under 16 whose guardian has not consented
    (or withdrew)."""
    if await rows.age_band(conn, account_id) not in UNDER_CONSENT_AGE:
        return False
    return await rows.consent_given(conn, account_id) is None


async def check_profile_change(
    conn: AsyncConnection, account_id: str, props: dict[str, Any]
) -> None:
    """Under 16 without consent a pupil keeps their profile from the public and the name
    their teacher set."""
    public = props.get("visibility") == "PUBLIC"
    if not (public or "displayName" in props) or not await needs_consent(conn, account_id):
        return
    raise PermissionDenied(
        "Under 16 a public profile or another name needs a guardian's consent.",
        reason=PupilReason.GUARDIAN_CONSENT_NEEDED,
    )
