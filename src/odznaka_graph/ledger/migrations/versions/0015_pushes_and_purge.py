"""Notification catch-up by index and the purge of done handler rows (issue 17):
`notification_pushes` names the account of each `notification.created` outbox event (what
`notifications(since:)` reads by its key, instead of every account's messages), filled
from the outbox for the messages already there; an index of done handler rows by when
they were done, for the purge.

Revision ID: 0015
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0016"


def upgrade() -> None:
    op.create_table(
        "notification_pushes",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "outbox_id"),
    )
    account = (
        "payload ->> 'account_id'"
        if op.get_bind().dialect.name == "postgresql"
        else "json_extract(payload, '$.account_id')"
    )
    op.execute(
        f"INSERT INTO notification_pushes (account_id, outbox_id) SELECT {account}, id "
        "FROM outbox WHERE topic = 'notification.created'"
    )
    op.create_index("ix_event_handling_done", "event_handling", ["state", "done_at"])


def downgrade() -> None:
    op.drop_index("ix_event_handling_done", "event_handling")
    op.drop_table("notification_pushes")
