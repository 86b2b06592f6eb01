"""Event handlers (issue 17): per (event, handler) progress, handler floors, parked events.

Revision ID: 0008_event_handlers
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.add_column(sa.Column("retry_at", AT, nullable=True))
    op.create_index("ix_outbox_topic", "outbox", ["topic", "id"])
    op.create_table(
        "event_handling",
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("handler", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("claim", ID, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("due_at", AT, nullable=True),
        sa.Column("done_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"]),
        sa.PrimaryKeyConstraint("outbox_id", "handler"),
    )
    op.create_index("ix_event_handling_state", "event_handling", ["handler", "state", "due_at"])
    op.create_table(
        "handler_floors",
        sa.Column("handler", sa.String(length=60), nullable=False),
        sa.Column("above", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("handler"),
    )
    # Handlers act on events from here on; what came before was handled the old way.
    op.execute(
        "INSERT INTO handler_floors (handler, above) SELECT '*', COALESCE(MAX(id), 0) FROM outbox"
    )


def downgrade() -> None:
    op.drop_table("handler_floors")
    op.drop_index("ix_event_handling_state", "event_handling")
    op.drop_table("event_handling")
    op.drop_index("ix_outbox_topic", "outbox")
    with op.batch_alter_table("outbox") as table:
        table.drop_column("retry_at")
