"""Profiles: featured credentials, per-section visibility, endorsements, verification.

Featured credentials and visibility are profile settings: they go through the ledger as
`profile.updated` events (audit + outbox), and the projection sets them on the User node.
Endorsements are community data with no ledger meaning: written straight to Neo4j, with
an audit row (`award.endorsed`) in the same SQL transaction so a failed graph write
leaves no audit behind.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import Field, field_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from odznaka_graph.graph_model import profiles as profile_graph
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.profiles import EndorsementRecord
from odznaka_graph.graph_model.users import PROFILE_SECTIONS
from odznaka_graph.ledger import credentials, issuers
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import CredentialReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import Reach
from odznaka_graph.services.visibility_service import Visibility
from odznaka_graph.standard import Model

MAX_FEATURED = 6
Level = Literal["PUBLIC", "CONTACTS", "PRIVATE"]
NOT_FEATURABLE = "Not one of your credentials."
ENDORSE_REFUSALS = {
    "REVOKED": ("A revoked credential cannot be endorsed.", CredentialReason.CREDENTIAL_REVOKED),
    "EXPIRED": ("An expired credential cannot be endorsed.", CredentialReason.CREDENTIAL_EXPIRED),
    "PENDING_CLAIM": (
        "This credential has not been claimed by its recipient yet.",
        CredentialReason.CREDENTIAL_NOT_CLAIMED,
    ),
}


class Credential(Protocol):
    """What the status rule reads: a ledger row or a graph AwardRecord alike."""

    @property
    def recipient_id(self) -> str | None: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...


def credential_status(award: Credential, at: datetime) -> str:
    if award.revoked_at is not None:
        return "REVOKED"
    if award.expires_at is not None and award.expires_at <= at:
        return "EXPIRED"
    if award.recipient_id is None:
        return "PENDING_CLAIM"
    return "VALID"


def skill_level(credentials: int, max_eqf_level: int | None) -> int:
    """A skill's level on the skills map, 1 to 5: 1 for one valid credential, +1 for each
    further valid credential proving it (at most +2), +1 when one of the proving badges
    is at EQF level 4 or above, and +1 more at EQF 6 or above."""
    eqf = max_eqf_level or 0
    return 1 + min(max(credentials - 1, 0), 2) + int(eqf >= 4) + int(eqf >= 6)


class FeaturedChange(Model):
    award_ids: list[str] = Field(max_length=MAX_FEATURED)

    @field_validator("award_ids")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("Each credential can be featured once.")
        return value


class VisibilityChange(Model):
    profile: Level | None = None
    awards: Level | None = None
    skills: Level | None = None
    featured: Level | None = None
    contacts: Level | None = None


class EndorsementRequest(Model):
    award_id: str
    comment: Annotated[str, Field(max_length=1000)] | None = None


@dataclass(frozen=True)
class Verification:
    """What verifyCredential answers. `credential` is the ledger's record (its dates and
    status are public to whoever has the id); `holder_shown` says whether the viewer may
    also see the award itself, and through it the holder."""

    status: str
    reasons: list[str]
    credential: AwardRecord | None = None
    holder_shown: bool = False
    badge_names: dict[str, str] | None = None
    issuer_id: str | None = None


def award_record(row: Any) -> AwardRecord:
    """A ledger award row as the record the API renders (the ledger is ahead of the graph)."""
    evidence = [
        {"url": item.get("url") or "", "narrative": item.get("narrative") or ""}
        for item in row.evidence
    ]
    return AwardRecord(
        id=row.id,
        badge_id=row.badge_id,
        recipient_id=row.recipient_id,
        awarded_by_id=row.awarded_by,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        evidence=evidence,
        revoked_at=row.revoked_at,
        revoke_reason=row.revoke_reason,
    )


class ProfileService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def set_featured(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Feature up to six of one's own valid credentials, in the order given."""
        change = parse(FeaturedChange, data)
        owner = signed_in(viewer)

        async def work(conn: AsyncConnection) -> str:
            at, problems = now(), {}
            for index, award_id in enumerate(change.award_ids):
                row = await credentials.award(conn, award_id)
                problem = _not_featurable(row, owner, at)
                if problem:
                    problems[f"award_ids.{index}"] = problem
            if problems:
                raise ValidationFailed(problems, reason=CredentialReason.CREDENTIAL_NOT_FEATURABLE)
            await _profile_updated(conn, owner, {"featuredAwardIds": change.award_ids})
            return owner

        return await self.stores.commit(work)

    async def update_visibility(self, viewer: Viewer, data: dict[str, Any]) -> str:
        change = parse(VisibilityChange, data)
        owner = signed_in(viewer)
        given = change.model_dump(exclude_none=True)
        if not given:
            raise ValidationFailed(
                {"input": "Give the visibility of at least one section."},
                reason=CredentialReason.VISIBILITY_EMPTY,
            )
        props = {_visibility_prop(section): level for section, level in given.items()}

        async def work(conn: AsyncConnection) -> str:
            await _profile_updated(conn, owner, props)
            return owner

        return await self.stores.commit(work)

    async def endorse(self, viewer: Viewer, data: dict[str, Any]) -> EndorsementRecord:
        """Endorse someone else's valid credential; endorsing again replaces the comment."""
        request = parse(EndorsementRequest, data)
        endorser = signed_in(viewer)

        async def work(conn: AsyncConnection) -> EndorsementRecord:
            row = await credentials.award(conn, request.award_id)
            badge = await credentials.badge(conn, row.badge_id) if row is not None else None
            if row is None or badge is None:
                raise NotFound("No such credential.", reason=CredentialReason.CREDENTIAL_NOT_FOUND)
            reach = await award_reach_of(self.stores, viewer, award_record(row), badge)
            if reach is not Reach.SHOWN:
                raise NotFound("No such credential.", reason=CredentialReason.CREDENTIAL_NOT_FOUND)
            if row.recipient_id == endorser:
                raise PermissionDenied(
                    "Nobody endorses their own credential.",
                    reason=CredentialReason.SELF_ENDORSEMENT,
                )
            status = credential_status(row, now())
            if status != "VALID":
                message, reason = ENDORSE_REFUSALS[status]
                raise Conflict(message, reason=reason)
            at = now()
            endorsement = await profile_graph.endorse(
                self.stores.graph, endorser, row.id, request.comment, at
            )
            if endorsement is None:
                raise Conflict(
                    "This credential is still being recorded; try again shortly.",
                    reason=CredentialReason.CREDENTIAL_NOT_READY,
                )
            payload = {
                "awardId": row.id,
                "endorserId": endorser,
                "comment": request.comment,
                "at": at.isoformat(),
                "created": endorsement.at == at,
            }
            await record(
                conn,
                actor_id=endorser,
                action="award.endorsed",
                subject_type="Award",
                subject_id=row.id,
                payload=payload,
            )
            return endorsement

        return await self.stores.commit(work)

    async def verify(self, viewer: Viewer, award_id: str | None) -> Verification:
        """Whether the ledger holds this credential and whether it counts now, and why.
        The holder is named (through `award`) only to viewers who may see the award."""
        async with self.stores.ledger.reading() as conn:
            row = await credentials.award(conn, award_id) if award_id else None
            if row is None:
                return Verification("UNKNOWN", [UNKNOWN_REASON])
            badge = await credentials.badge(conn, row.badge_id)
            assert badge is not None
            org = await issuers.organization(conn, badge.organization_id)
        award = award_record(row)
        reach = await award_reach_of(self.stores, viewer, award, badge)
        if reach is Reach.HIDDEN:  # not there for this viewer: as if never issued
            return Verification("UNKNOWN", [UNKNOWN_REASON])
        shown = reach is Reach.SHOWN
        status = credential_status(row, now())
        reasons = _reasons(award, status, org is not None and org.verification == "VERIFIED")
        if not shown and award.recipient_id is not None:
            reasons.append(HOLDER_HIDDEN)
        return Verification(
            status="AUTHENTIC_VALID" if status == "VALID" else status,
            reasons=reasons,
            credential=award,
            holder_shown=shown,
            badge_names=dict(badge.content.get("name") or {}),
            issuer_id=badge.organization_id,
        )


