"""Table definitions (SQLAlchemy Core). Alembic migrations create them. The account
lifecycle's tables live in account_tables.py and are re-exported here."""

import sqlalchemy as sa

from odznaka_graph.ledger.account_tables import (
    data_exports,
    email_changes,
    guardian_consents,
    mail_messages,
    mail_preferences,
    password_resets,
    pupil_codes,
    pupils,
    registered_age_bands,
    sessions,
    wallet_nonces,
    wallet_offers,
)
from odznaka_graph.ledger.badge_requests import badge_requests  # issue 15
from odznaka_graph.ledger.house_tables import house_members, houses  # houses (issue 15)
from odznaka_graph.ledger.images import uploaded_files  # issue 15
from odznaka_graph.ledger.reports import platform_moderators, reports  # issue 15, reports
from odznaka_graph.ledger.table_types import AT, ID, UtcDateTime, metadata
from odznaka_graph.ledger.wallet_tables import (  # wallet presentations (issue 16)
    wallet_identities,
    wallet_presentation_requests,
    wallet_verifier_keys,
)

# Re-exported: every table is importable from here, and importing this module registers
# them all with `metadata`.
__all__ = [
    "data_exports",
    "email_changes",
    "guardian_consents",
    "mail_messages",
    "mail_preferences",
    "password_resets",
    "pupil_codes",
    "pupils",
    "registered_age_bands",
    "sessions",
    "wallet_nonces",
    "wallet_offers",
    "wallet_identities",
    "wallet_presentation_requests",
    "wallet_verifier_keys",
    "uploaded_files",
    "badge_requests",
    "house_members",
    "houses",
    "reports",
    "platform_moderators",
    "AT",
    "ID",
    "UtcDateTime",
    "metadata",
]

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("handle", sa.String(40), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False, server_default="USER"),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("deletion_due_at", AT),  # deleteMyAccount: erased then unless signed in again
    sa.Column("erased_at", AT),  # personal data erased; the row stays, pseudonymous
)

# An address belongs to one account once verified; until then it reserves nothing (several
# accounts may claim it; the first to verify keeps it). `for_sign_in` marks the address an
# account registered with: the one it signs in with before it is verified.
VERIFIED = sa.text("verified_at IS NOT NULL")
SIGN_IN = sa.text("for_sign_in")
account_emails = sa.Table(
    "account_emails",
    metadata,
    sa.Column("email", sa.String(254), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True, index=True),
    sa.Column("verified_at", AT),
    sa.Column("verification_hash", sa.String(64), unique=True),
    sa.Column("for_sign_in", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", AT, nullable=False),
    sa.Index(
        "ux_account_emails_verified",
        "email",
        unique=True,
        sqlite_where=VERIFIED,
        postgresql_where=VERIFIED,
    ),
    sa.Index(
        "ux_account_emails_sign_in",
        "email",
        unique=True,
        sqlite_where=SIGN_IN,
        postgresql_where=SIGN_IN,
    ),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("family_id", ID, nullable=False, index=True),
    sa.Column("expires_at", AT, nullable=False),
    sa.Column("used_at", AT),
    sa.Column("revoked_at", AT),
)

# Attempts per (purpose, key), e.g. ("login.address", e-mail) or ("join.client", IP): one
# row per key, counted with an atomic UPDATE, with a back-off gate (ledger/throttle.py).
throttles = sa.Table(
    "throttles",
    metadata,
    sa.Column("purpose", sa.String(40), primary_key=True),
    sa.Column("key", sa.String(320), primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("window_started_at", AT, nullable=False),
    sa.Column("blocked_until", AT),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", AT, nullable=False),
    sa.Column("actor_id", ID),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("subject_type", sa.String(40), nullable=False),
    sa.Column("subject_id", ID, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("request_id", sa.String(64)),
    sa.Index("ix_audit_subject", "subject_type", "subject_id"),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", ID, nullable=False, unique=True),
    sa.Column("topic", sa.String(60), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("projected_at", AT),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.String(500)),
    sa.Column("retry_at", AT),  # a parked event: when the projector tries it again
    sa.Index("ix_outbox_pending", "projected_at", "id"),
    sa.Index("ix_outbox_topic", "topic", "id"),
)

# Event handlers (effects.py): one row per (event, handler), written `pending` when the
# event is projected (or by the sweep, ledger/handling.py). `done` is written in the same
# transaction as the handler's own SQL effect, so an effect is there exactly when its row
# says so; `due_at` says when a pending event is due, ends a claim's lease, or says when a
# failed (or parked, after many failures) event is tried again.
event_handling = sa.Table(
    "event_handling",
    metadata,
    sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), primary_key=True),
    sa.Column("handler", sa.String(60), primary_key=True),
    sa.Column("state", sa.String(10), nullable=False),  # pending, claimed, failed, parked, done
    sa.Column("claim", ID),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.String(500)),
    sa.Column("due_at", AT),
    sa.Column("done_at", AT),
    sa.Index("ix_event_handling_state", "handler", "state", "due_at"),
    sa.Index("ix_event_handling_due", "state", "due_at"),
    sa.Index("ix_event_handling_done", "state", "done_at"),  # the purge, oldest first
)

