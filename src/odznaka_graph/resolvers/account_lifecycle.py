"""The account lifecycle (issue 14): password reset and change, sign-in address change,
sessions, mail preferences."""

from datetime import datetime
from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.resolvers.accounts import _session, client_address
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.account_lifecycle import (
    AccountDeletionScheduled,
    AccountsMerged,
    ChangeEmailInput,
    ChangePasswordInput,
    DataExportResult,
    DataExportStarted,
    DeleteMyAccountInput,
    DeleteMyAccountResult,
    MergeAccountsInput,
    MergeAccountsResult,
    NotificationPreferencesPayload,
    NotificationPreferencesResult,
    PasswordChanged,
    PasswordChangeResult,
    PasswordResetRequested,
    PasswordResetRequestResult,
    RequestPasswordResetInput,
    ResetPasswordInput,
    RevokeSessionInput,
    RevokeSessionResult,
    SessionRevoked,
    SetNotificationPreferencesInput,
)
from odznaka_graph.schema.accounts import AuthResult, EmailPayload, EmailResult
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.user_account import preference_types
from odznaka_graph.services import mail_preferences
from odznaka_graph.services.account_merges import Merged


@strawberry.type
class AccountLifecycleMutations:
    @mutation(
        description="Mail a link to set a new password (valid for an hour, once) to the "
        "account that signs in with the address. The same answer whether or not there is "
        "one; limited per address (PASSWORD_RESET_MAX_PER_ADDRESS) and per client."
    )
    async def request_password_reset(
        self, info: Info, input: Annotated[RequestPasswordResetInput, INPUT]
    ) -> PasswordResetRequestResult:
        lifecycle = info.context.services.lifecycle
        work = lifecycle.request_password_reset(input.email, client_address(info))
        return await as_result(work, _requested)

    @mutation(
        description="Set a new password with the token from the reset mail (once, within "
        "the hour). Every session of the account ends, and every other reset link of it; a "
        "new session is returned. Limited per client (PASSWORD_RESET_ATTEMPTS_PER_CLIENT)."
    )
    async def reset_password(
        self, info: Info, input: Annotated[ResetPasswordInput, INPUT]
    ) -> AuthResult:
        lifecycle = info.context.services.lifecycle
        work = lifecycle.reset_password(input.token, input.new_password, client_address(info))
        return await as_result(work, _session)

    @mutation(
        description="Change your password; your other sessions end, this one stays, and "
        "outstanding reset links stop working. Wrong current passwords are limited per "
        "account (PASSWORD_CHECK_THROTTLED)."
    )
    async def change_password(
        self, info: Info, input: Annotated[ChangePasswordInput, INPUT]
    ) -> PasswordChangeResult:
        lifecycle = info.context.services.lifecycle
        work = lifecycle.change_password(info.context.viewer, input.password, input.new_password)
        return await as_result(work, _changed)

    @mutation(
        description="Sign in with another address, with your current password: a "
        "verification mail goes to it and it takes over once verified (at once if it is one "
        "of your verified addresses); the address you signed in with so far is told."
    )
    async def change_email(
        self, info: Info, input: Annotated[ChangeEmailInput, INPUT]
    ) -> EmailResult:
        lifecycle = info.context.services.lifecycle
        work = lifecycle.change_email(info.context.viewer, input.email, input.password)
        return await as_result(work, _pending)

    @mutation(
        description="Merge another account of yours into this one (signed in to this one, "
        "with the token mailed to the other's address when you added it here): its awards, "
        "their points and the address move here at once; it is signed out and erased. Once "
        "per link; again answers the same. MERGE_LINK_INVALID, MERGE_NOT_POSSIBLE."
    )
    async def merge_accounts(
        self, info: Info, input: Annotated[MergeAccountsInput, INPUT]
    ) -> MergeAccountsResult:
        work = info.context.services.merges.merge(info.context.viewer, input.token)
        return await as_result(work, _merged)

    @mutation(description="End one of your sessions (see `me { sessions }`).")
    async def revoke_session(
        self, info: Info, input: Annotated[RevokeSessionInput, INPUT]
    ) -> RevokeSessionResult:
        lifecycle = info.context.services.lifecycle
        work = lifecycle.revoke_session(info.context.viewer, str(input.session_id))
        return await as_result(work, _revoked)

    @mutation(description="Turn optional kinds of mail on or off.")
    async def set_notification_preferences(
        self, info: Info, input: Annotated[SetNotificationPreferencesInput, INPUT]
    ) -> NotificationPreferencesResult:
        changes = {MailKind(p.kind.value): p.enabled for p in input.preferences}
        service = info.context.services.mail_preferences
        work = service.set_preferences(info.context.viewer, changes)

        async def payload(_account_id: str) -> NotificationPreferencesPayload:
            found = await mail_preferences.own_preferences(info.context.loaders)
            return NotificationPreferencesPayload(preferences=preference_types(found))

        return await as_result(work, payload)


@strawberry.type
class DataExportMutations:
    @mutation(
        description="Export your data (GDPR art. 15 and 20): one JSON archive of your "
        "account, addresses, profile, awards, credentials as issued, imported credentials, "
        "points, your memberships and other ties, notifications, sessions and activity "
        "(your own data only); its download link goes to the address you sign in with and "
        "works once, within 7 days. At most DATA_EXPORT_MAX_PER_DAY a day "
        "(DATA_EXPORT_THROTTLED)."
    )
    async def export_my_data(self, info: Info) -> DataExportResult:
        work = info.context.services.data_export.export_my_data(info.context.viewer)
        return await as_result(work, _export_started)

    @mutation(
        description="Delete your account (GDPR art. 17), with your current password: every "
        "session ends now and your personal data is erased from both stores after "
        "ACCOUNT_DELETION_GRACE_DAYS; signing in before then cancels it. Awards you received "
        "stay verifiable under a pseudonym; nothing others hold is revoked."
    )
    async def delete_my_account(
        self, info: Info, input: Annotated[DeleteMyAccountInput, INPUT]
    ) -> DeleteMyAccountResult:
        erasure = info.context.services.erasure
        work = erasure.delete_my_account(info.context.viewer, input.password)
        return await as_result(work, _deletion_scheduled)


async def _merged(merged: Merged) -> AccountsMerged:
    return AccountsMerged(email=merged.email, moved_awards=merged.moved_awards)


async def _deletion_scheduled(erases_at: datetime) -> AccountDeletionScheduled:
    return AccountDeletionScheduled(erases_at=erases_at)


async def _export_started(export_id: str) -> DataExportStarted:
    return DataExportStarted(export_id=strawberry.ID(export_id))


async def _requested(_: None) -> PasswordResetRequested:
    return PasswordResetRequested(accepted=True)


async def _changed(_account_id: str) -> PasswordChanged:
    return PasswordChanged(other_sessions_ended=True)


async def _pending(changed: tuple[str, bool]) -> EmailPayload:
    return EmailPayload(email=changed[0], verified=changed[1])


async def _revoked(session_id: str) -> SessionRevoked:
    return SessionRevoked(session_id=strawberry.ID(session_id))
