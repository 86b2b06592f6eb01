"""The account lifecycle (issue 14): password reset by mail, password change, changing the
sign-in address through verification of the new one, sessions (device, last use)."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import anyio
from pydantic import EmailStr, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import NotFound
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ledger import account_lifecycle as rows
from odznaka_graph.ledger import accounts as repo
from odznaka_graph.ledger.throttle import Policy
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.mail.queue import Mail, queue
from odznaka_graph.outcomes import AccountReason
from odznaka_graph.services import throttling, tokens
from odznaka_graph.services.accounts import AccountService, Session
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.passwords import confirm_password
from odznaka_graph.services.permissions import signed_in
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

RESET_LIFETIME = timedelta(hours=1)
RESET_ANSWER = 0.25  # seconds: the least time a reset request's answer takes, known or not
RESET_ADDRESS = "reset.address"
RESET_CLIENT = "reset.client"
RESET_LINK_INVALID = "This password reset link is not valid, was used, or expired."


class _Reset(Model):
    email: EmailStr


class _NewPassword(Model):
    new_password: Annotated[str, Field(min_length=10, max_length=200)]


@dataclass(frozen=True)
class SessionRecord:
    id: str
    device: str | None
    created_at: datetime
    last_used_at: datetime
    current: bool


class AccountLifecycleService:
    def __init__(self, stores: Stores, accounts: AccountService) -> None:
        self.stores = stores
        self.settings = stores.settings
        self.accounts = accounts

    def _reset_attempts(self, email: str, client: str | None) -> list[throttling.Attempt]:
        window = timedelta(seconds=self.settings.password_reset_window_seconds)
        per_address = Policy(self.settings.password_reset_max_per_address, window)
        per_client = Policy(self.settings.register_max_per_client, window)
        found = [throttling.Attempt(RESET_ADDRESS, email, per_address)]
        return found + ([throttling.Attempt(RESET_CLIENT, client, per_client)] if client else [])

    async def request_password_reset(self, email: str, client: str | None = None) -> None:
        """Mail a one-hour, single-use link to the account that signs in with the address
        (never to another of its addresses: one added later must not open the account).
        The answer is the same whether or not there is one, and takes as long: requests
        are counted per address and per client address either way, a token is made either
        way, and the answer never comes sooner than RESET_ANSWER after the request."""
        started = time.monotonic()
        address = parse(_Reset, {"email": email}).email.lower()
        await throttling.admit(
            self.stores.ledger,
            self._reset_attempts(address, client),
            "Too many password reset requests; try again later.",
            AccountReason.PASSWORD_RESET_THROTTLED,
        )
        token = tokens.new_secret_token()
        digest = tokens.token_hash(token)
        async with self.stores.ledger.transaction() as conn:
            account_id = await rows.account_signing_in_with(conn, address)
            if account_id is not None:  # reset links go to sign-in addresses only
                await rows.insert_reset(conn, digest, account_id, now() + RESET_LIFETIME)
                mail = Mail(MailKind.RESET_PASSWORD, address, {"token": token}, account_id)
                await queue(conn, mail)
        await anyio.sleep(max(0.0, RESET_ANSWER - (time.monotonic() - started)))

    async def reset_password(
        self, token: str, new_password: str, client: str | None = None
    ) -> Session:
        """Set a new password with the mailed token (once, within the hour): every session
        of the account ends, every other reset link of it stops working, and a new session
        starts. Attempts are counted per client address; the token is checked before the
        (slow) new password hash is made."""
        password = parse(_NewPassword, {"new_password": new_password}).new_password
        await throttling.admit(
            self.stores.ledger,
            throttling.password_reset_use(self.settings, client),
            "Too many password reset attempts; try again later.",
            AccountReason.PASSWORD_CHANGE_THROTTLED,
        )
        digest = tokens.token_hash(token)
        async with self.stores.ledger.reading() as conn:
            live = await rows.live_reset(conn, digest, now())
        if live is None:
            raise NotFound(RESET_LINK_INVALID, reason=AccountReason.PASSWORD_RESET_LINK_INVALID)
        password_hash = await tokens.hash_password(password)
        async with self.stores.ledger.transaction() as conn:
            account_id = await rows.use_reset(conn, digest, now())
            if account_id is None:  # spent meanwhile
                raise NotFound(RESET_LINK_INVALID, reason=AccountReason.PASSWORD_RESET_LINK_INVALID)
            await self._password_changed(conn, account_id, password_hash, keep=None)
            return await self.accounts.start_session(conn, account_id)

    async def change_password(self, viewer: Viewer, password: str, new_password: str) -> str:
        """Change it knowing the current one; every other session ends."""
        account_id = signed_in(viewer)
        new = parse(_NewPassword, {"new_password": new_password}).new_password
        await confirm_password(self.stores, account_id, password)
        password_hash = await tokens.hash_password(new)
        async with self.stores.ledger.transaction() as conn:
            await self._password_changed(conn, account_id, password_hash, keep=viewer.session)
        return account_id

    async def _password_changed(
        self, conn: AsyncConnection, account_id: str, password_hash: str, keep: str | None
    ) -> None:
        await rows.set_password(conn, account_id, password_hash)
        await rows.spend_resets(conn, account_id, now())  # outstanding links stop working
        await rows.revoke_other_families(conn, account_id, keep, now())
        for email in await repo.emails_of(conn, account_id):
            if email.for_sign_in:
                await queue(conn, Mail(MailKind.PASSWORD_CHANGED, email.email, {}, account_id))

    async def change_email(
        self, viewer: Viewer, email: str, password: str | None
    ) -> tuple[str, bool]:
        """Sign in with another address once it is verified, proving it is the owner with
        the current password: a verification mail goes to it (answered like addEmail), and
        the address signed in with so far hears of it, so its owner can react. Until the
        new one is verified the current one stays. Returns the address and whether it took
        over already."""
        account_id = signed_in(viewer)
        address = parse(_Reset, {"email": email}).email.lower()
        await confirm_password(self.stores, account_id, password)
        async with self.stores.ledger.reading() as conn:
            mine = {row.email: row for row in await repo.emails_of(conn, account_id)}
        if address not in mine:
            await self.accounts.add_address(account_id, address)
        at_once = address in mine and mine[address].verified_at is not None
        old = [row.email for row in mine.values() if row.for_sign_in and row.email != address]
        async with self.stores.ledger.transaction() as conn:
            await rows.request_email_change(conn, account_id, address, now())
            if at_once:
                await rows.complete_email_change(conn, account_id, address)
            notice = {"newEmail": address}
            for to in old:
                await queue(conn, Mail(MailKind.EMAIL_CHANGE_REQUESTED, to, notice, account_id))
        return address, at_once

    async def revoke_session(self, viewer: Viewer, session_id: str) -> str:
        """End one of the viewer's sessions (its tokens stop working now)."""
        account_id = signed_in(viewer)
        async with self.stores.ledger.transaction() as conn:
            if await rows.session_owner(conn, session_id) != account_id:
                raise NotFound("No such session.", reason=AccountReason.SESSION_NOT_FOUND)
            await repo.revoke_family(conn, session_id, now())
        return session_id


async def sessions(loaders: Loaders, user: UserRecord) -> list[SessionRecord] | None:
    """The viewer's live sessions, last used first; None for anyone else."""
    if loaders.viewer.id != user.id:
        return None
    async with loaders.ledger.reading() as conn:
        found = await rows.live_sessions(conn, user.id, now())
    current = loaders.viewer.session
    return [
        SessionRecord(r.family_id, r.device, r.created_at, r.last_used_at, r.family_id == current)
        for r in found
    ]
