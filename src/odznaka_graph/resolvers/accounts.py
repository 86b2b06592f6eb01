"""Accounts: register, sign in, refresh, profile, e-mail addresses, me."""

from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.ledger import accounts as account_rows
from odznaka_graph.resolvers.audience import profile_visible
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.resolvers.loaders import forget
from odznaka_graph.schema.accounts import (
    AddEmailInput,
    AuthPayload,
    AuthResult,
    EmailAddress,
    EmailPayload,
    EmailResult,
    LoginInput,
    ProfileResult,
    RefreshTokenInput,
    RegisterInput,
    UpdateProfileInput,
    User,
    VerifyEmailInput,
)
from odznaka_graph.services.accounts import Session


async def _session(session: Session) -> AuthPayload:
    return AuthPayload(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        expires_in_seconds=session.expires_in_seconds,
        user_id=strawberry.ID(to_global("User", session.account_id)),
    )


async def user_by_id(info: Info, user_id: str) -> User | None:
    record = await info.context.loaders.user_by_id.load(user_id)
    if record is None or not await profile_visible(info, record):
        return None
    return User(record=record)


async def emails_of(info: Info, user_id: str) -> list[EmailAddress]:
    if info.context.viewer.id != user_id:
        return []
    async with info.context.services.stores.ledger.reading() as conn:
        rows = await account_rows.emails_of(conn, user_id)
    return [EmailAddress(email=r.email, verified=r.verified_at is not None) for r in rows]


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in user, or null.")
    async def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        return await user_by_id(info, viewer.id) if viewer.id else None

    @strawberry.field(description="A public profile by handle (only what its owner shows).")
    async def user(self, info: Info, handle: str) -> User | None:
        from odznaka_graph.graph_model.users import user_by_handle

        record = await user_by_handle(info.context.services.stores.graph, handle.lower())
        if record is None or not await profile_visible(info, record):
            return None
        return User(record=record)


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Create an account; returns a signed-in session.")
    async def register(self, info: Info, input: RegisterInput) -> AuthResult:
        data = vars(input)
        return await as_result(info.context.services.accounts.register(data), _session)

    @strawberry.mutation(description="Sign in; repeated failures are rate-limited.")
    async def login(self, info: Info, input: LoginInput) -> AuthResult:
        accounts = info.context.services.accounts
        return await as_result(accounts.login(input.email, input.password), _session)

    @strawberry.mutation(description="Trade a refresh token for a new session (rotating).")
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> AuthResult:
        accounts = info.context.services.accounts
        return await as_result(accounts.refresh(input.refresh_token), _session)

    @strawberry.mutation(description="Change the signed-in user's profile.")
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> ProfileResult:
        data: dict[str, Any] = {
            k: (v.value if hasattr(v, "value") else v)
            for k, v in vars(input).items()
            if v is not strawberry.UNSET
        }
        if data.get("home_place") is not None:
            data["home_place"] = vars(data["home_place"])
        work = info.context.services.accounts.update_profile(info.context.viewer, data)
        return await as_result(work, lambda user_id: _fresh_user(info, user_id))

    @strawberry.mutation(description="Add an e-mail address; a verification mail is sent.")
    async def add_email(self, info: Info, input: AddEmailInput) -> EmailResult:
        work = info.context.services.accounts.add_email(info.context.viewer, input.email)
        return await as_result(work, _unverified)

    @strawberry.mutation(description="Verify an address with the token from the mail.")
    async def verify_email(self, info: Info, input: VerifyEmailInput) -> EmailResult:
        work = info.context.services.accounts.verify_email(input.token)
        return await as_result(work, _verified)


async def _unverified(email: str) -> EmailPayload:
    return EmailPayload(email=email, verified=False)


async def _verified(email: str) -> EmailPayload:
    return EmailPayload(email=email, verified=True)


async def _fresh_user(info: Info, user_id: str) -> User | None:
    forget(info.context.loaders.user_by_id, user_id)
    return await user_by_id(info, user_id)
