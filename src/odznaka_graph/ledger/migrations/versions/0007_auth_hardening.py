"""Auth hardening (issue 11): unverified addresses reserve nothing; one throttle table.

`account_emails` is keyed by (email, account) with an address unique only once verified
(and among sign-in addresses); `throttles` replaces `login_failures`.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)
VERIFIED = sa.text("verified_at IS NOT NULL")
SIGN_IN = sa.text("for_sign_in")


def upgrade() -> None:
    op.create_table(
        "account_emails_new",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("verified_at", AT, nullable=True),
        sa.Column("verification_hash", sa.String(length=64), nullable=True),
        sa.Column("for_sign_in", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("email", "account_id"),
        sa.UniqueConstraint("verification_hash"),
    )
    # The address an account registered with was made with the account itself.
    op.execute(
        "INSERT INTO account_emails_new "
        "(email, account_id, verified_at, verification_hash, for_sign_in, created_at) "
        "SELECT e.email, e.account_id, e.verified_at, e.verification_hash, "
        "e.created_at = a.created_at, e.created_at "
        "FROM account_emails e JOIN accounts a ON a.id = e.account_id"
    )
    op.drop_index("ix_account_emails_account_id", table_name="account_emails")
    op.drop_table("account_emails")
    op.rename_table("account_emails_new", "account_emails")
    op.create_index("ix_account_emails_account_id", "account_emails", ["account_id"])
    op.create_index(
        "ux_account_emails_verified",
        "account_emails",
        ["email"],
        unique=True,
        sqlite_where=VERIFIED,
        postgresql_where=VERIFIED,
    )
    op.create_index(
        "ux_account_emails_sign_in",
        "account_emails",
        ["email"],
        unique=True,
        sqlite_where=SIGN_IN,
        postgresql_where=SIGN_IN,
    )
    op.create_table(
        "throttles",
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("window_started_at", AT, nullable=False),
        sa.Column("blocked_until", AT, nullable=True),
        sa.PrimaryKeyConstraint("purpose", "key"),
    )
    op.drop_index("ix_login_failures_email_at", table_name="login_failures")
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_failures_email_at", "login_failures", ["email", "at"])
    op.drop_table("throttles")
    op.drop_index("ux_account_emails_sign_in", table_name="account_emails")
    op.drop_index("ux_account_emails_verified", table_name="account_emails")
    # Back to one row per address: the verified claim, else the sign-in one.
    op.execute(
        "DELETE FROM account_emails WHERE verified_at IS NULL AND NOT for_sign_in "
        "AND email IN (SELECT email FROM account_emails GROUP BY email HAVING COUNT(*) > 1)"
    )
    op.create_table(
        "account_emails_old",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("verified_at", AT, nullable=True),
        sa.Column("verification_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("email"),
        sa.UniqueConstraint("verification_hash"),
    )
    op.execute(
        "INSERT INTO account_emails_old "
        "(email, account_id, verified_at, verification_hash, created_at) "
        "SELECT email, account_id, verified_at, verification_hash, created_at "
        "FROM account_emails"
    )
    op.drop_index("ix_account_emails_account_id", table_name="account_emails")
    op.drop_table("account_emails")
    op.rename_table("account_emails_old", "account_emails")
    op.create_index("ix_account_emails_account_id", "account_emails", ["account_id"])
