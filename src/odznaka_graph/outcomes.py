"""Stable outcome codes: why a command was refused, one enum per domain.

The place that decides a refusal passes its reason with the domain error
(`raise Conflict("...", reason=PeerAwardReason.ALREADY_VOUCHED)`); clients read it as
`reason` on mutation errors and `extensions.reason` on GraphQL errors, and branch on it
instead of the message text. A member's name is the code (unique across all domains,
never renamed); its value says what it means and documents it in the SDL. The first
line of an enum's docstring names its domain. Imports nothing of ours.
"""

from enum import Enum


class Reason(Enum):
    """A stable code for one kind of refusal."""

    @property
    def description(self) -> str:
        return str(self.value)


class GeneralReason(Reason):
    """Any domain (a fallback where the raise site names no specific reason)"""

    NOT_FOUND = "Something named does not exist, or you may not see it."
    PERMISSION_DENIED = "You may not do this."
    CONFLICT = "The current state does not allow this."
    RATE_LIMITED = "Too many attempts; retry after `retryAfterSeconds`."


class InputReason(Reason):
    """Any input"""

    INVALID_INPUT = "An input field breaks its rules (type, length, format); `fields` names each."
    NOT_AN_ID = "An argument is not the global id of the expected type."
    IDEMPOTENCY_KEY_REUSED = "This idempotency key was used before for a different request."
    BAD_PAGE_ARGUMENTS = "Page arguments that do not fit together or are out of range."
    BAD_CURSOR = "A cursor that this list did not give out."


class AccountReason(Reason):
    """Accounts and sign-in"""

    SIGN_IN_REQUIRED = "Sign in first: the operation needs a signed-in account."
    WRONG_PASSWORD = "The e-mail or password is wrong (which one is not told)."
    REFRESH_TOKEN_INVALID = "The refresh token is expired, revoked or used; sign in again."
    HANDLE_TAKEN = "Another account has this handle."
    ACCOUNT_EXISTS = "An account with this e-mail or handle exists already."
    EMAIL_ALREADY_ADDED = "This address is on the account already."
    VERIFICATION_LINK_INVALID = "The e-mail verification link is not valid or was used."
    NO_ACCOUNT_FOR_EMAIL = "No account has this e-mail address."
    PROFILE_NOT_READY = "The account's profile is still being set up; retry in a moment."
    USER_NOT_FOUND = "No such user (or one who hides from you)."
    SIGN_IN_THROTTLED = "Too many sign-in attempts; retry after `retryAfterSeconds`."
    REGISTRATION_THROTTLED = "Too many new accounts from this client; retry later."
    AGE_INVALID = "Give an age band or a birth year (not in the future), not both."
    # Account lifecycle (issue 14).
    PASSWORD_RESET_THROTTLED = "Too many password reset requests; retry later."
    PASSWORD_RESET_LINK_INVALID = "The password reset link is not valid, was used or expired."
    SESSION_NOT_FOUND = "No such session of yours."
    PASSWORD_CHECK_THROTTLED = "Too many wrong current passwords; retry later."
    PASSWORD_CHANGE_THROTTLED = "Too many password changes or reset attempts; retry later."
    DATA_EXPORT_THROTTLED = "An export is being made, or too many today; retry later."
    DATA_EXPORT_LINK_INVALID = "The download link is not valid, was used or expired."
    MERGE_LINK_INVALID = "The merge link is not valid, is for another account or expired."
    MERGE_NOT_POSSIBLE = "The other account has a role or staff seat; it cannot be merged."


class PermissionReason(Reason):
    """Roles and permissions"""

    ACTION_NOT_ALLOWED = "Your role does not allow this action (the message names it)."


class OrganizationReason(Reason):
    """Organisations"""

    ORGANIZATION_NOT_FOUND = "No such organisation (or you may not see it)."
    ORGANIZATION_NAME_MISSING = "An organisation needs a name."
    ORGANIZATION_NOT_READY = "The organisation is still being set up; retry shortly."
    ISSUER_AGREEMENT_NOT_ACCEPTED = "The organisation has not accepted the issuer agreement."
    ISSUER_NOT_VERIFIED = "A reviewer has not verified the organisation as an issuer yet."


