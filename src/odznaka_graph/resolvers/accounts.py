"""Accounts: register, sign in, refresh, profile, e-mail addresses, me."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.resolvers.common import as_result, as_sign_in_result
from odznaka_graph.schema.accounts import (
    AddEmailInput,
    AuthPayload,
    AuthResult,
    EmailPayload,
    EmailResult,
    LoginInput,
    LogoutPayload,
    LogoutResult,
    ProfileResult,
    RefreshTokenInput,
    RegisterInput,
    UpdateProfileInput,
    User,
    VerifyEmailInput,
    user_or_none,
)
from odznaka_graph.schema.args import INPUT, described
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.services import account_reads
from odznaka_graph.services.accounts import Session


async def _session(session: Session) -> AuthPayload:
    return AuthPayload(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        expires_in_seconds=session.expires_in_seconds,
        user_id=strawberry.ID(to_global("User", session.account_id)),
    )


def client_address(info: Info) -> str | None:
    """The peer's IP address (HTTP or WebSocket), the key for per-client throttles. A
    proxy in front must pass the real address to uvicorn (--proxy-headers)."""
    client = getattr(info.context.request, "client", None)
    return str(client.host) if client is not None and client.host else None


def device(info: Info) -> str | None:
    """The client's User-Agent, noted with a new session (`me { sessions }`)."""
    headers = getattr(info.context.request, "headers", None)
    return headers.get("user-agent") if headers is not None else None


async def user_by_id(info: Info, user_id: str) -> User | None:
    """A profile the viewer may open. Kept for the schema modules of other areas that
    still call it (activity, clubs, leaderboards, notifications, peer_awards, teams) and
    for node(id:); they should call services.account_reads.user."""
    return user_or_none(await account_reads.user(info.context.loaders, user_id))


@strawberry.type
class AccountQueries:
    @field(description="The signed-in user, or null.")
    async def me(self, info: Info) -> User | None:
        return user_or_none(await account_reads.me(info.context.loaders))

    @field(description="A public profile by handle (only what its owner shows).")
    async def user(
        self,
        info: Info,
        handle: Annotated[str, described("The person's handle, as in /u/<handle>.")],
    ) -> User | None:
        return user_or_none(await account_reads.user_by_handle(info.context.loaders, handle))


@strawberry.type
class AccountMutations:
    @mutation(
        description="Create an account; returns a signed-in session. Limited per client "
        "address (REGISTER_MAX_PER_CLIENT per hour). An address that already has an account "
        "gets the same answer and its owner a mail."
    )
    async def register(self, info: Info, input: Annotated[RegisterInput, INPUT]) -> AuthResult:
        accounts = info.context.services.accounts
        work = accounts.register(vars(input), client=client_address(info), device=device(info))
        return await as_result(work, _session)

    @mutation(
        description="Sign in. Attempts are counted per address and per client address; past "
        "the limit each further attempt waits a doubling delay (RateLimitedError)."
    )
    async def login(self, info: Info, input: Annotated[LoginInput, INPUT]) -> AuthResult:
        accounts = info.context.services.accounts
        work = accounts.login(input.email, input.password, client_address(info), device(info))
        return await as_sign_in_result(work, _session)

    @mutation(description="Sign out: this session's refresh and access tokens stop working now.")
    async def logout(self, info: Info) -> LogoutResult:
        work = info.context.services.accounts.logout(info.context.viewer)
        return await as_result(work, _signed_out(everywhere=False))

    @mutation(description="Sign out every session of the account, on all devices.")
    async def logout_everywhere(self, info: Info) -> LogoutResult:
        work = info.context.services.accounts.logout(info.context.viewer, everywhere=True)
        return await as_result(work, _signed_out(everywhere=True))

    @mutation(description="Trade a refresh token for a new session (rotating).")
    async def refresh_token(
        self, info: Info, input: Annotated[RefreshTokenInput, INPUT]
    ) -> AuthResult:
        accounts = info.context.services.accounts
        return await as_sign_in_result(accounts.refresh(input.refresh_token), _session)

    @mutation(description="Change the signed-in user's profile.")
    async def update_profile(
        self, info: Info, input: Annotated[UpdateProfileInput, INPUT]
    ) -> ProfileResult:
        data: dict[str, Any] = {
            k: (v.value if hasattr(v, "value") else v)
            for k, v in vars(input).items()
            if v is not strawberry.UNSET
        }
        if data.get("home_place") is not None:
            data["home_place"] = vars(data["home_place"])
        work = info.context.services.accounts.update_profile(info.context.viewer, data)
        return await as_result(work, lambda user_id: fresh_user(info, user_id))

    @mutation(
        description="Add an e-mail address, with your current password; a verification "
        "mail is sent to it."
    )
    async def add_email(self, info: Info, input: Annotated[AddEmailInput, INPUT]) -> EmailResult:
        accounts = info.context.services.accounts
        work = accounts.add_email(info.context.viewer, input.email, input.password)
        return await as_result(work, _unverified)

    @mutation(description="Verify an address with the token from the mail.")
    async def verify_email(
        self, info: Info, input: Annotated[VerifyEmailInput, INPUT]
    ) -> EmailResult:
        work = info.context.services.accounts.verify_email(input.token)
        return await as_result(work, _verified)


def _signed_out(*, everywhere: bool) -> Callable[[str], Awaitable[LogoutPayload]]:
    async def payload(_account_id: str) -> LogoutPayload:
        return LogoutPayload(signed_out=True, everywhere=everywhere)

    return payload


async def _unverified(email: str) -> EmailPayload:
    return EmailPayload(email=email, verified=False)


async def _verified(email: str) -> EmailPayload:
    return EmailPayload(email=email, verified=True)


async def fresh_user(info: Info, user_id: str) -> User:
    """The viewer's profile, read again after a change to it."""
    return User(record=await account_reads.fresh_user(info.context.loaders, user_id))
