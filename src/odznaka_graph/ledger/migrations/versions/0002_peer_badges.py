"""Peer badges in the ledger: a badge belongs to an organisation or to a club.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    # Batch mode: SQLite cannot drop NOT NULL in place, so the table is copied (with the
    # foreign keys off, see Ledger.migrate, as awards refer to it).
    with op.batch_alter_table("badges") as batch:
        batch.alter_column("organization_id", existing_type=sa.String(length=36), nullable=True)
        batch.add_column(sa.Column("club_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("badges") as batch:
        batch.drop_column("club_id")
        batch.alter_column("organization_id", existing_type=sa.String(length=36), nullable=False)
