"""Pupils enrolled by their teacher without an e-mail address (issue 15).

A roster becomes pupil accounts at once: a random handle (never their name), the name
others see (the teacher's pseudonym, or first name + initial), a private profile, and a
one-time sign-in code each (only its hash is kept). Redeeming a code sets the pupil's
password and signs them in. Printing the slips (http/roster_sheet.py) gives the pupils
who have not signed in yet new codes: the old ones stop working.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import Field, field_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import pupils as graph_pupils
from odznaka_graph.graph_model import teams as graph_teams
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import pupils as rows
from odznaka_graph.ledger.account_lifecycle import set_password
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import PupilReason
from odznaka_graph.services import throttling, tokens
from odznaka_graph.services.accounts import AccountService, Session
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.pupil_rules import AgeBand, protected_props, shown_name
from odznaka_graph.services.teams import CODE_ALPHABET, TeamService, normalized_code
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

CODE_LENGTH = 10  # 31^10 ≈ 8·10^14, and every attempt is throttled
HANDLE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class RosterEntry(Model):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    pseudonym: Annotated[str, Field(min_length=1, max_length=40)] | None = None

    @field_validator("name", "pseudonym")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("Give a name, not only spaces.")
        return value.strip() if value else value


class Roster(Model):
    team_id: str
    age_band: AgeBand
    pupils: Annotated[list[RosterEntry], Field(min_length=1)]


class Redemption(Model):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    password: Annotated[str, Field(min_length=10, max_length=200)]


@dataclass(frozen=True)
class Slip:
    """One pupil's line of the roster, with their new sign-in code."""

    account_id: str
    handle: str
    name: str
    shown_name: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Sheet:
    class_names: dict[str, str]  # language -> the class's name
    slips: list[Slip]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    """ABCDE23456 → ABCDE-23456: easier to copy from a slip."""
    return f"{code[:5]}-{code[5:]}"


def redeem_url(base_url: str, code: str) -> str:
    """The page a slip's QR code opens: the code filled in, the pupil sets a password."""
    return f"{base_url}/pupil/sign-in?code={shown_code(code)}"


def new_handle() -> str:
    return "pupil-" + "".join(secrets.choice(HANDLE_ALPHABET) for _ in range(8))


