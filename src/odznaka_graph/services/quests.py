"""Quests (issue 15): a challenge can require a previous challenge of its team completed,
and/or a badge held (named, or as a step of a path), before it counts for a learner.

For a learner a quest unlocks when they hold all it requires: at the later of the
completion and the badge's (first valid) award. Until then it is locked: nothing counts,
nothing completes, and its board leaves them out. Once unlocked, BADGES and POINTS goals
count what is earned from the unlocking (or the start, if later) to the deadline; a PATH
goal counts the path's progress as it stands (a step held cannot be earned again).
Completions are recorded by the event handler (challenge_completion.py), which also takes
`challenge.completed` events: completing A is what may complete the quest A unlocks.
Requirements form no circle (checked when they change) and name challenges of the same
team only."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model import paths as path_graph
from odznaka_graph.graph_model.paths import StepRecord
from odznaka_graph.ledger import challenges, credentials
from odznaka_graph.ledger.challenges import ChallengeRow
from odznaka_graph.outcomes import LearningReason
from odznaka_graph.services.base import Stores
from odznaka_graph.services.tokens import Viewer
from odznaka_graph.services.visibility import can_see_path
from odznaka_graph.standard import Model

FIELD = "requires"
CYCLE = "The challenges would unlock each other in a circle."


class RequirementInput(Model):
    challenge_id: str | None = None
    badge_id: str | None = None
    path_id: str | None = None
    step_key: str | None = None


@dataclass(frozen=True)
class Resolved:
    """What the requirement resolves to (the columns of the challenge), or its faults."""

    values: dict[str, str | None]
    fields: dict[str, str]


def is_quest(challenge: ChallengeRow) -> bool:
    return bool(challenge.requires_challenge_id or challenge.requires_badge_id)


async def unlocked(
    conn: AsyncConnection,
    rows: Collection[ChallengeRow],
    account_ids: Collection[str],
    at: datetime,
) -> dict[tuple[str, str], datetime]:
    """For each (challenge, account) unlocked, when its progress starts counting: the
    challenge's start, or the unlocking if later. Two reads at most, whatever the number
    of challenges and accounts."""
    quests = [c for c in rows if is_quest(c)]
    required = {c.requires_challenge_id for c in quests if c.requires_challenge_id}
    badges = {c.requires_badge_id for c in quests if c.requires_badge_id}
    done = await challenges.completions(conn, required, account_ids) if required else {}
    held = await challenges.first_held(conn, account_ids, badges, at) if badges else {}
    found: dict[tuple[str, str], datetime] = {}
    for challenge in rows:
        for account_id in account_ids:
            times: list[datetime | None] = [challenge.starts_at]
            if challenge.requires_challenge_id:
                times.append(done.get((challenge.requires_challenge_id, account_id)))
            if challenge.requires_badge_id:
                times.append(held.get((account_id, challenge.requires_badge_id)))
            known = [t for t in times if t is not None]
            if len(known) == len(times):
                found[(challenge.id, account_id)] = max(known)
    return found


async def resolve(
    stores: Stores,
    viewer: Viewer,
    team_id: str,
    raw: Any,
    challenge_id: str | None = None,
    refuse: bool = False,
) -> Resolved:
    """The requirement of a challenge being created (`challenge_id` None) or changed:
    every fault at once, by field (`refuse`: raised, as a ValidationFailed)."""
    values: dict[str, str | None] = {
        "requires_challenge_id": None,
        "requires_badge_id": None,
        "requires_path_id": None,
    }
    if not isinstance(raw, dict):
        return Resolved(values, {})
    given = RequirementInput.model_validate(raw)
    fields: dict[str, str] = {}
    if given.challenge_id is not None:
        problem = await _required_challenge(stores, team_id, given.challenge_id, challenge_id)
        if problem:
            fields[f"{FIELD}.challenge_id"] = problem
        values["requires_challenge_id"] = given.challenge_id
    if given.badge_id is not None and given.path_id is not None:
        fields[f"{FIELD}.badge_id"] = "Name a badge or a path step, not both."
    elif given.badge_id is not None:
        async with stores.ledger.reading() as conn:
            if given.badge_id not in await credentials.published_ids(conn, [given.badge_id]):
                fields[f"{FIELD}.badge_id"] = "No such published badge."
        values["requires_badge_id"] = given.badge_id
    elif given.path_id is not None or given.step_key is not None:
        found = await _step(stores, viewer, given.path_id, given.step_key)
        if given.path_id is None:
            fields[f"{FIELD}.path_id"] = "Name the path of the step too."
        elif found is None:
            fields[f"{FIELD}.step_key"] = "No such step in this path."
        values["requires_badge_id"] = found.badge_id if found else None
        values["requires_path_id"] = given.path_id
    if fields and refuse:
        raise ValidationFailed(fields, reason=reason(fields))
    return Resolved(values, fields)


def reason(fields: dict[str, str]) -> LearningReason:
    if any(message == CYCLE for message in fields.values()):
        return LearningReason.QUEST_CYCLE
    return LearningReason.QUEST_REQUIREMENT_INVALID


async def _required_challenge(
    stores: Stores, team_id: str, required_id: str, challenge_id: str | None
) -> str | None:
    if required_id == challenge_id:
        return "A challenge cannot require itself."
    async with stores.ledger.reading() as conn:
        chain = await challenges.requirements(conn, team_id)
    if required_id not in chain:
        return "No such challenge in this team."
    seen: set[str] = set()
    at: str | None = required_id
    while at is not None and at not in seen:  # what the required one needs, and so on
        if at == challenge_id:
            return CYCLE
        seen.add(at)
        at = chain.get(at)
    return None


async def _step(
    stores: Stores, viewer: Viewer, path_id: str | None, key: str | None
) -> StepRecord | None:
    """The named step of a path the viewer may see."""
    if path_id is None:
        return None
    path = (await path_graph.paths_by_ids(stores.graph, [path_id], viewer.id)).get(path_id)
    if path is None or not can_see_path(viewer, path):
        return None
    return next((step for step in path.steps if step.key == key), None)
