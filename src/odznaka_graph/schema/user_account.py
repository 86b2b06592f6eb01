"""The viewer's own account settings on `User` (issue 14): mail preferences, sessions."""

from datetime import datetime

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.mail.kinds import MailKind
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services import account_lifecycle, mail_preferences

# The kinds of mail (mail/kinds.py) registered as the schema shows them.
strawberry.enum(
    MailKind,
    description="A kind of mail. VERIFY_EMAIL, ACCOUNT_EXISTS, RESET_PASSWORD, "
    "PASSWORD_CHANGED, CLAIM_INVITATION, DATA_EXPORT_READY, EMAIL_CHANGE_REQUESTED and "
    "ACCOUNT_DELETION_SCHEDULED are always sent; the others "
    "follow `notificationPreferences` (WEEKLY_DIGEST is off until turned on).",
)
describe_values(
    VERIFY_EMAIL="The link that confirms an address is yours (always sent).",
    ACCOUNT_EXISTS="Someone registered or added an address you already use (always sent).",
    RESET_PASSWORD="The link to choose a new password (always sent).",
    PASSWORD_CHANGED="Your password was changed (always sent).",
    CLAIM_INVITATION="An award waits for an address with no account yet (always sent).",
    AWARD_RECEIVED="You received an award.",
    CLUB_INVITATION="You were invited to a club.",
    CLASS_INVITATION="You were added to a class or team.",
    REVIEW_OUTCOME="The platform's review of your organisation or badge ended.",
    WEEKLY_DIGEST="A weekly summary of your unread notifications (off until turned on).",
    DATA_EXPORT_READY="The archive of your data is ready to download (always sent).",
    EMAIL_CHANGE_REQUESTED="To the address you signed in with: the account is to sign in "
    "with another one (always sent).",
    ACCOUNT_DELETION_SCHEDULED="Your account is to be erased; signing in cancels it (always sent).",
    GUARDIAN_CONSENT="To a pupil's guardian: the link to consent (always sent; issue 15).",
    MERGE_OFFER="An address you hold was added to another account: the link that moves "
    "your awards there, for `mergeAccounts` (always sent).",
)(MailKind)


@strawberry.type(description="Whether you get mail of one optional kind.")
class NotificationPreference:
    kind: MailKind = strawberry.field(description="The kind of mail.")
    enabled: bool = strawberry.field(description="Mail of this kind is sent to you.")


@strawberry.type(description="One of your signed-in sessions (a device that stays signed in).")
class AccountSession:
    id: strawberry.ID = strawberry.field(description="Give it to `revokeSession` to end it.")
    device: str | None = strawberry.field(
        description="The client that started it (its User-Agent), if it said."
    )
    created_at: datetime = strawberry.field(description="When it started (sign-in).")
    last_used_at: datetime = strawberry.field(
        description="Its last sign-in or token refresh (every few minutes while in use)."
    )
    current: bool = strawberry.field(description="The session this request comes from.")


@strawberry.type
class UserAccountFields:
    record: strawberry.Private[UserRecord]

    @field(description="Which optional mail you get, per kind; null for anyone else.")
    async def notification_preferences(self, info: Info) -> list[NotificationPreference] | None:
        found = await mail_preferences.notification_preferences(info.context.loaders, self.record)
        return preference_types(found) if found is not None else None

    @field(description="Your live sessions, last used first; null for anyone else.")
    async def sessions(self, info: Info) -> list[AccountSession] | None:
        found = await account_lifecycle.sessions(info.context.loaders, self.record)
        if found is None:
            return None
        return [
            AccountSession(
                id=strawberry.ID(s.id),
                device=s.device,
                created_at=s.created_at,
                last_used_at=s.last_used_at,
                current=s.current,
            )
            for s in found
        ]


def preference_types(
    found: list[mail_preferences.PreferenceRecord],
) -> list[NotificationPreference]:
    return [NotificationPreference(kind=MailKind(p.kind), enabled=p.enabled) for p in found]
