"""A guardian's consent for a pupil under 16 (issue 15): asked for by the pupil or their
teacher, given with one click on the mailed link, withdrawn the same way. Who gave it
(the address the link went to) and when are recorded; giving or withdrawing it changes
the pupil's protections at once (the User node's `minorProtected`)."""

from dataclasses import dataclass
from typing import Any

from pydantic import EmailStr
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model import users
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import pupils as rows
from odznaka_graph.ledger.journal import record
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.outcomes import PupilReason
from odznaka_graph.services import tokens
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.pupil_rules import UNDER_CONSENT_AGE
from odznaka_graph.services.teams import TeamService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

INVALID_LINK = "This consent link is not valid."


class ConsentRequest(Model):
    guardian_email: EmailStr
    pupil_id: str | None = None  # a teacher asks for one of their pupils


@dataclass(frozen=True)
class ConsentState:
    pupil_id: str
    granted: bool


class GuardianService:
    def __init__(self, stores: Stores, teams: TeamService) -> None:
        self.stores = stores
        self.teams = teams

    async def request(self, viewer: Viewer, data: dict[str, Any]) -> str:
        """Mail the guardian a one-click link; the pupil's id."""
        given = parse(ConsentRequest, data)
        actor = signed_in(viewer)
        pupil_id = given.pupil_id or actor
        async with self.stores.ledger.reading() as conn:
            pupil = await rows.pupil(conn, pupil_id)
            band = await rows.age_band(conn, pupil_id)  # also one given at registration
        if band not in UNDER_CONSENT_AGE or (pupil is None and pupil_id != actor):
            raise NotFound(
                "Only a pupil under 16 needs a guardian's consent.",
                reason=PupilReason.NOT_A_PUPIL,
            )
        if pupil is not None and pupil_id != actor:  # their teacher (or school admin) asks
            await self.teams.class_managed(viewer, pupil.team_id)
        name = pupil.shown_name if pupil is not None else await self._shown_name(pupil_id)
        token = tokens.new_secret_token()
        email = given.guardian_email.lower()

        async def work(conn: AsyncConnection) -> str:
            values = {
                "id": new_id(),
                "account_id": pupil_id,
                "guardian_email": email,
                "token_hash": tokens.token_hash(token),
                "requested_by": actor,
                "requested_at": now(),
            }
            await rows.request_consent(conn, values)
            data = {"token": token, "name": name}
            await queue(conn, Mail(MailKind.GUARDIAN_CONSENT, email, data))
            await _audit(conn, actor, "guardian.consent_requested", pupil_id, {"to": email})
            return pupil_id

        return await self.stores.commit(work)

    async def _shown_name(self, account_id: str) -> str:
        found = await users.users_by_ids(self.stores.graph, [account_id])
        return found[account_id].display_name if account_id in found else ""

    async def state(self, token: str) -> tuple[str, bool]:
        """The pupil's shown name and whether this link's consent is in force."""
        async with self.stores.ledger.reading() as conn:
            consent = await _consent(conn, token)
            pupil = await rows.pupil(conn, consent.account_id)
        name = pupil.shown_name if pupil else ""
        return name, consent.granted_at is not None and consent.revoked_at is None

    async def grant(self, token: str) -> ConsentState:
        return await self._answer(token, grant=True)

    async def revoke(self, token: str) -> ConsentState:
        return await self._answer(token, grant=False)

    async def _answer(self, token: str, *, grant: bool) -> ConsentState:
        async def work(conn: AsyncConnection) -> ConsentState:
            consent = await _consent(conn, token)
            at = now()
            if grant:
                await rows.set_consent(conn, consent.id, granted_at=at, revoked_at=None)
            else:
                await rows.set_consent(conn, consent.id, revoked_at=at)
            pupil_id = consent.account_id
            still_protected = await rows.consent_given(conn, pupil_id) is None
            props: dict[str, Any] = {"minorProtected": still_protected}
            if still_protected:
                props["visibility"] = "PRIVATE"  # withdrawn: back to the start
            action = "guardian.consent_given" if grant else "guardian.consent_withdrawn"
            by = {"guardianEmail": consent.guardian_email, "at": at.isoformat()}
            await _audit(conn, None, action, pupil_id, by)
            await record(
                conn,
                actor_id=None,
                action="profile.updated",
                subject_type="Account",
                subject_id=pupil_id,
                payload={"id": pupil_id, "props": props},
            )
            return ConsentState(pupil_id, not still_protected)

        return await self.stores.commit(work)


async def _consent(conn: AsyncConnection, token: str) -> Any:
    found = await rows.consent_by_token(conn, tokens.token_hash(token))
    if found is None:
        raise NotFound(INVALID_LINK, reason=PupilReason.CONSENT_LINK_INVALID)
    return found


async def _audit(
    conn: AsyncConnection, actor: str | None, action: str, pupil_id: str, payload: dict[str, Any]
) -> None:
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="Account",
        subject_id=pupil_id,
        payload={"id": pupil_id, **payload},
    )
