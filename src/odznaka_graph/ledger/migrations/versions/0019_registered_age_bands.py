"""Age bands given at self-registration (issue 15): a self-registered minor gets a pupil's
protections by default.

Revision ID: 0019
Revises: 0020 (re-chained after the branches of this session at merge)
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0020"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "registered_age_bands",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )


def downgrade() -> None:
    op.drop_table("registered_age_bands")