class BadgeReason(Reason):
    """Badges"""

    BADGE_NOT_FOUND = "No such badge (or you may not see it)."
    BADGE_NAME_MISSING = "A badge needs a name in at least one language."
    BADGE_NOT_EDITABLE = "The badge's status does not allow editing."
    BADGE_EDITED_MEANWHILE = "Someone changed the badge since you read it; reload and retry."
    BADGE_NOT_SUBMITTABLE = "The badge's status does not allow submitting it for review."
    BADGE_BELOW_STANDARD = "The badge lacks what the standard requires; `fields` says what."
    BADGE_NOT_SUBMITTED = "Only a submitted badge can be reviewed."
    REJECTION_COMMENT_MISSING = "Rejecting a badge needs a comment saying why."
    BADGE_UNDER_REVIEW = "The badge waits for review and cannot be archived now."
    BADGE_NOT_PUBLISHED = "The badge is not published, so it cannot be awarded or used."
    SKILL_NOT_FOUND = "A named skill does not exist, or a learning outcome names no skill."
    # Plain organisation badges (issue 15)
    BADGE_KIND_NOT_ALLOWED = (
        "Organisations describe MICROCREDENTIAL or BADGE kinds; PEER is clubs'."
    )
    BADGE_NEEDS_REVIEW = "A microcredential is published through review, not by its own staff."
    BADGE_NOT_REVIEWED = "A plain BADGE is published by its staff (publishBadge), never reviewed."
    BADGE_NOT_PUBLISHABLE = "Only a draft (or rejected) badge can be published."


class AwardReason(Reason):
    """Awards"""

    AWARD_NOT_FOUND = "No such award (or you may not see it)."
    RECIPIENT_REQUIRED = "Give either a recipient id or an e-mail, not both or neither."
    RECIPIENT_NOT_FOUND = "No such recipient."
    RECIPIENT_ACCOUNT_CLOSED = "The recipient's account is deleted or to be deleted."
    SELF_AWARD = "Nobody awards a badge to themselves."
    ALREADY_HOLDS_BADGE = "The recipient holds this badge already."
    AWARD_ALREADY_REVOKED = "The award was revoked already."
    PEER_BADGE_NOT_DIRECT = "A peer badge is awarded by nomination and vouches, not directly."
    USE_REVOKE_PEER_AWARD = "A peer award is revoked with revokePeerAward."
    NOT_A_PEER_AWARD = "Not a peer award: use revokeAward."


class CredentialReason(Reason):
    """Credentials (signed, endorsed, featured, imported)"""

    CREDENTIAL_NOT_FOUND = "No such credential (or you may not see it)."
    CREDENTIAL_NOT_CLAIMED = "The recipient has not claimed the credential yet."
    CREDENTIAL_REVOKED = "The credential was revoked."
    CREDENTIAL_EXPIRED = "The credential has expired."
    CREDENTIAL_NOT_READY = "The credential is still being recorded; retry shortly."
    ISSUER_NOT_READY = "The credential's issuer is still being recorded; retry shortly."
    SELF_ENDORSEMENT = "Nobody endorses their own credential."
    CREDENTIAL_NOT_FEATURABLE = "A credential to feature is not yours or not valid now."
    VISIBILITY_EMPTY = "Give the visibility of at least one profile section."
    IMPORTED_CREDENTIAL_NOT_FOUND = "No such imported credential."


