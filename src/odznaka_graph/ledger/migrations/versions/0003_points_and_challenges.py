"""Points ledger, challenges and their completions (issue 5).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
AT = sa.DateTime(timezone=True)
ID = sa.String(length=36)


def upgrade() -> None:
    op.create_table(
        "point_events",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("source_key", sa.String(length=120), nullable=False),
        sa.Column("source_id", ID, nullable=True),
        sa.Column("at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_index("ix_point_events_account_at", "point_events", ["account_id", "at"])
    op.create_table(
        "challenges",
        sa.Column("id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("goal_kind", sa.String(length=20), nullable=False),
        sa.Column("goal_badge_ids", sa.JSON(), nullable=False),
        sa.Column("goal_path_id", ID, nullable=True),
        sa.Column("goal_points", sa.Integer(), nullable=True),
        sa.Column("starts_at", AT, nullable=False),
        sa.Column("ends_at", AT, nullable=False),
        sa.Column("reward_points", sa.Integer(), nullable=False),
        sa.Column("reward_badge_id", ID, sa.ForeignKey("badges.id"), nullable=True),
        sa.Column("created_by", ID, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("created_by", "idempotency_key", name="uq_challenges_idempotency"),
    )
    op.create_index("ix_challenges_team_id", "challenges", ["team_id"])
    op.create_table(
        "challenge_completions",
        sa.Column("challenge_id", ID, sa.ForeignKey("challenges.id"), nullable=False),
        sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("completed_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("challenge_id", "account_id"),
    )


def downgrade() -> None:
    op.drop_table("challenge_completions")
    op.drop_index("ix_challenges_team_id", table_name="challenges")
    op.drop_table("challenges")
    op.drop_index("ix_point_events_account_at", table_name="point_events")
    op.drop_table("point_events")
