"""Tables of houses (issue 15): teams within a class that compete on points. `tables`
re-exports them."""

import sqlalchemy as sa

from odznaka_graph.ledger.table_types import AT, ID, metadata

# A house of a class (the class lives in the graph: team_id names it). Names are unique
# in their class.
houses = sa.Table(
    "houses",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("colour", sa.String(7)),
    sa.Column("created_by", ID, nullable=False),
    sa.Column("created_at", AT, nullable=False),
    sa.UniqueConstraint("team_id", "name", name="uq_houses_team_name"),
)

# One house per pupil per class: the primary key is the guard; reassigning updates it.
house_members = sa.Table(
    "house_members",
    metadata,
    sa.Column("team_id", ID, primary_key=True),
    sa.Column("account_id", ID, primary_key=True),
    sa.Column("house_id", ID, sa.ForeignKey("houses.id"), nullable=False, index=True),
    sa.Column("assigned_at", AT, nullable=False),
)