class PupilService:
    def __init__(self, stores: Stores, accounts: AccountService, teams: TeamService) -> None:
        self.stores = stores
        self.accounts = accounts
        self.teams = teams

    def _expiry(self) -> datetime:
        return now() + timedelta(days=self.stores.settings.pupil_code_days)

    async def enrol(self, viewer: Viewer, data: dict[str, Any]) -> tuple[str, list[Slip]]:
        """New pupil accounts in the class (its teachers, the school's admins), each with
        a sign-in code; the codes are shown once, here and on the printed slips."""
        roster = parse(Roster, data)
        self._check_size(roster)
        team = await self.teams.class_managed(viewer, roster.team_id)
        unusable = await tokens.hash_password(tokens.new_secret_token())  # until redeemed
        at, expires = now(), self._expiry()
        slips = [self._slip(entry, expires) for entry in roster.pupils]
        props = protected_props(roster.age_band)

        async def work(conn: AsyncConnection) -> None:
            new = [
                rows.NewPupil(
                    s.account_id, team.team_id, s.name, s.shown_name, roster.age_band, team.actor
                )
                for s in slips
            ]
            handles = {s.account_id: s.handle for s in slips}
            await rows.insert_pupils(conn, new, handles, unusable, at)
            await rows.insert_codes(conn, _hashes(slips), at, expires)
            for slip in slips:
                await _registered(conn, team.actor, slip, props, at)

        await self.stores.commit(work)
        graph_rows = [
            {"id": s.account_id, "handle": s.handle, "displayName": s.shown_name, "props": props}
            for s in slips
        ]
        await graph_pupils.enrol(self.stores.graph, team.team_id, graph_rows, at)
        return team.team_id, slips

    def _check_size(self, roster: Roster) -> None:
        most = self.stores.settings.pupil_roster_max
        if len(roster.pupils) > most:
            raise ValidationFailed(
                {"pupils": f"At most {most} pupils at once (PUPIL_ROSTER_MAX)."},
                reason=PupilReason.ROSTER_INVALID,
            )

    def _slip(self, entry: RosterEntry, expires: datetime) -> Slip:
        shown = shown_name(entry.name, entry.pseudonym)
        return Slip(new_id(), new_handle(), entry.name, shown, new_code(), expires)

    async def sheet(self, viewer: Viewer, team_id: str) -> Sheet:
        """The class's name and fresh slips, for printing."""
        found_id, slips = await self.new_slips(viewer, team_id)
        found = await graph_teams.teams_by_ids(self.stores.graph, [found_id], viewer.id)
        names = found[found_id].texts.get("name", {}) if found_id in found else {}
        return Sheet(names, slips)

    async def new_slips(self, viewer: Viewer, team_id: str) -> tuple[str, list[Slip]]:
        """Fresh codes for the class's pupils who have not signed in yet (earlier codes
        stop working)."""
        team = await self.teams.class_managed(viewer, team_id)
        at, expires = now(), self._expiry()

        async def work(conn: AsyncConnection) -> list[Slip]:
            waiting = [r for r in await rows.roster(conn, team.team_id) if r.signed_in_at is None]
            slips = [
                Slip(r.account_id, r.handle, r.name, r.shown_name, new_code(), expires)
                for r in waiting
            ]
            if slips:
                await rows.insert_codes(conn, _hashes(slips), at, expires)
                payload = {"id": team.team_id, "pupils": len(slips)}
                await _audit(conn, team.actor, "pupil.codes_issued", team.team_id, payload)
            return slips

        return team.team_id, await self.stores.commit(work)

    async def roster(self, viewer: Viewer, team_id: str) -> list[Any] | None:
        """The class's enrolled pupils with their names: its teachers and the school's
        admins only (None for anyone else)."""
        team = await self.teams.class_manager_or_none(viewer, team_id)
        if team is None:
            return None
        async with self.stores.ledger.reading() as conn:
            return await rows.roster(conn, team.team_id)

    async def redeem(self, data: dict[str, Any], client: str | None, device: str | None) -> Session:
        """Spend a sign-in code: the pupil's password is set and they are signed in."""
        given = parse(Redemption, data)
        attempts = throttling.pupil_code(self.stores.settings, client)
        await throttling.admit(
            self.stores.ledger,
            attempts,
            "Too many sign-in code attempts; wait.",
            PupilReason.SIGN_IN_CODE_THROTTLED,
        )
        digest = tokens.token_hash(normalized_code(given.code))
        password_hash = await tokens.hash_password(given.password)

        async def work(conn: AsyncConnection) -> Session:
            at = now()
            account_id = await rows.use_code(conn, digest, at)
            if account_id is None:
                raise await _refusal(conn, digest, at)
            await set_password(conn, account_id, password_hash)
            await rows.signed_in(conn, account_id, at)
            await record(
                conn,
                actor_id=account_id,
                action="pupil.signed_in",
                subject_type="Account",
                subject_id=account_id,
                payload={"id": account_id},
            )
            return await self.accounts.start_session(conn, account_id, device=device)

        return await self.stores.commit(work)


def _hashes(slips: list[Slip]) -> dict[str, str]:
    return {s.account_id: tokens.token_hash(s.code) for s in slips}


async def _refusal(conn: AsyncConnection, digest: str, at: datetime) -> Exception:
    found = await rows.code(conn, digest)
    if found is None:
        return NotFound("No pupil has this code.", reason=PupilReason.SIGN_IN_CODE_UNKNOWN)
    if found.used_at is not None:
        return Conflict(
            "This code was used already: ask your teacher for a new slip.",
            reason=PupilReason.SIGN_IN_CODE_USED,
        )
    return Conflict(
        "This code has expired: ask your teacher for a new slip.",
        reason=PupilReason.SIGN_IN_CODE_EXPIRED,
    )


async def _registered(
    conn: AsyncConnection, actor: str, slip: Slip, props: dict[str, Any], at: datetime
) -> None:
    """The account and its protected profile, as the projection gets every account."""
    payload = {"id": slip.account_id, "handle": slip.handle, "displayName": slip.shown_name}
    await record(
        conn,
        actor_id=actor,
        action="account.registered",
        subject_type="Account",
        subject_id=slip.account_id,
        payload=payload | {"at": at.isoformat()},
    )
    await record(
        conn,
        actor_id=actor,
        action="profile.updated",
        subject_type="Account",
        subject_id=slip.account_id,
        payload={"id": slip.account_id, "props": props},
    )


async def _audit(
    conn: AsyncConnection, actor: str, action: str, team_id: str, payload: dict[str, Any]
) -> None:
    await record(
        conn,
        actor_id=actor,
        action=action,
        subject_type="Team",
        subject_id=team_id,
        payload=payload,
    )
