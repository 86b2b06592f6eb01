"""Uploads and badge requests (issue 15): the files the API serves itself (badge pictures
re-encoded, badge-request evidence) and learners' requests for an organisation's badge.

Revision ID: 0020
Revises: 0015 (re-chained after the branches of this session at merge)
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0015"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "uploaded_files",
        sa.Column("id", ID, nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("club_id", ID, nullable=True),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_uploaded_files_club_id", "uploaded_files", ["club_id"])
    op.create_index("ix_uploaded_files_owner_id", "uploaded_files", ["owner_id"])
    op.create_table(
        "badge_requests",
        sa.Column("id", ID, nullable=False),
        sa.Column("badge_id", ID, nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("learner_id", ID, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("open_key", sa.String(length=80), nullable=True),
        sa.Column("narrative", sa.String(length=2000), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("file_id", ID, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.Column("decline_reason", sa.String(length=1000), nullable=True),
        sa.Column("award_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["badge_id"], ["badges.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["learner_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["file_id"], ["uploaded_files.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    op.create_index("ix_badge_requests_learner_id", "badge_requests", ["learner_id"])
    op.create_index(
        "ix_badge_requests_org_status",
        "badge_requests",
        ["organization_id", "status", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_badge_requests_org_status", "badge_requests")
    op.drop_index("ix_badge_requests_learner_id", "badge_requests")
    op.drop_table("badge_requests")
    op.drop_index("ix_uploaded_files_owner_id", "uploaded_files")
    op.drop_index("ix_uploaded_files_club_id", "uploaded_files")
    op.drop_table("uploaded_files")