# Where each handler's sweep starts (ledger/handling.py): events at or below it have their
# rows, or came before the handler existed.
handler_floors = sa.Table(
    "handler_floors",
    metadata,
    sa.Column("handler", sa.String(60), primary_key=True),
    sa.Column("above", sa.Integer, nullable=False),
)

organizations = sa.Table(
    "organizations",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("created_by", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("agreement_accepted_at", AT),
    sa.Column("verification", sa.String(20), nullable=False, server_default="PENDING"),
    sa.Column("created_at", AT, nullable=False),
)

organization_staff = sa.Table(
    "organization_staff",
    metadata,
    sa.Column("organization_id", ID, sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True, index=True),
    sa.Column("role", sa.String(20), nullable=False),
)

badges = sa.Table(
    "badges",
    metadata,
    sa.Column("id", ID, primary_key=True),
    # A formal badge belongs to an organisation, a peer badge to a club (clubs live in the
    # graph only, hence no foreign key).
    sa.Column("organization_id", ID, sa.ForeignKey("organizations.id")),
    sa.Column("club_id", ID),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("validity_days", sa.Integer),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("content", sa.JSON, nullable=False),
    sa.Column("review_comment", sa.String(2000)),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("created_by", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("updated_at", AT, nullable=False),
)

awards = sa.Table(
    "awards",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("badge_id", ID, sa.ForeignKey("badges.id"), nullable=False, index=True),
    sa.Column("recipient_id", ID, sa.ForeignKey("accounts.id"), index=True),
    sa.Column("recipient_email", sa.String(254), index=True),
    sa.Column("awarded_by", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("idempotency_key", sa.String(100), nullable=False),
    sa.Column("issued_at", AT, nullable=False),
    sa.Column("expires_at", AT),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("revoked_at", AT),
    sa.Column("revoked_by", ID),
    sa.Column("revoke_reason", sa.String(500)),
    sa.UniqueConstraint("awarded_by", "idempotency_key", name="uq_awards_idempotency"),
    # One live award of a badge per holder, enforced by the store under any concurrency.
    sa.Index(
        "uq_awards_live_holder",
        "badge_id",
        "recipient_id",
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL AND recipient_id IS NOT NULL"),
        postgresql_where=sa.text("revoked_at IS NULL AND recipient_id IS NOT NULL"),
    ),
    sa.Index(
        "uq_awards_live_pending",
        "badge_id",
        "recipient_email",
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL AND recipient_id IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL AND recipient_id IS NULL"),
    ),
)

# Points: an append-only ledger. Every event has a source key (e.g. "award:<id>"), unique,
# so a retry or a concurrent duplicate can never count twice; a reversal is a new event.
point_events = sa.Table(
    "point_events",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("amount", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(30), nullable=False),
    sa.Column("source_key", sa.String(120), nullable=False, unique=True),
    sa.Column("source_id", ID),
    sa.Column("at", AT, nullable=False),
    sa.Column("note", sa.String(200)),  # a teacher's, for points given by hand
    sa.Index("ix_point_events_account_at", "account_id", "at"),
)

challenges = sa.Table(
    "challenges",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("team_id", ID, nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.String(2000), nullable=False, server_default=""),
    sa.Column("goal_kind", sa.String(20), nullable=False),
    sa.Column("goal_badge_ids", sa.JSON, nullable=False),
    sa.Column("goal_path_id", ID),
    sa.Column("goal_points", sa.Integer),
    sa.Column("starts_at", AT, nullable=False),
    sa.Column("ends_at", AT, nullable=False),
    sa.Column("reward_points", sa.Integer, nullable=False),
    sa.Column("reward_badge_id", ID, sa.ForeignKey("badges.id")),
    sa.Column("created_by", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("idempotency_key", sa.String(100), nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("cancelled_at", AT),
    # Quests (issue 15): what unlocks the challenge for a learner.
    sa.Column("requires_challenge_id", ID),
    sa.Column("requires_badge_id", ID),
    sa.Column("requires_path_id", ID),  # the path whose step the badge is, if named so
    sa.UniqueConstraint("created_by", "idempotency_key", name="uq_challenges_idempotency"),
)

# A member completes a challenge once: the primary key is the guard.
challenge_completions = sa.Table(
    "challenge_completions",
    metadata,
    sa.Column("challenge_id", ID, sa.ForeignKey("challenges.id"), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), primary_key=True),
    sa.Column("completed_at", AT, nullable=False),
)

# Which `notification.created` outbox events are an account's live messages, written with
# them: `notifications(since:)` reads its account's by this key.
notification_pushes = sa.Table(
    "notification_pushes",
    metadata,
    sa.Column("account_id", ID, primary_key=True),
    sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), primary_key=True),
)

# A user's notifications, made from projected outbox events. One per (event, recipient): two
# API instances projecting the same event insert it once (the unique key decides).
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("event_id", ID, nullable=False),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("actor_id", ID),
    sa.Column("subject_type", sa.String(40)),
    sa.Column("subject_id", ID),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("read_at", AT),
    sa.UniqueConstraint("event_id", "account_id", name="uq_notifications_event_account"),
    sa.Index("ix_notifications_account", "account_id", "created_at", "id"),
    sa.Index(
        "ix_notifications_unread",
        "account_id",
        sqlite_where=sa.text("read_at IS NULL"),
        postgresql_where=sa.text("read_at IS NULL"),
    ),
)

# Credentials earned elsewhere and imported by their holder, with what checking them found.
# One row per (holder, credential): importing the same one again re-checks that row.
external_credentials = sa.Table(
    "external_credentials",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("document_hash", sa.String(64), nullable=False),
    sa.Column("format", sa.String(10), nullable=False),
    sa.Column("source", sa.String(10), nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("checked_at", AT, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.UniqueConstraint("account_id", "document_hash", name="uq_external_credentials_document"),
    sa.Index("ix_external_credentials_account", "account_id", "created_at", "id"),
)

# Signing keys of issuers (organisations, and clubs for peer badges). Private keys are
# sealed with CREDENTIAL_KEYS_SECRET; a rotation retires a key but keeps it, so the
# issuer's DID document still lists it and old signatures keep verifying.
issuer_keys = sa.Table(
    "issuer_keys",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("issuer_id", ID, nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("public_key", sa.Text, nullable=False),
    sa.Column("private_key", sa.Text, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.Column("retired_at", AT),
    sa.Index(
        "uq_issuer_keys_current",
        "issuer_id",
        "kind",
        unique=True,
        sqlite_where=sa.text("retired_at IS NULL"),
        postgresql_where=sa.text("retired_at IS NULL"),
    ),
)

# Each exported credential's place in its issuer's Bitstring Status List, allocated once.
credential_status_entries = sa.Table(
    "credential_status_entries",
    metadata,
    sa.Column("award_id", ID, sa.ForeignKey("awards.id"), primary_key=True),
    sa.Column("issuer_id", ID, nullable=False),
    sa.Column("list_no", sa.Integer, nullable=False),
    sa.Column("list_index", sa.Integer, nullable=False),
    sa.UniqueConstraint("issuer_id", "list_no", "list_index", name="uq_status_entries_slot"),
)

# Signed Open Badges 3.0 credentials exactly as issued (the bytes), one per award and format.
issued_credentials = sa.Table(
    "issued_credentials",
    metadata,
    sa.Column("award_id", ID, sa.ForeignKey("awards.id"), primary_key=True),
    sa.Column("format", sa.String(20), primary_key=True),
    sa.Column("issuer_id", ID, nullable=False),
    sa.Column("key_id", ID, sa.ForeignKey("issuer_keys.id"), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("issued_at", AT, nullable=False),
)

# The last signed status list credential per issuer list, and which revocations it shows.
status_lists = sa.Table(
    "status_lists",
    metadata,
    sa.Column("issuer_id", ID, primary_key=True),
    sa.Column("list_no", sa.Integer, primary_key=True),
    sa.Column("revoked_digest", sa.String(64), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("signed_at", AT, nullable=False),
)
