"""Wallet presentations (issue 16, OpenID4VP): the verifier's key and certificates,
presentation requests, wallet identities linked to accounts.

Revision ID: 0014
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0017"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "wallet_verifier_keys",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("certificates", sa.JSON(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "wallet_presentation_requests",
        sa.Column("id", ID, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("result_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("requester_id", ID, nullable=True),
        sa.Column("event_id", ID, nullable=True),
        sa.Column("badge_ids", sa.JSON(), nullable=True),
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("encryption_key", sa.Text(), nullable=False),
        sa.Column("dcql", sa.JSON(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("answered_at", AT, nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("collected_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
        sa.UniqueConstraint("result_hash"),
    )
    op.create_index(
        "ix_wallet_presentation_requests_expires_at",
        "wallet_presentation_requests",
        ["expires_at"],
    )
    op.create_table(
        "wallet_identities",
        sa.Column("id", ID, nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("linked_at", AT, nullable=False),
        sa.Column("last_used_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject", name="uq_wallet_identities_subject"),
    )
    op.create_index("ix_wallet_identities_account_id", "wallet_identities", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_wallet_identities_account_id", table_name="wallet_identities")
    op.drop_table("wallet_identities")
    op.drop_index(
        "ix_wallet_presentation_requests_expires_at", table_name="wallet_presentation_requests"
    )
    op.drop_table("wallet_presentation_requests")
    op.drop_table("wallet_verifier_keys")
