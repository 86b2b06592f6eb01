"""Issuer signing keys, issued credential documents and status lists (issue 7, OB 3.0).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
AT = sa.DateTime(timezone=True)
ID = sa.String(length=36)
CURRENT = "retired_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "issuer_keys",
        sa.Column("id", ID, nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("retired_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_issuer_keys_issuer_id", "issuer_keys", ["issuer_id"])
    op.create_index(
        "uq_issuer_keys_current",
        "issuer_keys",
        ["issuer_id", "kind"],
        unique=True,
        sqlite_where=sa.text(CURRENT),
        postgresql_where=sa.text(CURRENT),
    )
    op.create_table(
        "credential_status_entries",
        sa.Column("award_id", ID, sa.ForeignKey("awards.id"), nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("list_no", sa.Integer(), nullable=False),
        sa.Column("list_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("award_id"),
        sa.UniqueConstraint("issuer_id", "list_no", "list_index", name="uq_status_entries_slot"),
    )
    op.create_table(
        "issued_credentials",
        sa.Column("award_id", ID, sa.ForeignKey("awards.id"), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("key_id", ID, sa.ForeignKey("issuer_keys.id"), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("issued_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("award_id", "format"),
    )
    op.create_table(
        "status_lists",
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("list_no", sa.Integer(), nullable=False),
        sa.Column("revoked_digest", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("signed_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("issuer_id", "list_no"),
    )


def downgrade() -> None:
    op.drop_table("status_lists")
    op.drop_table("issued_credentials")
    op.drop_table("credential_status_entries")
    op.drop_index("uq_issuer_keys_current", table_name="issuer_keys")
    op.drop_index("ix_issuer_keys_issuer_id", table_name="issuer_keys")
    op.drop_table("issuer_keys")