async def award_reach_of(stores: Stores, viewer: Viewer, award: AwardRecord, badge: Any) -> Reach:
    """The read rule for one award the ledger holds (its badge's ledger row says whose it
    is, as the graph may lag behind), asked of the visibility service."""
    visibility = Visibility(stores.graph, stores.ledger, viewer)
    known = {award.badge_id: (badge.organization_id, badge.club_id)}
    return (await visibility.reach([award], known))[0]


UNKNOWN_REASON = "No credential with this id was issued on this platform."
HOLDER_HIDDEN = "The holder does not share this credential with you, so the holder is not shown."


def _reasons(award: AwardRecord, status: str, issuer_verified: bool) -> list[str]:
    reasons = [
        f"Recorded in this platform's credential ledger, issued on {_day(award.issued_at)}.",
        "The issuer is an organisation verified by the platform."
        if issuer_verified
        else "The issuer's organisation is not (or no longer) verified by the platform.",
    ]
    if status == "REVOKED" and award.revoked_at is not None:
        reasons.append(f"Revoked by the issuer on {_day(award.revoked_at)}.")
    elif status == "EXPIRED" and award.expires_at is not None:
        reasons.append(f"Expired on {_day(award.expires_at)}.")
    elif status == "PENDING_CLAIM":
        reasons.append("Issued, but its recipient has not claimed it yet.")
    elif award.expires_at is not None:
        reasons.append(f"Valid until {_day(award.expires_at)}.")
    else:
        reasons.append("Valid, with no expiry date.")
    return reasons


def _day(at: datetime) -> str:
    return at.date().isoformat()


def _not_featurable(row: Any, owner: str, at: datetime) -> str | None:
    # Someone else's award and no award at all get the same answer: ids are not probed.
    if row is None or row.recipient_id != owner:
        return NOT_FEATURABLE
    status = credential_status(row, at)
    if status != "VALID":
        return f"Only valid credentials can be featured; this one is {status.lower()}."
    return None


def _visibility_prop(section: str) -> str:
    assert section == "profile" or section in PROFILE_SECTIONS
    return "visibility" if section == "profile" else f"{section}Visibility"


async def _profile_updated(conn: AsyncConnection, owner: str, props: dict[str, Any]) -> None:
    await record(
        conn,
        actor_id=owner,
        action="profile.updated",
        subject_type="Account",
        subject_id=owner,
        payload={"id": owner, "props": props},
    )
