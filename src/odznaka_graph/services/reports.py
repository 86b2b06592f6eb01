"""Reports and their decisions (issue 15). Anyone signed in reports a club, a peer badge,
a profile or an award they can see, with a reason. A report about a club, its peer badges
or their awards goes to the club's owners and moderators (scope CLUB); one about a profile,
an organisation's badge or its award to the platform moderators (scope PLATFORM; they see
every report). A moderator decides once: HIDE (the content disappears from every read path:
`hidden` on its graph node, written by the projection of the outbox topic `content.hidden`
and refused by services/visibility.py), DISMISS, or ESCALATE (a club report goes up to the
platform moderators, still open). Every step is audited."""

from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound
from odznaka_graph.graph_model import reports as graph
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import accounts as account_repo
from odznaka_graph.ledger import reports as ledger
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.journal import enqueue, record
from odznaka_graph.ledger.reports import ReportRow
from odznaka_graph.outcomes import AccountReason, ReportReason
from odznaka_graph.services import throttling
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import RULES, Action, signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility_service import Visibility
from odznaka_graph.standard import Model

OPEN, DECIDED = "OPEN", "DECIDED"
NO_TARGET = "Nothing to report there, or nothing you may see."
NO_REPORT = "No such report, or not one you moderate."


class ReportInput(Model):
    target_type: Literal["Club", "Badge", "User", "Award"]
    target_id: str
    reason: Literal["SPAM", "ABUSE", "PERSONAL_DATA", "INAPPROPRIATE", "OTHER"]
    note: Annotated[str, Field(max_length=1000)] | None = None


class DecisionInput(Model):
    report_id: str
    decision: Literal["HIDE", "DISMISS", "ESCALATE"]
    note: Annotated[str, Field(max_length=1000)] | None = None


def club_moderator_roles() -> list[str]:
    return sorted(str(role) for role in RULES[Action.MODERATE_CLUB].roles)


async def _scope(seen: Visibility, kind: str, target_id: str) -> str | None | Literal[False]:
    """The club whose moderators get the report (None: the platform's), or False when the
    target is not there for the reporter."""
    if kind == "Club":
        return target_id if await seen.club(target_id) else False
    if kind == "User":
        return None if await seen.user(target_id) else False
    badge_id = target_id
    if kind == "Award":
        award = await seen.award(target_id)
        if award is None:
            return False
        badge_id = award.badge_id
    badge = await seen.badge(badge_id)
    if badge is None:
        return False
    return badge.club_id


class ReportService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def report(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """The reporter's open report about the target (the existing one when they reported
        it already)."""
        given = parse(ReportInput, data)
        reporter = signed_in(viewer)
        seen = Visibility(self.stores.graph, self.stores.ledger, viewer)
        club_id = await _scope(seen, given.target_type, given.target_id)
        if club_id is False:
            raise NotFound(NO_TARGET, reason=ReportReason.REPORT_TARGET_NOT_FOUND)
        key = ledger.open_key(reporter, given.target_type, given.target_id)
        async with self.stores.ledger.reading() as conn:
            existing = await ledger.open_report(conn, key)
        if existing is not None:
            return existing.id
        attempts = throttling.report(self.stores.settings, reporter)
        await throttling.admit(
            self.stores.ledger,
            attempts,
            "Too many reports in a short time.",
            ReportReason.TOO_MANY_REPORTS,
        )
        report_id = new_id()

        async def work(conn: AsyncConnection) -> str:
            await ledger.insert_report(
                conn,
                id=report_id,
                reporter_id=reporter,
                target_type=given.target_type,
                target_id=given.target_id,
                scope="PLATFORM" if club_id is None else "CLUB",
                club_id=club_id,
                reason=given.reason,
                note=given.note,
                status=OPEN,
                open_key=key,
                created_at=now(),
            )
            payload = {"id": report_id, "target": given.target_id, "reason": given.reason}
            await _audit(conn, reporter, "report.created", report_id, payload)
            return report_id

        try:
            return await self.stores.commit(work)
        except IntegrityError:  # a concurrent report of the same reporter and target won
            async with self.stores.ledger.reading() as conn:
                won = await ledger.open_report(conn, key)
            if won is None:
                raise
            return won.id

    async def decide(self, viewer: Viewer, data: dict[str, Any]) -> str:
        given = parse(DecisionInput, data)
        actor = signed_in(viewer)
        async with self.stores.ledger.reading() as conn:
            found = await ledger.report(conn, given.report_id)
            platform = await ledger.is_platform_moderator(conn, actor)
        if found is None or not await self._moderates(actor, platform, found):
            raise NotFound(NO_REPORT, reason=ReportReason.REPORT_NOT_FOUND)
        if found.status != OPEN:
            raise _decided()
        if given.decision == "ESCALATE":
            return await self._escalate(actor, found, given.note)

        async def work(conn: AsyncConnection) -> str:
            at = now()
            note = given.note
            if not await ledger.decide(
                conn, found.id, decision=given.decision, actor=actor, at=at, note=note
            ):
                raise _decided()
            payload = {"id": found.id, "decision": given.decision, "note": note}
            await _audit(conn, actor, "report.decided", found.id, payload)
            if given.decision == "HIDE":  # the graph follows through the projection
                hidden = {"type": found.target_type, "id": found.target_id}
                await enqueue(conn, "content.hidden", hidden)
            return found.id

        return await self.stores.commit(work)

    async def _escalate(self, actor: str, found: ReportRow, note: str | None) -> str:
        async def work(conn: AsyncConnection) -> str:
            if not await ledger.escalate(conn, found.id):
                current = await ledger.report(conn, found.id)
                if current is not None and current.status != OPEN:
                    raise _decided()
                raise Conflict(
                    "Only an open club report goes up to the platform moderators.",
                    reason=ReportReason.REPORT_NOT_ESCALATABLE,
                )
            payload = {"id": found.id, "decision": "ESCALATE", "note": note}
            await _audit(conn, actor, "report.escalated", found.id, payload)
            return found.id

        return await self.stores.commit(work)

    async def _moderates(self, actor: str, platform: bool, found: ReportRow) -> bool:
        if platform:
            return True
        if found.scope != "CLUB" or found.club_id is None:
            return False
        clubs = await graph.moderated_clubs(self.stores.graph, actor, club_moderator_roles())
        return found.club_id in clubs


def _decided() -> Conflict:
    return Conflict("The report was decided already.", reason=ReportReason.REPORT_DECIDED)


async def _audit(
    conn: AsyncConnection, actor: str, action: str, report_id: str, payload: dict[str, Any]
) -> None:
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="Report",
        subject_id=report_id,
        payload=payload,
    )


async def grant_platform_moderator(store: Ledger, email: str) -> None:
    """Make the account holding `email` a platform moderator (the SQL store only: roles
    live there, never in tokens), audited like the reviewer role."""
    async with store.transaction() as conn:
        account = await account_repo.account_by_email(conn, email.lower())
        if account is None:
            raise NotFound(
                f"No account has the e-mail {email}.", reason=AccountReason.NO_ACCOUNT_FOR_EMAIL
            )
        if await ledger.add_platform_moderator(conn, account.id, now()):
            await record(
                conn,
                actor_id=None,
                action="account.role_granted",
                subject_type="Account",
                subject_id=account.id,
                payload={"id": account.id, "role": "PLATFORM_MODERATOR"},
            )
