"""Registration, sign-in with throttling, sessions (rotation, sign-out), profiles, e-mails."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from pydantic import EmailStr, Field, field_validator
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import account_erasure as erasure
from odznaka_graph.ledger import account_lifecycle as lifecycle
from odznaka_graph.ledger import accounts as repo
from odznaka_graph.ledger import mail as mail_rows
from odznaka_graph.ledger import pupils as pupil_rows
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.journal import enqueue, record
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.outcomes import AccountReason
from odznaka_graph.services import pupil_rules, throttling, tokens
from odznaka_graph.services.account_merges import offer_merge
from odznaka_graph.services.award_claims import claim_pending
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.events import PlaceInput
from odznaka_graph.services.passwords import confirm_password
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.session_roles import SessionRoles
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

USED_LINK = "This verification link is not valid or was used already."
HANDLE = re.compile(r"^[a-z0-9](?:[a-z0-9_.-]{1,28}[a-z0-9])$")


class Registration(Model):
    email: EmailStr
    password: Annotated[str, Field(min_length=10, max_length=200)]
    handle: str
    display_name: Annotated[str, Field(min_length=1, max_length=100)]
    # A minor gets a pupil's protections from the start (issue 15).
    age_band: pupil_rules.AgeBand | None = None
    birth_year: Annotated[int, Field(ge=1900)] | None = None

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        if not HANDLE.match(value):
            raise ValueError("3–30 characters: lower-case letters, digits, '.', '_' or '-'")
        return value


class ProfileChange(Model):
    display_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    bio: Annotated[str, Field(max_length=2000)] | None = None
    avatar_url: Annotated[str, Field(max_length=500, pattern=r"^https://")] | None = None
    locale: Annotated[str, Field(pattern=r"^(pl|en|uk|de)$")] | None = None
    visibility: Annotated[str, Field(pattern=r"^(PUBLIC|CONTACTS|PRIVATE)$")] | None = None
    home_place: PlaceInput | None = None  # for nearby events; null clears it


def _age_band(reg: Registration) -> pupil_rules.AgeBand | None:
    """The band given, or the one of the birth year given; None when neither."""
    today = now().date()
    if reg.birth_year is None:
        return reg.age_band
    if reg.age_band is not None or reg.birth_year > today.year:
        raise ValidationFailed(
            {"birth_year": "Give an age band or a birth year (not in the future), not both."},
            reason=AccountReason.AGE_INVALID,
        )
    return pupil_rules.band_of_birth_year(reg.birth_year, today)


async def _protect(conn: AsyncConnection, account_id: str, band: str) -> None:
    """A minor's profile starts as a pupil's does: private, never suggested to strangers,
    guarded under 16 until a guardian consents."""
    await record(
        conn,
        actor_id=account_id,
        action="profile.updated",
        subject_type="Account",
        subject_id=account_id,
        payload={"id": account_id, "props": pupil_rules.protected_props(band)},
    )


def profile_props(change: ProfileChange) -> dict[str, Any]:
    """User node properties; the home place as three scalars (null removes them)."""
    fields = {"display_name": "displayName", "avatar_url": "avatarUrl"}
    data = change.model_dump(exclude_unset=True)
    place = data.pop("home_place", None) or {}
    props = {fields.get(k, k): v for k, v in data.items()}
    if "home_place" in change.model_fields_set:
        props |= {
            "homeLatitude": place.get("latitude"),
            "homeLongitude": place.get("longitude"),
            "homeAddress": place.get("address"),
        }
    return props


@dataclass(frozen=True)
class Session:
    account_id: str
    access_token: str
    refresh_token: str
    expires_in_seconds: int


class AccountService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self.settings = stores.settings
        self.sessions = SessionRoles(stores.ledger, stores.settings.session_cache_seconds)

    async def register(
        self,
        data: dict[str, Any],
        *,
        email_verified: bool = False,
        client: str | None = None,
        device: str | None = None,
    ) -> Session:
        """A new account; `email_verified` only for trusted callers (demo data, admin).
        An address someone already holds gets a session-shaped answer that opens nothing,
        and its owner a mail, so the answer does not tell whether the address is known."""
        reg = parse(Registration, data)
        band = _age_band(reg)
        email = reg.email.lower()
        ledger = self.stores.ledger
        await throttling.admit(
            ledger,
            throttling.register(self.settings, client),
            "Too many new accounts from here.",
            AccountReason.REGISTRATION_THROTTLED,
        )
        password_hash = await tokens.hash_password(reg.password)
        account_id = new_id()

        async def work(conn: AsyncConnection) -> Session:
            if await repo.handle_taken(conn, reg.handle):  # handles are public anyway
                raise ValidationFailed(
                    {"handle": "This handle is taken."}, reason=AccountReason.HANDLE_TAKEN
                )
            if repo.owned(await repo.email_claims(conn, email)):
                await _account_exists(conn, email)
                return self._decoy_session()
            at = now()
            await repo.insert_account(conn, account_id, reg.handle, password_hash, at)
            if band is not None:
                await pupil_rows.record_age_band(conn, account_id, band, at)
            if email_verified:
                await repo.insert_email(
                    conn, account_id, email, at, verified=True, for_sign_in=True
                )
                await self._grant_listed_role(conn, account_id, email)
            else:  # a listed reviewer address gives the role once verified (verify_email)
                await self._request_verification(conn, account_id, email, for_sign_in=True)
            minor = band in pupil_rules.MINORS
            name = pupil_rules.shown_name(reg.display_name, None) if minor else reg.display_name
            payload = {"id": account_id, "handle": reg.handle, "displayName": name}
            await record(
                conn,
                actor_id=account_id,
                action="account.registered",
                subject_type="Account",
                subject_id=account_id,
                payload=payload | {"at": at.isoformat()},
            )
            if minor and band is not None:
                await _protect(conn, account_id, band)
            return await self.start_session(conn, account_id, device=device)

        try:
            return await self.stores.commit(work)
        except IntegrityError:  # a concurrent registration won the race
            raise Conflict(
                "An account with this e-mail or handle already exists.",
                reason=AccountReason.ACCOUNT_EXISTS,
            ) from None

    def _decoy_session(self) -> Session:
        """Shaped like a new session; its tokens belong to no account and open nothing."""
        return self._session(new_id(), new_id(), tokens.new_secret_token())

    async def login(
        self, email: str, password: str, client: str | None = None, device: str | None = None
    ) -> Session:
        """Every attempt is counted before the password is checked (per address and per
        client address, see services/throttling.py); the password is always verified,
        against a dummy hash when no account has the address."""
        email = email.strip().lower()
        ledger = self.stores.ledger
        attempts = throttling.login(self.settings, email, client)
        await throttling.admit(
            ledger,
            attempts,
            "Too many sign-in attempts; try again later.",
            AccountReason.SIGN_IN_THROTTLED,
        )
        async with ledger.reading() as conn:
            account = await repo.sign_in_account(conn, email)  # not its other addresses
            if account is None and "@" not in email:  # a pupil signs in with their handle
                account = await pupil_rows.account_by_handle(conn, email)
        password_hash = account.password_hash if account is not None else None
        matches = await tokens.password_matches(password_hash, password)  # always checked
        if account is None or not matches:
            raise Unauthenticated(
                "The e-mail or password is wrong.", reason=AccountReason.WRONG_PASSWORD
            )
        await throttling.succeeded(ledger, attempts[0])  # the address, not the client
        async with ledger.transaction() as conn:
            if await erasure.cancel(conn, account.id):  # signing in keeps an account
                await record(
                    conn,
                    actor_id=account.id,
                    action="account.deletion_cancelled",
                    subject_type="Account",
                    subject_id=account.id,
                    payload={"id": account.id},
                )
            return await self.start_session(conn, account.id, device=device)

    async def refresh(self, refresh_token: str) -> Session:
        """Rotate: the old token is spent; reusing a spent one ends its whole family."""
        digest = tokens.token_hash(refresh_token)
        async with self.stores.ledger.transaction() as conn:
            row = await repo.use_refresh_token(conn, digest, now())
            if row is not None and row.expires_at > now():
                return await self.start_session(conn, row.account_id, row.family_id)
            known = row or await repo.refresh_token(conn, digest)
            if known is not None:
                await repo.revoke_family(conn, known.family_id, now())
        raise Unauthenticated(
            "This refresh token is no longer valid; sign in again.",
            reason=AccountReason.REFRESH_TOKEN_INVALID,
        )

    async def logout(self, viewer: Viewer, *, everywhere: bool = False) -> str:
        """End this session (its refresh family), or every session of the account: their
        access tokens stop working on the next request, open WebSockets are closed."""
        account_id = signed_in(viewer)
        async with self.stores.ledger.transaction() as conn:
            if everywhere or viewer.session is None:
                await repo.revoke_all_families(conn, account_id, now())
            else:
                await repo.revoke_family(conn, viewer.session, now())
        return account_id

    async def start_session(
        self,
        conn: AsyncConnection,
        account_id: str,
        family_id: str | None = None,
        *,
        device: str | None = None,
    ) -> Session:
        """A new session (or the next token of `family_id`'s), noted with its device and
        last use for `me { sessions }`."""
        refresh = tokens.new_secret_token()
        family_id = family_id or new_id()
        expires = now() + timedelta(days=self.settings.refresh_token_days)
        await repo.insert_refresh_token(
            conn, tokens.token_hash(refresh), account_id, family_id, expires
        )
        await lifecycle.touch_session(conn, family_id, account_id, device, now())
        return self._session(account_id, family_id, refresh)

    def _session(self, account_id: str, family_id: str, refresh: str) -> Session:
        minutes = self.settings.access_token_minutes
        access = tokens.issue_access_token(
            self.settings.jwt_secret.get_secret_value(), account_id, family_id, minutes
        )
        return Session(account_id, access, refresh, minutes * 60)

    async def viewer(self, bearer: str | None) -> Viewer | None:
        """Who the bearer is (anonymous without one), None when the token is invalid,
        expired or its session revoked. The role comes from the store, never the token:
        one SQL statement, kept for a moment (services/session_roles.py)."""
        if not bearer:
            return tokens.ANONYMOUS
        claims = tokens.read_access_token(self.settings.jwt_secret.get_secret_value(), bearer)
        if claims is None:
            return None
        role = await self.sessions.role(claims.account_id, claims.session)
        return None if role is None else Viewer(claims.account_id, role, claims.session)

    async def update_profile(self, viewer: Viewer, data: dict[str, Any]) -> str:
        change = parse(ProfileChange, data)
        account_id = signed_in(viewer)
        props = profile_props(change)

        async def work(conn: AsyncConnection) -> str:
            await pupil_rules.check_profile_change(conn, account_id, props)  # issue 15
            if change.locale is not None:  # the language of their mail too
                await mail_rows.remember_locale(conn, account_id, change.locale)
            await record(
                conn,
                actor_id=account_id,
                action="profile.updated",
                subject_type="Account",
                subject_id=account_id,
                payload={"id": account_id, "props": props},
            )
            return account_id

        return await self.stores.commit(work)

    async def add_email(self, viewer: Viewer, email: str, password: str | None) -> str:
        """Add another address, proving it is the owner with the current password (a stolen
        session alone must not add an address that can then receive mail for the account);
        see add_address."""
        account_id = signed_in(viewer)
        address = parse(_EmailOnly, {"email": email}).email.lower()
        await confirm_password(self.stores, account_id, password)
        return await self.add_address(account_id, address)

    async def add_address(self, account_id: str, address: str) -> str:
        """Credentials sent to the address land on the account once it is verified. An
        unverified claim reserves nothing; the answer is the same whether or not someone
        holds the address (whoever verified it gets a mail offering to merge their account
        into this one, services/account_merges.py, instead of a verification link). The
        caller checked the owner's password."""

        async def work(conn: AsyncConnection) -> str:
            claims = await repo.email_claims(conn, address)
            if any(c.account_id == account_id for c in claims):
                raise Conflict(
                    "You have added this address already.", reason=AccountReason.EMAIL_ALREADY_ADDED
                )
            holder = next((c.account_id for c in claims if c.verified_at is not None), None)
            if holder is not None:  # perhaps another account of the same person's
                await repo.insert_email(conn, account_id, address, now(), verified=False)
                await offer_merge(conn, holder, account_id, address)
            else:
                await self._request_verification(conn, account_id, address)
            await record(
                conn,
                actor_id=account_id,
                action="email.added",
                subject_type="Account",
                subject_id=account_id,
                payload={"id": account_id, "email": address},
            )
            return address

        return await self.stores.commit(work)

    async def _request_verification(
        self, conn: AsyncConnection, account_id: str, email: str, *, for_sign_in: bool = False
    ) -> None:
        token = tokens.new_secret_token()
        await repo.insert_email(
            conn,
            account_id,
            email,
            now(),
            verified=False,
            verification_hash=tokens.token_hash(token),
            for_sign_in=for_sign_in,
        )
        await enqueue(conn, "mail.verify_email", {"to": email})  # the token only in the mail
        await queue(conn, Mail(MailKind.VERIFY_EMAIL, email, {"token": token}, account_id))

    async def verify_email(self, token: str) -> str:
        """Confirm an address with the token from the mail; pending awards are claimed.
        The first account to verify an address keeps it; other claims on it are dropped."""

        async def work(conn: AsyncConnection) -> str:
            row = await repo.verify_email(conn, tokens.token_hash(token), now())
            if row is None:
                raise NotFound(USED_LINK, reason=AccountReason.VERIFICATION_LINK_INVALID)
            await repo.drop_other_claims(conn, row.email, row.account_id)
            await lifecycle.complete_email_change(conn, row.account_id, row.email)
            await self._grant_listed_role(conn, row.account_id, row.email)
            await record(
                conn,
                actor_id=row.account_id,
                action="email.verified",
                subject_type="Account",
                subject_id=row.account_id,
                payload={"id": row.account_id, "email": row.email},
            )
            await claim_pending(conn, row.email, row.account_id)
            return str(row.email)

        try:
            return await self.stores.commit(work)
        except IntegrityError:  # another account verified the address first
            raise NotFound(USED_LINK, reason=AccountReason.VERIFICATION_LINK_INVALID) from None

    async def _grant_listed_role(self, conn: AsyncConnection, account_id: str, email: str) -> None:
        """REVIEWER_EMAILS count only for a verified address: registering with one is not
        enough, since anyone may type it."""
        if email in self._reviewer_emails():
            await repo.set_role(conn, account_id, "REVIEWER")

    async def grant_reviewer(self, email: str) -> None:
        await grant_reviewer(self.stores.ledger, email)

    def _reviewer_emails(self) -> set[str]:
        return {email.lower() for email in self.settings.reviewer_emails}


async def grant_reviewer(ledger: Ledger, email: str) -> None:
    """Make the account holding `email` a platform reviewer (the SQL store only: roles
    live there)."""
    async with ledger.transaction() as conn:
        account = await repo.account_by_email(conn, email.lower())
        if account is None:
            raise NotFound(
                f"No account has the e-mail {email}.", reason=AccountReason.NO_ACCOUNT_FOR_EMAIL
            )
        await repo.set_role(conn, account.id, "REVIEWER")
        await record(
            conn,
            actor_id=None,
            action="account.role_granted",
            subject_type="Account",
            subject_id=account.id,
            payload={"id": account.id, "role": "REVIEWER"},
        )


async def _account_exists(conn: AsyncConnection, email: str) -> None:
    """The address's holder hears that someone tried it (the outbox event stays for
    readers of the outbox; the mail is queued in the same transaction)."""
    await enqueue(conn, "mail.account_exists", {"to": email})
    holder = await repo.account_by_email(conn, email)  # for their language
    await queue(conn, Mail(MailKind.ACCOUNT_EXISTS, email, {}, holder.id if holder else None))


class _EmailOnly(Model):
    email: EmailStr
