"""Table definitions (SQLAlchemy Core). Alembic migrations create them."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Timestamps in UTC on every backend (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


metadata = sa.MetaData()
ID = sa.String(36)
AT = UtcDateTime()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("handle", sa.String(40), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False, server_default="USER"),
    sa.Column("created_at", AT, nullable=False),
)

account_emails = sa.Table(
    "account_emails",
    metadata,
    sa.Column("email", sa.String(254), primary_key=True),
    sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("verified_at", AT),
    sa.Column("verification_hash", sa.String(64), unique=True),
    sa.Column("created_at", AT, nullable=False),
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

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("at", AT, nullable=False),
    sa.Index("ix_login_failures_email_at", "email", "at"),
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
    sa.Index("ix_outbox_pending", "projected_at", "id"),
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
