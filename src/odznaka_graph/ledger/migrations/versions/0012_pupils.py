"""Pupils enrolled without e-mail (issue 15): the roster, one-time sign-in codes and
guardians' consents.

Revision ID: 0012
Revises: 0009 (to be re-chained after 0011 at merge)
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pupils",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("shown_name", sa.String(length=100), nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=False),
        sa.Column("enrolled_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("signed_in_at", AT, nullable=True),
        sa.Column("removed_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_index("ix_pupils_team_id", "pupils", ["team_id"])
    op.create_table(
        "pupil_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("used_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_index("ix_pupil_codes_account_id", "pupil_codes", ["account_id"])
    op.create_table(
        "guardian_consents",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("guardian_email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("requested_by", ID, nullable=False),
        sa.Column("requested_at", AT, nullable=False),
        sa.Column("granted_at", AT, nullable=True),
        sa.Column("revoked_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_guardian_consents_account_id", "guardian_consents", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_guardian_consents_account_id", table_name="guardian_consents")
    op.drop_table("guardian_consents")
    op.drop_index("ix_pupil_codes_account_id", table_name="pupil_codes")
    op.drop_table("pupil_codes")
    op.drop_index("ix_pupils_team_id", table_name="pupils")
    op.drop_table("pupils")
