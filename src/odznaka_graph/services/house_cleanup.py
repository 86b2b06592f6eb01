"""Someone taken out of a team (or who left it) leaves their house: the event handler
"houses" (effects.py) deletes their row in the transaction that marks the events handled.
Reads leave former learners out already (house_reads.py): this keeps them out of the
house if they come back to the team."""

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.effects import EventHandler, Finish
from odznaka_graph.ledger import houses
from odznaka_graph.ledger.journal import OutboxEvent

TOPICS = ("team.member_removed", "team.member_left")


def house_cleanup() -> EventHandler:
    return EventHandler("houses", TOPICS, _handle)


async def _handle(events: list[OutboxEvent], finish: Finish) -> None:
    gone = [e for e in events if e.topic in TOPICS]

    async def work(conn: AsyncConnection) -> None:
        for event in gone:  # an assignment made after the removal stays
            team_id, user_id = event.payload["id"], event.payload["userId"]
            await houses.unassign(conn, team_id, [user_id], event.created_at)

    await finish(work if gone else None)
