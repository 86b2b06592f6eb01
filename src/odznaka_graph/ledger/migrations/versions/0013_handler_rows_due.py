"""Event handlers find what is due in their own table (issue 17, review): an index by state
and time, a floor per handler for the sweep that backfills rows projected events missed.

Revision ID: 0013_handler_rows_due
Revises: 0009
"""

from alembic import op

revision = "0013"
down_revision = "0009"
# The handlers that existed when rows were still written on first claim: their sweep starts
# where the shared floor was, so every event projected since gets its rows.
HANDLERS = ("challenges", "notifications", "path-completion", "publish")  # "mail" came later


def upgrade() -> None:
    op.create_index("ix_event_handling_due", "event_handling", ["state", "due_at"])
    for name in HANDLERS:
        op.execute(
            "INSERT INTO handler_floors (handler, above) "
            f"SELECT '{name}', above FROM handler_floors WHERE handler = '*'"
        )
    op.execute("DELETE FROM handler_floors WHERE handler = '*'")


def downgrade() -> None:
    op.execute(
        "INSERT INTO handler_floors (handler, above) "
        "SELECT '*', COALESCE(MIN(above), 0) FROM handler_floors"
    )
    op.execute("DELETE FROM handler_floors WHERE handler <> '*'")
    op.drop_index("ix_event_handling_due", "event_handling")
