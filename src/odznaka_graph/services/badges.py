"""Microcredentials: describe to the standard, submit, review, publish, archive."""

from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import skills
from odznaka_graph.graph_model.badges import BadgeRecord, badge_props, to_badge
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import credentials, issuers
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import BadgeReason, OrganizationReason
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import Action, require, require_staff
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import BadgeContent, Model, missing_for_review

EDITABLE = {"DRAFT", "REJECTED"}
MICROCREDENTIAL, PLAIN = "MICROCREDENTIAL", "BADGE"
ORGANIZATION_KINDS = (MICROCREDENTIAL, PLAIN)  # PEER badges are clubs' (peer_awards.py)
PLAIN_TEXTS = ("description", "how_to_obtain")  # besides a name and a picture


class BadgeReview(Model):
    badge_id: str
    approve: bool
    comment: Annotated[str, Field(max_length=2000)] | None = None


class BadgeService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def create(
        self, viewer: Viewer, org_id: str, data: dict[str, Any], kind: str = MICROCREDENTIAL
    ) -> str:
        if kind not in ORGANIZATION_KINDS:
            raise ValidationFailed(
                {"kind": "An organisation's badge is a MICROCREDENTIAL or a BADGE."},
                reason=BadgeReason.BADGE_KIND_NOT_ALLOWED,
            )
        content = _content(data)
        skill_rows = await self._skill_rows(content)
        badge_id = new_id()

        async def work(conn: AsyncConnection) -> str:
            actor = await require_staff(conn, viewer, org_id, Action.EDIT_BADGES)
            at = now()
            await credentials.insert_badge(
                conn,
                id=badge_id,
                organization_id=org_id,
                kind=kind,
                status="DRAFT",
                validity_days=content.validity_days,
                content=content.model_dump(mode="json"),
                created_by=actor,
                created_at=at,
                updated_at=at,
            )
            saved = (actor, badge_id, org_id, kind)
            await self._saved(conn, saved, "badge.created", content, skill_rows)
            return badge_id

        return await self.stores.commit(work)

    async def update(
        self, viewer: Viewer, badge_id: str, data: dict[str, Any], expected_version: int | None
    ) -> str:
        content = _content(data)
        skill_rows = await self._skill_rows(content)

        async def work(conn: AsyncConnection) -> str:
            badge = await _badge(conn, badge_id)
            actor = await require_staff(conn, viewer, badge.organization_id, Action.EDIT_BADGES)
            if badge.status not in EDITABLE:
                raise Conflict(
                    f"A {badge.status.lower()} badge cannot be edited.",
                    reason=BadgeReason.BADGE_NOT_EDITABLE,
                )
            if expected_version is not None and expected_version != badge.version:
                raise Conflict(
                    "Someone changed this badge meanwhile; reload and try again.",
                    reason=BadgeReason.BADGE_EDITED_MEANWHILE,
                )
            await credentials.update_badge(
                conn,
                badge_id,
                content=content.model_dump(mode="json"),
                status="DRAFT",
                validity_days=content.validity_days,
                version=badge.version + 1,
                updated_at=now(),
            )
            saved = (actor, badge_id, badge.organization_id, badge.kind)
            await self._saved(conn, saved, "badge.updated", content, skill_rows)
            return badge_id

        return await self.stores.commit(work)

    async def submit(self, viewer: Viewer, badge_id: str) -> str:
        async def work(conn: AsyncConnection) -> str:
            badge = await _badge(conn, badge_id)
            actor = await require_staff(conn, viewer, badge.organization_id, Action.EDIT_BADGES)
            if badge.kind == PLAIN:
                raise Conflict(
                    "A plain badge is published by its staff with publishBadge, not reviewed.",
                    reason=BadgeReason.BADGE_NOT_REVIEWED,
                )
            if badge.status not in EDITABLE:
                raise Conflict(
                    f"A {badge.status.lower()} badge cannot be submitted.",
                    reason=BadgeReason.BADGE_NOT_SUBMITTABLE,
                )
            org = await issuers.organization(conn, badge.organization_id)
            if org is None or org.agreement_accepted_at is None:
                raise Conflict(
                    "Accept the issuer agreement before submitting badges.",
                    reason=OrganizationReason.ISSUER_AGREEMENT_NOT_ACCEPTED,
                )
            if org.verification != "VERIFIED":
                raise Conflict(
                    "A reviewer must verify the organisation before it submits badges.",
                    reason=OrganizationReason.ISSUER_NOT_VERIFIED,
                )
            missing = missing_for_review(BadgeContent.model_validate(badge.content))
            if missing:
                raise ValidationFailed(
                    missing,
                    "The badge does not meet the standard yet.",
                    reason=BadgeReason.BADGE_BELOW_STANDARD,
                )
            await set_status(conn, actor, "badge.submitted", badge_id, "SUBMITTED")
            return badge_id

        return await self.stores.commit(work)

    async def publish(self, viewer: Viewer, badge_id: str) -> str:
        """A plain BADGE published by its organisation's staff: no reviewer step, and only
        the plain badge's fields are required (missing_for_plain_badge)."""

        async def work(conn: AsyncConnection) -> str:
            badge = await _badge(conn, badge_id)
            actor = await require_staff(conn, viewer, badge.organization_id, Action.EDIT_BADGES)
            if badge.kind != PLAIN:
                raise Conflict(
                    "A microcredential is published through review: submit it for review.",
                    reason=BadgeReason.BADGE_NEEDS_REVIEW,
                )
            if badge.status not in EDITABLE:
                raise Conflict(
                    f"A {badge.status.lower()} badge cannot be published.",
                    reason=BadgeReason.BADGE_NOT_PUBLISHABLE,
                )
            org = await issuers.organization(conn, badge.organization_id)
            if org is None or org.agreement_accepted_at is None:
                raise Conflict(
                    "Accept the issuer agreement before publishing badges.",
                    reason=OrganizationReason.ISSUER_AGREEMENT_NOT_ACCEPTED,
                )
            missing = missing_for_plain_badge(BadgeContent.model_validate(badge.content))
            if missing:
                raise ValidationFailed(
                    missing,
                    "The badge lacks what a plain badge needs.",
                    reason=BadgeReason.BADGE_BELOW_STANDARD,
                )
            extra = {"publishedAt": now().isoformat()}
            await set_status(conn, actor, "badge.published", badge_id, "PUBLISHED", extra)
            return badge_id

        return await self.stores.commit(work)

    async def review(self, viewer: Viewer, data: dict[str, Any]) -> str:
        review = parse(BadgeReview, data)
        actor = require(Action.REVIEW, viewer)
        if not review.approve and not (review.comment or "").strip():
            raise ValidationFailed(
                {"comment": "Say why the badge is rejected."},
                reason=BadgeReason.REJECTION_COMMENT_MISSING,
            )

        async def work(conn: AsyncConnection) -> str:
            badge = await _badge(conn, review.badge_id)
            if badge.status != "SUBMITTED":
                raise Conflict(
                    "Only a submitted badge can be reviewed.",
                    reason=BadgeReason.BADGE_NOT_SUBMITTED,
                )
            org = await issuers.organization(conn, badge.organization_id)
            if review.approve and (org is None or org.verification != "VERIFIED"):
                raise Conflict(
                    "The issuer must be verified before its badges are published.",
                    reason=OrganizationReason.ISSUER_NOT_VERIFIED,
                )
            status = "PUBLISHED" if review.approve else "REJECTED"
            extra = {"reviewComment": review.comment}
            if review.approve:
                extra["publishedAt"] = now().isoformat()
            await set_status(conn, actor, "badge.reviewed", badge.id, status, extra)
            return str(badge.id)

        return await self.stores.commit(work)

    async def archive(self, viewer: Viewer, badge_id: str) -> str:
        async def work(conn: AsyncConnection) -> str:
            badge = await _badge(conn, badge_id)
            actor = await require_staff(conn, viewer, badge.organization_id, Action.EDIT_BADGES)
            if badge.status == "ARCHIVED":
                return badge_id
            if badge.status == "SUBMITTED":
                raise Conflict(
                    "Wait for the review before archiving this badge.",
                    reason=BadgeReason.BADGE_UNDER_REVIEW,
                )
            await set_status(conn, actor, "badge.archived", badge_id, "ARCHIVED")
            return badge_id

        return await self.stores.commit(work)

    async def _skill_rows(self, content: BadgeContent) -> list[dict[str, Any]]:
        """Each outcome's skill: an existing one by id, or one named (created if new)."""
        wanted = [o.skill_id for o in content.outcomes if o.skill_id]
        found = await skills.skills_by_ids(self.stores.graph, wanted) if wanted else {}
        rows, errors = [], {}
        for index, outcome in enumerate(content.outcomes):
            if outcome.skill_id and outcome.skill_id in found:
                rows.append(
                    {
                        "skillKey": found[outcome.skill_id].key,
                        "skillId": outcome.skill_id,
                        "skillProps": {},
                    }
                )
            elif outcome.skill_id:
                errors[f"outcomes.{index}.skill_id"] = "No such skill."
            elif outcome.skill_name:
                rows.append(skills.new_skill_row(outcome.skill_name))
            else:
                errors[f"outcomes.{index}.skill"] = "Name the skill or pick an existing one."
        if errors:
            raise ValidationFailed(errors, reason=BadgeReason.SKILL_NOT_FOUND)
        return rows

    async def _saved(
        self,
        conn: AsyncConnection,
        saved: tuple[str, str, str, str],  # actor, badge, organisation, kind
        action: str,
        content: BadgeContent,
        skill_rows: list[dict[str, Any]],
    ) -> None:
        actor, badge_id, org_id, kind = saved
        payload = {
            "id": badge_id,
            "organizationId": org_id,
            "kind": kind,
            "status": "DRAFT",
            "content": content.model_dump(mode="json"),
            "skills": skill_rows,
            "at": now().isoformat(),
        }
        await record(
            conn,
            actor_id=actor,
            action=action,
            subject_type="Badge",
            subject_id=badge_id,
            payload=payload,
        )


