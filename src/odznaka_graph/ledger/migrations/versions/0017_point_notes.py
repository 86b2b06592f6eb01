"""Teachers in control (issue 15): the note a teacher gives with points they give or
correct by hand, and when a challenge was cancelled.

Revision ID: 0017
Revises: 0012 (re-chained after the branches of this session at merge)
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0012"


def upgrade() -> None:
    with op.batch_alter_table("point_events") as table:
        table.add_column(sa.Column("note", sa.String(length=200), nullable=True))
    with op.batch_alter_table("challenges") as table:
        table.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("challenges") as table:
        table.drop_column("cancelled_at")
    with op.batch_alter_table("point_events") as table:
        table.drop_column("note")