class ImportReason(Reason):
    """Importing Open Badges"""

    DOCUMENT_OR_IMAGE = "Give either a document or a baked image, not both or neither."
    DOCUMENT_TOO_LONG = "The document is longer than the limit."
    DOCUMENT_EMPTY = "The document is empty."
    IMAGE_TOO_LARGE = "The image is larger than the limit."
    NOT_AN_IMAGE = "The image is neither PNG nor SVG."
    IMAGE_NOT_BAKED = "The image carries no badge (it is not baked)."
    NOT_BASE64 = "The image is not valid base64."
    UNKNOWN_DOCUMENT_FORMAT = "Neither JSON, a compact JWS nor an assertion URL."
    NOT_JSON = "The document is not valid JSON."
    JSON_NOT_OBJECT = "The JSON document is not an object."
    JWS_PAYLOAD_NOT_BASE64 = "The JWS payload is not base64url."
    NOT_OPEN_BADGES = "Neither an Open Badges 2.0 assertion nor an Open Badges 3.0 credential."
    ASSERTION_INCOMPLETE = "The assertion lacks required properties."
    LINKED_PART_MISSING = "A part of the assertion is neither embedded nor a URL."
    FETCH_FAILED = "A linked document could not be fetched (unknown host, network, too large)."
    ADDRESS_REFUSED = "A linked address is not fetched: not https://, or private or local."
    FETCH_NOT_OK = "A linked document's host answered with an error status (404, 410 ...)."


class ClubReason(Reason):
    """Clubs"""

    CLUB_NOT_FOUND = "No such club (or you may not see it)."
    CLUB_DETAILS_INVALID = "The club's name or description breaks its rules; see `fields`."
    CLUB_INVITE_ONLY = "The club admits new members by invitation only."
    JOIN_REQUEST_NOT_FOUND = "That person has not asked to join."
    ALREADY_A_MEMBER = "The person is a member already."
    NOT_A_MEMBER = "The person (you, or the one named) is not a member of the club or team."
    CLUB_NEEDS_OWNER = "A club keeps an owner: make someone else OWNER first."
    BANNED_FROM_CLUB = "The person is banned from the club: they cannot join or be invited."
    OWNER_NOT_REMOVABLE = "A club's owner cannot be removed or banned."
    MODERATOR_FOR_OWNERS = "Only an owner removes or bans a moderator."


class TeamReason(Reason):
    """Teams and classes"""

    TEAM_NOT_FOUND = "No such team (or you are not in it)."
    TEAM_NAME_MISSING = "A team needs a name in at least one language."
    TEAM_NAME_TOO_LONG = "The team's name is longer than the limit."
    ROLE_NOT_IN_KIND = "The role does not exist in this kind of team."
    LAST_MANAGER = "A team keeps at least one teacher or leader: add another first."
    USE_LEAVE_TEAM = "To leave a team yourself, use leaveTeam."
    JOIN_CODE_INVALID = "No team has this join code, or the code has expired."
    JOIN_CODE_THROTTLED = "Too many join-code attempts; retry after `retryAfterSeconds`."
    NO_FREE_JOIN_CODE = "No free join code was found; retry."
    # Houses (issue 15)
    HOUSE_NOT_FOUND = "No such house (in a team you can see)."
    HOUSE_NAME_TAKEN = "The team has a house of this name already."


class PupilReason(Reason):
    """Pupils and guardians"""

    NOT_A_CLASS = "Pupils are enrolled in a school class, not a business team."
    ROSTER_INVALID = "The roster breaks its rules (names, pseudonyms, size); see `fields`."
    SIGN_IN_CODE_UNKNOWN = "No pupil has this sign-in code."
    SIGN_IN_CODE_USED = "This sign-in code was used already: ask the teacher for a new slip."
    SIGN_IN_CODE_EXPIRED = "This sign-in code has expired: ask the teacher for a new slip."
    SIGN_IN_CODE_THROTTLED = "Too many sign-in code attempts; retry after `retryAfterSeconds`."
    GUARDIAN_CONSENT_NEEDED = "Under 16 this needs a guardian's consent (requestGuardianConsent)."
    NOT_A_PUPIL = "Only a pupil's account needs a guardian's consent."
    CONSENT_LINK_INVALID = "This consent link is not valid."


