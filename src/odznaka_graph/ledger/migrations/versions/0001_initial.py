"""Accounts, tokens, audit log, outbox, issuer authority, badges and awards.

Revision ID: 0001
"""

from alembic import op

from odznaka_graph.ledger.tables import metadata

revision = "0001"
down_revision = None

# Later revisions spell out their changes; the first one creates the tables as defined.
TABLES = (
    "accounts",
    "account_emails",
    "refresh_tokens",
    "login_failures",
    "audit_log",
    "outbox",
    "organizations",
    "organization_staff",
    "badges",
    "awards",
)


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[name] for name in TABLES])


def downgrade() -> None:
    bind = op.get_bind()
    metadata.drop_all(bind, tables=[metadata.tables[name] for name in reversed(TABLES)])
