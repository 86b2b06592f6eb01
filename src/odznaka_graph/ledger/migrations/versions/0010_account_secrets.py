"""Secrets at rest, single-use downloads and account deletion (issue 14, review): the claim
of the worker sending a message, data archives downloaded once (content dropped after), no
reset, verification or download token left in sent mail or in outbox payloads, and when an
account is to be (or was) erased.

Revision ID: 0010
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0013"
ID = sa.String(length=36)
AT = sa.DateTime(timezone=True)
SECRETS = ("token",)


def upgrade() -> None:
    op.add_column("mail_messages", sa.Column("claim", ID, nullable=True))
    op.add_column("accounts", sa.Column("deletion_due_at", AT, nullable=True))
    op.add_column("accounts", sa.Column("erased_at", AT, nullable=True))
    with op.batch_alter_table("data_exports") as batch:
        batch.alter_column("content", existing_type=sa.Text(), nullable=True)
        batch.add_column(sa.Column("used_at", AT, nullable=True))
    _drop_stored_tokens()


def _drop_stored_tokens() -> None:
    """Tokens were kept in plain text in sent mail and in `mail.verify_email` events."""
    bind = op.get_bind()
    meta = sa.MetaData()
    outbox = sa.Table(
        "outbox", meta, sa.Column("id"), sa.Column("topic"), sa.Column("payload", sa.JSON)
    )
    mail = sa.Table(
        "mail_messages", meta, sa.Column("id"), sa.Column("status"), sa.Column("data", sa.JSON)
    )
    events = bind.execute(
        sa.select(outbox.c.id, outbox.c.payload).where(outbox.c.topic == "mail.verify_email")
    )
    for event_id, payload in list(events):
        kept = {k: v for k, v in payload.items() if k not in SECRETS}
        bind.execute(outbox.update().where(outbox.c.id == event_id).values(payload=kept))
    done = bind.execute(
        sa.select(mail.c.id, mail.c.data).where(mail.c.status.in_(["SENT", "FAILED"]))
    )
    for message_id, data in list(done):
        if any(key in data for key in SECRETS):
            kept = {k: v for k, v in data.items() if k not in SECRETS}
            bind.execute(mail.update().where(mail.c.id == message_id).values(data=kept))


def downgrade() -> None:
    op.execute("DELETE FROM data_exports WHERE content IS NULL")
    with op.batch_alter_table("data_exports") as batch:
        batch.drop_column("used_at")
        batch.alter_column("content", existing_type=sa.Text(), nullable=False)
    op.drop_column("mail_messages", "claim")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("deletion_due_at")
