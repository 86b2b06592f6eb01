"""Notifications for signed-in users (issue 5).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)
UNREAD = "read_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", ID, nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("read_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "account_id", name="uq_notifications_event_account"),
    )
    op.create_index("ix_notifications_account", "notifications", ["account_id", "created_at", "id"])
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["account_id"],
        sqlite_where=sa.text(UNREAD),
        postgresql_where=sa.text(UNREAD),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_index("ix_notifications_account", table_name="notifications")
    op.drop_table("notifications")