class PeerAwardReason(Reason):
    """Peer awards (nominations and vouches)"""

    NOMINATION_NOT_FOUND = "No such nomination (or you may not see it)."
    NOT_A_PEER_BADGE = "Not a peer badge: formal badges are awarded by their issuer."
    PEER_BADGE_DETAILS_INVALID = "The peer badge's texts break their rules; see `fields`."
    BADGE_RETIRED = "The badge is no longer awarded."
    SELF_NOMINATION = "Nobody nominates themselves."
    ALREADY_NOMINATED = "The person is nominated for this badge already: vouch for that."
    NOMINATION_LIMIT_REACHED = "Today's nominations in this club are used; more from midnight UTC."
    SELF_VOUCH = "Nobody vouches for their own award."
    NOMINATOR_VOUCHED = "The nomination already counts as the nominator's vouch."
    ALREADY_VOUCHED = "You vouched for this nomination already."
    NOMINATION_AWARDED = "The nomination has been awarded already."
    NOMINEE_LEFT = "The nominee has left the club."


class SocialReason(Reason):
    """Contacts and blocking"""

    TARGET_IS_SELF = "The user named is you."
    USER_BLOCKED = "You have blocked this user; unblock them first."
    CONTACT_REQUEST_NOT_FOUND = "No contact request from this user."


class EventReason(Reason):
    """Events"""

    EVENT_NOT_FOUND = "No such event (or you may not see it)."
    EVENT_DETAILS_INVALID = "The event's title, times or place break their rules; see `fields`."
    BADGE_NOT_OF_HOST = "The badge is not one of the hosting organisation."
    EVENT_FULL = "The event is full."
    EVENT_ENDED = "The event has ended."
    EVENT_NOT_STARTED = "Attendance is confirmed once the event has started."
    ATTENDANCE_CONFIRMED = "The attendance was confirmed already and stays on record."
    CHECK_IN_CLOSED = "Check-in is open from 15 minutes before the event's start to its end."
    CHECK_IN_CODE_WRONG = "The code is not the event's current check-in code."
    CHECK_IN_THROTTLED = "Too many check-in attempts; wait a little."
    CHECK_IN_POSITION_NEEDED = "The event takes check-ins only at its place: send your position."
    CHECK_IN_TOO_FAR = "The position sent is outside the event's check-in geofence."


class LearningReason(Reason):
    """Paths and challenges"""

    PATH_NOT_FOUND = "No such learning path (or you may not see it)."
    PATH_OWNER_MISSING = "A path belongs to an organisation or a team: give one."
    PATH_INVALID = "The path's steps, badges or completion rule are not valid; see `fields`."
    CHALLENGE_NOT_FOUND = "No such challenge (in this team)."
    CHALLENGE_WINDOW_INVALID = "The challenge's start and end do not fit; see `fields`."
    CHALLENGE_CLOSED = "The challenge has ended or was cancelled: it cannot change any more."
    NOT_A_LEARNER = "Points go to learners of the team (not to its teachers or strangers)."
    POINTS_NOT_FOUND = "No such points entry given by hand in a team you teach."
    POINTS_CORRECTED_ALREADY = "This entry was corrected already."
    # Quests (issue 15)
    QUEST_REQUIREMENT_INVALID = "What should unlock the challenge is not valid; see `fields`."
    QUEST_CYCLE = "The challenges would unlock each other in a circle."


class InboxReason(Reason):
    """Notifications and recommendations"""

    NOTIFICATION_NOT_FOUND = "No such notification."
    NOTIFICATIONS_UNNAMED = "Name the notifications, or set all: true."
    RECOMMENDATION_ARGUMENTS_INVALID = "Recommendation arguments out of range; see `fields`."
    CATCH_UPS_THROTTLED = "Too many catch-ups (`since`) a minute: subscribe without it, or wait."


class WalletReason(Reason):
    """Wallets (OpenID4VCI offers; issue 16)"""

    NOT_THE_HOLDER = "Only the award's holder can send it to a wallet."


