"""Wallet issuance (issue 16): OpenID4VCI credential offers and key-proof nonces.

Revision ID: 0011
Revises: 0009 (re-chain to 0010 at merge: the accounts branch adds 0010)
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "wallet_offers",
        sa.Column("id", ID, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("award_id", ID, nullable=False),
        sa.Column("holder_id", ID, nullable=False),
        sa.Column("configuration_id", sa.String(length=80), nullable=False),
        sa.Column("tx_code_hash", sa.String(length=64), nullable=False),
        sa.Column("tx_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("redeemed_at", AT, nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("token_expires_at", AT, nullable=True),
        sa.Column("issued_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["award_id"], ["awards.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_wallet_offers_award_id", "wallet_offers", ["award_id"])
    op.create_table(
        "wallet_nonces",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("used_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_index("ix_wallet_nonces_expires_at", "wallet_nonces", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_wallet_nonces_expires_at", table_name="wallet_nonces")
    op.drop_table("wallet_nonces")
    op.drop_index("ix_wallet_offers_award_id", table_name="wallet_offers")
    op.drop_table("wallet_offers")
