"""Points a teacher (or a business team's leader) gives by hand, with a note: to some
learners of the team or to all of them, through the points ledger. A call is idempotent
(its key names every entry it makes), audited, and never edited: a correction is a new
entry that takes the points back, once per entry."""

import uuid
from typing import Annotated, Any

from pydantic import Field, model_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, NotFound, ValidationFailed
from odznaka_graph.graph_model import gamification
from odznaka_graph.ids import new_id
from odznaka_graph.ledger import points as ledger_points
from odznaka_graph.ledger.journal import record
from odznaka_graph.ledger.points import PointEvent
from odznaka_graph.outcomes import LearningReason
from odznaka_graph.services import points
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.permissions import Action, require, signed_in
from odznaka_graph.services.teams import MANAGERS, TeamService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model

KEYS = uuid.UUID("5d0c1f7e-8a2b-4c6d-9e3f-1a2b3c4d5e6f")
MAX_RECIPIENTS = 200


class GivePointsInput(Model):
    team_id: str
    recipient_ids: Annotated[list[str], Field(max_length=MAX_RECIPIENTS)] = []
    everyone: bool = False
    amount: Annotated[int, Field(ge=-100, le=100)]
    note: Annotated[str, Field(min_length=1, max_length=200)]
    idempotency_key: Annotated[str, Field(min_length=1, max_length=100)] | None = None

    @model_validator(mode="after")
    def _whom(self) -> "GivePointsInput":
        if self.amount == 0:
            raise ValueError("Give or take at least one point.")
        if self.everyone == bool(self.recipient_ids):
            raise ValueError("Name the learners, or set everyone: true (not both).")
        return self


class CorrectPointsInput(Model):
    point_event_id: str
    note: Annotated[str, Field(min_length=1, max_length=200)]


class TeacherPoints:
    def __init__(self, stores: Stores, teams: TeamService) -> None:
        self.stores = stores
        self.teams = teams

    async def give(self, viewer: Viewer, data: dict[str, Any]) -> list[PointEvent]:
        """The entries of this call (the same ones again when it is retried)."""
        request = parse(GivePointsInput, data)
        team = await self.teams.access(viewer, request.team_id)
        require(Action.GIVE_POINTS, viewer, team.role)
        actor = signed_in(viewer)
        learners = {
            learner.id
            for learner in await gamification.learners(self.stores.graph, team.team_id, MANAGERS)
        }
        chosen = (
            sorted(learners) if request.everyone else list(dict.fromkeys(request.recipient_ids))
        )
        strangers = {
            f"recipient_ids.{i}": "Not a learner of this team."
            for i, account_id in enumerate(chosen)
            if account_id not in learners
        }
        if strangers:
            raise ValidationFailed(strangers, reason=LearningReason.NOT_A_LEARNER)
        key = request.idempotency_key or new_id()
        at = now()
        entries = [
            PointEvent(
                new_id(),
                account_id,
                request.amount,
                points.TEACHER,
                f"teacher:{_key(actor, key, account_id)}",
                team.team_id,
                at,
                request.note,
            )
            for account_id in chosen
        ]

        async def work(conn: AsyncConnection) -> list[PointEvent]:
            added = await ledger_points.add_many(conn, entries)
            if added:
                await record(
                    conn,
                    actor_id=actor,
                    action="points.given",
                    subject_type="Team",
                    subject_id=team.team_id,
                    payload={"id": team.team_id, "amount": request.amount, "count": len(added)},
                )
            return await ledger_points.by_sources(conn, [e.source_key for e in entries])

        return await self.stores.commit(work)

    async def correct(self, viewer: Viewer, data: dict[str, Any]) -> PointEvent:
        """The correcting entry: the given points taken back, with the teacher's note."""
        request = parse(CorrectPointsInput, data)
        async with self.stores.ledger.reading() as conn:
            given = await ledger_points.by_id(conn, request.point_event_id)
        if given is None or given.reason != points.TEACHER or given.source_id is None:
            signed_in(viewer)
            raise NotFound("No such points entry.", reason=LearningReason.POINTS_NOT_FOUND)
        team = await self.teams.access(viewer, given.source_id)
        require(Action.GIVE_POINTS, viewer, team.role)
        actor = signed_in(viewer)
        correction = PointEvent(
            new_id(),
            given.account_id,
            -given.amount,
            points.TEACHER_CORRECTION,
            f"correction:{given.id}",
            given.id,
            now(),
            request.note,
        )

        async def work(conn: AsyncConnection) -> PointEvent:
            if not await ledger_points.add_many(conn, [correction]):
                raise Conflict(
                    "This entry was corrected already.",
                    reason=LearningReason.POINTS_CORRECTED_ALREADY,
                )
            await record(
                conn,
                actor_id=actor,
                action="points.corrected",
                subject_type="Team",
                subject_id=team.team_id,
                payload={"id": team.team_id, "pointEventId": given.id},
            )
            return correction

        return await self.stores.commit(work)


def _key(actor: str, key: str, account_id: str) -> str:
    """One entry per (teacher, call, learner), short enough for the ledger's key column."""
    return str(uuid.uuid5(KEYS, f"{actor}:{key}:{account_id}"))
