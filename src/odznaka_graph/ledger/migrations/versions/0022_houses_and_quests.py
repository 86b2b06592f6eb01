"""Teachers in control (issue 15): houses within a class, and quests (what unlocks a
challenge: a previous challenge of the team, a badge or a path step).

Revision ID: 0022
Revises: 0019 (re-chained after the branches of this session at merge)
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0019"
ID = sa.String(36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "houses",
        sa.Column("id", ID, primary_key=True),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("colour", sa.String(7)),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.UniqueConstraint("team_id", "name", name="uq_houses_team_name"),
    )
    op.create_table(
        "house_members",
        sa.Column("team_id", ID, primary_key=True),
        sa.Column("account_id", ID, primary_key=True),
        sa.Column("house_id", ID, sa.ForeignKey("houses.id"), nullable=False),
        sa.Column("assigned_at", AT, nullable=False),
    )
    op.create_index("ix_house_members_house_id", "house_members", ["house_id"])
    with op.batch_alter_table("challenges") as table:
        table.add_column(sa.Column("requires_challenge_id", ID, nullable=True))
        table.add_column(sa.Column("requires_badge_id", ID, nullable=True))
        table.add_column(sa.Column("requires_path_id", ID, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("challenges") as table:
        table.drop_column("requires_path_id")
        table.drop_column("requires_badge_id")
        table.drop_column("requires_challenge_id")
    op.drop_index("ix_house_members_house_id", table_name="house_members")
    op.drop_table("house_members")
    op.drop_table("houses")
