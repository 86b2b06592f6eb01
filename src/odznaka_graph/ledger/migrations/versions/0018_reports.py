"""Reports and platform moderators (issue 15): reports about clubs, peer badges, profiles
and awards, with their decisions; the accounts that moderate the whole platform.

Revision ID: 0018
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0022"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", ID, nullable=False),
        sa.Column("reporter_id", ID, nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", ID, nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("club_id", ID, nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("open_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.Column("decision_note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["reporter_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    op.create_index("ix_reports_reporter_id", "reports", ["reporter_id"])
    op.create_index("ix_reports_scope_status", "reports", ["scope", "status", "created_at"])
    op.create_index("ix_reports_club_status", "reports", ["club_id", "status", "created_at"])
    op.create_table(
        "platform_moderators",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("granted_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )


def downgrade() -> None:
    op.drop_table("platform_moderators")
    op.drop_table("reports")
