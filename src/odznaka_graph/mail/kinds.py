"""The kinds of mail we send, and which of them a person may turn off."""

from enum import StrEnum


class MailKind(StrEnum):
    VERIFY_EMAIL = "VERIFY_EMAIL"
    ACCOUNT_EXISTS = "ACCOUNT_EXISTS"
    RESET_PASSWORD = "RESET_PASSWORD"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    CLAIM_INVITATION = "CLAIM_INVITATION"
    AWARD_RECEIVED = "AWARD_RECEIVED"
    CLUB_INVITATION = "CLUB_INVITATION"
    CLASS_INVITATION = "CLASS_INVITATION"
    REVIEW_OUTCOME = "REVIEW_OUTCOME"
    WEEKLY_DIGEST = "WEEKLY_DIGEST"
    DATA_EXPORT_READY = "DATA_EXPORT_READY"
    EMAIL_CHANGE_REQUESTED = "EMAIL_CHANGE_REQUESTED"
    ACCOUNT_DELETION_SCHEDULED = "ACCOUNT_DELETION_SCHEDULED"
    GUARDIAN_CONSENT = "GUARDIAN_CONSENT"  # issue 15: a pupil under 16 asks their guardian
    MERGE_OFFER = "MERGE_OFFER"  # an address added to one account belongs to another


# Sent whatever the preferences say: they answer something the person (or the address's
# owner) did, or concern their account's safety or a credential waiting for them.
TRANSACTIONAL = frozenset(
    {
        MailKind.VERIFY_EMAIL,
        MailKind.ACCOUNT_EXISTS,
        MailKind.RESET_PASSWORD,
        MailKind.PASSWORD_CHANGED,
        MailKind.CLAIM_INVITATION,
        MailKind.DATA_EXPORT_READY,
        MailKind.EMAIL_CHANGE_REQUESTED,
        MailKind.ACCOUNT_DELETION_SCHEDULED,
        MailKind.GUARDIAN_CONSENT,
        MailKind.MERGE_OFFER,
    }
)
# Kinds a person chooses; each with its default. The digest is opt-in.
OPTIONAL = {
    MailKind.AWARD_RECEIVED: True,
    MailKind.CLUB_INVITATION: True,
    MailKind.CLASS_INVITATION: True,
    MailKind.REVIEW_OUTCOME: True,
    MailKind.WEEKLY_DIGEST: False,
}
LOCALES = ("pl", "en")


def wanted(kind: MailKind, choices: dict[str, bool]) -> bool:
    """Whether a person with these choices gets mail of this kind."""
    if kind in TRANSACTIONAL:
        return True
    return choices.get(kind.value, OPTIONAL[kind])


def mail_locale(locale: str | None) -> str:
    """Mail is written in Polish and English: English for anyone who chose another
    language than Polish, Polish by default."""
    return "pl" if locale in (None, "pl") else "en"
