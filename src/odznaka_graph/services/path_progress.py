"""The rules of a path's shape and of progress along it: pure functions, no I/O.

A step is done when its badge is held through a valid award, whatever the order it was
earned in. A path is finished when every required step is done and every elective group
has at least its minimum of done steps. Optional steps (neither required nor in a group)
count towards nothing; they are suggestions.
"""

from odznaka_graph.graph_model.paths import (
    Blocked,
    GroupProgress,
    PathRecord,
    Progress,
    StepRecord,
)


def progress(path: PathRecord, user_id: str, held: set[str] | frozenset[str]) -> Progress:
    done_keys = {step.key for step in path.steps if step.badge_id in held}
    by_key = {step.key: step for step in path.steps}
    groups = [
        GroupProgress(
            group,
            members := [step for step in path.steps if step.group == group.key],
            sum(step.key in done_keys for step in members),
        )
        for group in path.groups
    ]
    open_groups = {g.group.key for g in groups if not g.satisfied}
    required = [step for step in path.steps if step.required]
    achieved = sum(step.key in done_keys for step in required) + sum(
        min(g.done, g.group.minimum) for g in groups
    )
    needed = len(required) + sum(g.group.minimum for g in groups)
    finished = achieved >= needed
    pending = [step for step in path.steps if step.key not in done_keys]
    return Progress(
        path=path,
        user_id=user_id,
        done=[step for step in path.steps if step.key in done_keys],
        next=[
            step
            for step in pending
            if _counts(step, open_groups) and all(k in done_keys for k in step.prerequisites)
        ],
        blocked=[
            Blocked(step, [by_key[k] for k in step.prerequisites if k not in done_keys])
            for step in pending
            if any(k not in done_keys for k in step.prerequisites)
        ],
        groups=groups,
        percent=100 if finished else (100 * achieved) // max(needed, 1),
        finished=finished,
    )


def _counts(step: StepRecord, open_groups: set[str]) -> bool:
    """Whether doing this step still brings the path closer to its end."""
    return step.required or step.group in open_groups


def cycle(prerequisites: dict[str, list[str]]) -> list[str] | None:
    """One cycle among steps' prerequisites (as keys, first repeated at the end), or None."""
    state: dict[str, str] = {}

    def visit(key: str, trail: list[str]) -> list[str] | None:
        state[key] = "open"
        for before in prerequisites.get(key, []):
            if state.get(before) == "open":
                return [*trail[trail.index(before) :], before] if before in trail else None
            if before not in state and (found := visit(before, [*trail, before])):
                return found
        state[key] = "closed"
        return None

    for key in prerequisites:
        if key not in state and (found := visit(key, [key])):
            return found
    return None
