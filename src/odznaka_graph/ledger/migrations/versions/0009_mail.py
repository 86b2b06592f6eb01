"""Mail and the account lifecycle (issue 14): queued messages, mail preferences, password
resets, sessions (device, last use), e-mail changes, personal data archives.

Revision ID: 0009_mail
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("account_id", ID, nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", AT, nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("sent_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mail_messages_account_id", "mail_messages", ["account_id"])
    op.create_index("ix_mail_messages_due", "mail_messages", ["status", "next_attempt_at"])
    op.create_table(
        "mail_preferences",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_table(
        "password_resets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("used_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_password_resets_account_id", "password_resets", ["account_id"])
    op.create_table(
        "sessions",
        sa.Column("family_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("device", sa.String(length=200), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("last_used_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("family_id"),
    )
    op.create_index("ix_sessions_account_id", "sessions", ["account_id"])
    op.create_table(
        "email_changes",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("requested_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_table(
        "data_exports",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_data_exports_account_id", "data_exports", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_data_exports_account_id", table_name="data_exports")
    op.drop_table("data_exports")
    op.drop_table("email_changes")
    op.drop_index("ix_sessions_account_id", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("password_resets")
    op.drop_table("mail_preferences")
    op.drop_index("ix_mail_messages_due", table_name="mail_messages")
    op.drop_index("ix_mail_messages_account_id", table_name="mail_messages")
    op.drop_table("mail_messages")
