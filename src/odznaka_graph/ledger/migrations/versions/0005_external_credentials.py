"""Imported credentials and Open Badges 2.0 hosting (issue 7).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
AT = sa.DateTime(timezone=True)
ID = sa.String(length=36)


def upgrade() -> None:
    op.create_table(
        "external_credentials",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_id", ID, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("document_hash", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("checked_at", AT, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "document_hash", name="uq_external_credentials_document"),
    )
    op.create_index(
        "ix_external_credentials_account",
        "external_credentials",
        ["account_id", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_external_credentials_account", table_name="external_credentials")
    op.drop_table("external_credentials")
