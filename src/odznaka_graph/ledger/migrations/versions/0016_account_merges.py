"""Account merges (issue 14): the offer mailed to an address another account of the same
person holds, and whether it was used.

Revision ID: 0016
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "account_merges",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("target_id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("merged_at", AT, nullable=True),
        sa.Column("moved", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["target_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_account_merges_source_id", "account_merges", ["source_id"])
    op.create_index("ix_account_merges_target_id", "account_merges", ["target_id"])


def downgrade() -> None:
    op.drop_index("ix_account_merges_target_id", "account_merges")
    op.drop_index("ix_account_merges_source_id", "account_merges")
    op.drop_table("account_merges")
