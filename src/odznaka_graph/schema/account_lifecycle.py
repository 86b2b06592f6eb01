"""Inputs and results of the account lifecycle mutations (issue 14)."""

from datetime import datetime
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.user_account import NotificationPreference


@strawberry.input(description="Ask for a password reset mail.")
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The address you sign in with.")


@strawberry.input(description="Set a new password with the token from the reset mail.")
class ResetPasswordInput:
    token: str = strawberry.field(description="The token from the link in the mail.")
    new_password: str = strawberry.field(description="At least 10 characters.")


@strawberry.input(description="Change your password, knowing the current one.")
class ChangePasswordInput:
    password: str = strawberry.field(description="Your current password.")
    new_password: str = strawberry.field(description="At least 10 characters.")


@strawberry.input(description="Sign in with another address from now on.")
class ChangeEmailInput:
    email: str = strawberry.field(
        description="The new address; it takes over once verified by the mailed link."
    )
    password: str | None = strawberry.field(
        default=None,
        description="Your current password, required (nullable only so that the schema "
        "changes additively): missing is VALIDATION_FAILED, wrong is UNAUTHENTICATED "
        "WRONG_PASSWORD.",
    )


@strawberry.input(description="End one of your sessions.")
class RevokeSessionInput:
    session_id: strawberry.ID = strawberry.field(description="`AccountSession.id`.")


@strawberry.input(description="Turn one optional kind of mail on or off.")
class NotificationPreferenceInput:
    kind: MailKind = strawberry.field(description="An optional kind (not an always-sent one).")
    enabled: bool = strawberry.field(description="Send mail of this kind.")


@strawberry.input(description="Change which optional mail you get; kinds not listed stay.")
class SetNotificationPreferencesInput:
    preferences: list[NotificationPreferenceInput] = strawberry.field(
        description="The kinds to change."
    )


@strawberry.type(
    description="The request was taken. A mail goes to the address if an account signs in "
    "with it; the answer is the same either way."
)
class PasswordResetRequested:
    accepted: bool = strawberry.field(description="Always true.")


@strawberry.type(description="The password was changed; your other sessions ended.")
class PasswordChanged:
    other_sessions_ended: bool = strawberry.field(description="Always true.")


@strawberry.type(description="The session ended: its refresh and access tokens stop working.")
class SessionRevoked:
    session_id: strawberry.ID = strawberry.field(description="The session that ended.")


@strawberry.type(description="Your mail preferences after the change.")
class NotificationPreferencesPayload:
    preferences: list[NotificationPreference] = strawberry.field(
        description="Every optional kind of mail and whether you get it."
    )


@strawberry.type(
    description="Your data archive is made; a link that downloads it once, within 7 days, "
    "was mailed to the address you sign in with (it replaces any earlier archive)."
)
class DataExportStarted:
    export_id: strawberry.ID = strawberry.field(description="The archive's id (in the link).")


@strawberry.input(description="Delete your account, with your current password.")
class DeleteMyAccountInput:
    password: str | None = strawberry.field(
        default=None,
        description="Your current password, required: missing is VALIDATION_FAILED, wrong is "
        "UNAUTHENTICATED WRONG_PASSWORD.",
    )


@strawberry.type(
    description="Your account is to be erased at `erasesAt`; every session ended and a mail "
    "went to your address. Signing in before then cancels it."
)
class AccountDeletionScheduled:
    erases_at: datetime = strawberry.field(
        description="When your personal data leaves both stores (ACCOUNT_DELETION_GRACE_DAYS)."
    )


@strawberry.input(description="Merge another account of yours into this one.")
class MergeAccountsInput:
    token: str = strawberry.field(
        description="The token from the merge mail's link (MERGE_OFFER), sent to the address "
        "you added that the other account holds."
    )


@strawberry.type(
    description="The other account's awards, their points and the address are yours now; "
    "the other account is signed out and erased (a pseudonym stays). Using the link again "
    "answers the same and moves nothing."
)
class AccountsMerged:
    email: str = strawberry.field(description="The address, now verified on your account.")
    moved_awards: int = strawberry.field(
        description="Awards moved (one of a badge you hold already stays with the other, "
        "pseudonymous account)."
    )


MergeAccountsResult: TypeAlias = Annotated[
    AccountsMerged | Failure,
    strawberry.union("MergeAccountsResult", description="Merged, or why not."),
]
DeleteMyAccountResult: TypeAlias = Annotated[
    AccountDeletionScheduled | Failure,
    strawberry.union("DeleteMyAccountResult", description="Scheduled, or why not."),
]
PasswordResetRequestResult: TypeAlias = Annotated[
    PasswordResetRequested | Failure,
    strawberry.union("PasswordResetRequestResult", description="Taken, or why not."),
]
PasswordChangeResult: TypeAlias = Annotated[
    PasswordChanged | Failure,
    strawberry.union("PasswordChangeResult", description="Changed, or why not."),
]
RevokeSessionResult: TypeAlias = Annotated[
    SessionRevoked | Failure,
    strawberry.union("RevokeSessionResult", description="Ended, or why not."),
]
NotificationPreferencesResult: TypeAlias = Annotated[
    NotificationPreferencesPayload | Failure,
    strawberry.union("NotificationPreferencesResult", description="The preferences, or why not."),
]
DataExportResult: TypeAlias = Annotated[
    DataExportStarted | Failure,
    strawberry.union("DataExportResult", description="The archive, or why not."),
]