class PresentationReason(Reason):
    """Wallet presentations (OpenID4VP sign-in, door checks, verifyPresentation; issue 16)"""

    REQUEST_NOT_FOUND = "No such presentation request (or it is not yours)."
    REQUEST_EXPIRED = "The presentation request has expired."
    REQUEST_ANSWERED = "The presentation request was answered already: a response works once."
    REQUEST_PENDING = "No wallet has answered the request yet."
    WALLET_DECLINED = (
        "The wallet answered with an error: the holder declined, or has no such credential."
    )
    SIGN_IN_REQUESTS_THROTTLED = "Too many wallet sign-in requests from here; retry later."
    RESPONSE_UNREADABLE = "The response is not encrypted to this request's key, or not JSON."
    STATE_MISMATCH = "The response's state is not this request's."
    PRESENTATION_MALFORMED = "The presentation is not an SD-JWT VC with a key-binding JWT."
    QUERY_NOT_SATISFIED = "The presentation does not answer the request's DCQL query."
    SIGNATURE_INVALID = "The issuer's signature on the credential does not hold."
    ISSUER_UNTRUSTED = "The credential's issuer or key is not one this platform trusts."
    DISCLOSURE_TAMPERED = "A disclosure is not one the issuer signed (changed or added)."
    KEY_BINDING_INVALID = "The key-binding JWT is missing, unsigned by the holder key or stale."
    NONCE_MISMATCH = "The key-binding JWT's nonce is not this request's."
    AUDIENCE_MISMATCH = "The key-binding JWT's audience is not this verifier's client id."
    STATUS_UNAVAILABLE = "The credential's status list could not be read."
    WALLET_IDENTITY_UNKNOWN = "No account goes with this credential (we did not issue it)."
    BADGE_NOT_SHOWN = "The credential is not for one of the badges the door check asks for."
    NOT_EVENT_HOST = "Only the event's host staff can check attendees in."


class UploadReason(Reason):
    """Uploaded pictures and files (issue 15)"""

    FILE_TOO_LARGE = "The file is over the byte limit (IMAGE_MAX_BYTES, EVIDENCE_MAX_BYTES)."
    FILE_TYPE_NOT_ALLOWED = "Pictures are PNG, JPEG or SVG; evidence also PDF; nothing else."
    IMAGE_UNREADABLE = "The file is not a readable picture (or PDF) of the type it claims."
    IMAGE_TOO_BIG = (
        "The picture's width or height is over IMAGE_MAX_SIDE, or it would decode to more "
        "pixels than that allows (a decompression bomb): refused before decoding."
    )
    FILE_NOT_FOUND = "No such uploaded file, or not one you may use here."
    TOO_MANY_UPLOADS = "You uploaded UPLOADS_MAX_PER_DAY files in 24 hours; retry later."


class BadgeRequestReason(Reason):
    """Badge requests (issue 15)"""

    BADGE_REQUEST_NOT_FOUND = "No such badge request, or not one you may see."
    BADGE_NOT_REQUESTABLE = (
        "Only an organisation's published badges are requested (peer badges come by nomination)."
    )
    BADGE_REQUEST_OPEN = "You have an open request for this badge already."
    BADGE_REQUEST_CLOSED = "The request was decided already (approved or declined)."


class ReportReason(Reason):
    """Reports and moderation (issue 15)"""

    REPORT_TARGET_NOT_FOUND = "Nothing to report there, or nothing you may see."
    REPORT_NOT_FOUND = "No such report, or not one you moderate."
    REPORT_DECIDED = "The report was decided already."
    REPORT_NOT_ESCALATABLE = "Only an open club report goes up to the platform moderators."
    TOO_MANY_REPORTS = "Too many reports in a short time."


DOMAINS: tuple[type[Reason], ...] = (
    GeneralReason,
    InputReason,
    AccountReason,
    PermissionReason,
    OrganizationReason,
    BadgeReason,
    AwardReason,
    CredentialReason,
    ImportReason,
    ClubReason,
    TeamReason,
    PupilReason,
    PeerAwardReason,
    SocialReason,
    EventReason,
    LearningReason,
    InboxReason,
    WalletReason,
    PresentationReason,
    UploadReason,
    BadgeRequestReason,
    ReportReason,
)
"""Every domain's reasons; the GraphQL enum ErrorReason lists them all."""


def domain_of(kind: type[Reason]) -> str:
    return (kind.__doc__ or kind.__name__).strip().splitlines()[0]
