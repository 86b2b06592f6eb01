"""Changing a challenge before it ends (issue 15): its teacher or leader edits the title,
the description or the deadline, or cancels it. Completions recorded stay, with their
rewards; a cancelled challenge records no more. Both are audited."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.clock import now
from odznaka_graph.errors import Conflict, ValidationFailed
from odznaka_graph.ledger import challenges
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.ledger.journal import record
from odznaka_graph.outcomes import InputReason, LearningReason
from odznaka_graph.services import quests
from odznaka_graph.services.base import Stores, parse
from odznaka_graph.services.challenges import ChallengeService, window_problem
from odznaka_graph.services.permissions import Action, require
from odznaka_graph.services.quests import RequirementInput
from odznaka_graph.services.teams import TeamService
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.standard import Model


class ChallengeEdit(Model):
    challenge_id: str
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    ends_at: datetime | None = None
    requires: RequirementInput | None = None  # what unlocks it (quests.py); {}: nothing


class Cancellation(Model):
    challenge_id: str
    reason: Annotated[str, Field(max_length=500)] | None = None


class ChallengeChanges:
    def __init__(self, stores: Stores, teams: TeamService, found: ChallengeService) -> None:
        self.stores = stores
        self.teams = teams
        self.found = found

    async def update(self, viewer: Viewer, data: dict[str, Any]) -> str:
        edit = parse(ChallengeEdit, data)
        actor, challenge = await self._managed(viewer, edit.challenge_id)
        values: dict[str, Any] = edit.model_dump(
            exclude_none=True, exclude={"challenge_id", "requires"}
        )
        if edit.requires is not None:
            values |= await self._requirement(viewer, challenge, data["requires"])
        if not values:
            raise ValidationFailed(
                {"input": "Name something to change."}, reason=InputReason.INVALID_INPUT
            )
        if edit.ends_at is not None:
            problem = window_problem(challenge.starts_at, edit.ends_at)
            if problem:
                raise ValidationFailed(
                    {"ends_at": problem}, reason=LearningReason.CHALLENGE_WINDOW_INVALID
                )
        changed = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
        await self._change(actor, challenge.id, "challenge.updated", values, changed)
        return challenge.id

    async def _requirement(
        self, viewer: Viewer, challenge: ChallengeRow, raw: Any
    ) -> dict[str, str | None]:
        team_id = challenge.team_id
        resolved = await quests.resolve(self.stores, viewer, team_id, raw, challenge.id, True)
        return resolved.values

    async def cancel(self, viewer: Viewer, data: dict[str, Any]) -> str:
        request = parse(Cancellation, data)
        actor, challenge = await self._managed(viewer, request.challenge_id)
        at = now()
        payload = {"cancelReason": request.reason, "cancelledAt": at.isoformat()}
        await self._change(
            actor, challenge.id, "challenge.cancelled", {"cancelled_at": at}, payload
        )
        return challenge.id

    async def _managed(self, viewer: Viewer, challenge_id: str) -> tuple[str, ChallengeRow]:
        challenge = await self.found.challenge(viewer, challenge_id)
        team = await self.teams.access(viewer, challenge.team_id)
        return require(Action.CREATE_CHALLENGE, viewer, team.role), challenge

    async def _change(
        self,
        actor: str,
        challenge_id: str,
        action: str,
        values: dict[str, Any],
        payload: dict[str, Any],
    ) -> None:
        async def work(conn: AsyncConnection) -> None:
            if not await challenges.update(conn, challenge_id, now=now(), **values):
                raise Conflict(
                    "This challenge has ended or was cancelled.",
                    reason=LearningReason.CHALLENGE_CLOSED,
                )
            await record(
                conn,
                actor_id=actor,
                action=action,
                subject_type="Challenge",
                subject_id=challenge_id,
                payload={"id": challenge_id, **payload},
            )

        await self.stores.commit(work)