def missing_for_plain_badge(content: BadgeContent) -> dict[str, str]:
    """Per-field messages for what a plain BADGE needs before it is published."""
    missing = {
        field: "Required for a badge: say it in at least one language."
        for field in PLAIN_TEXTS
        if not getattr(content, field)
    }
    if content.image_url is None:
        missing["image_url"] = "A badge needs an image."
    return missing


def _content(data: dict[str, Any]) -> BadgeContent:
    content = parse(BadgeContent, data)
    if not content.name:
        raise ValidationFailed(
            {"name": "Give the badge a name in at least one language."},
            reason=BadgeReason.BADGE_NAME_MISSING,
        )
    return content


async def _badge(conn: AsyncConnection, badge_id: str) -> Row[Any]:
    badge = await credentials.badge(conn, badge_id)
    if badge is None:
        raise NotFound("No such badge.", reason=BadgeReason.BADGE_NOT_FOUND)
    return badge


def badge_record(row: Row[Any]) -> BadgeRecord:
    """A ledger badge row as the record the API renders, for when the graph lags behind."""
    content = BadgeContent.model_validate(row.content)
    props = badge_props(content, row.kind) | {
        "id": row.id,
        "status": row.status,
        "organizationId": row.organization_id,
        "clubId": getattr(row, "club_id", None),
        "reviewComment": row.review_comment,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }
    return to_badge(props)


async def set_status(
    conn: AsyncConnection,
    actor: str,
    action: str,
    badge_id: str,
    status: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """A badge's new status in the ledger, with the audit row and the event that carries
    it to the graph."""
    await credentials.update_badge(
        conn,
        badge_id,
        status=status,
        updated_at=now(),
        review_comment=(extra or {}).get("reviewComment"),
    )
    props = {"status": status, "updatedAt": now().isoformat(), **(extra or {})}
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="Badge",
        subject_id=badge_id,
        payload={"id": badge_id, "props": props},
    )
