"""A planned path: `path(id:)` with its steps (each with its badge) and the viewer's
progress, in the operation's one query. The path is read as the loaders read it (the same
projection, so `to_path`, `can_see_path` and `progress` decide as they always do), with
the step badges the viewer holds validly and each step badge's asked fields."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from odznaka_graph.graph_model.paths import VALID_AWARD, path_projection, to_path
from odznaka_graph.i18n import pick
from odznaka_graph.ids import local_id, to_global
from odznaka_graph.planner.plan import Builder, Entries, Rule, Run, Shaper
from odznaka_graph.planner.profiles import visible_badge
from odznaka_graph.planner.selection import Asked, Unplannable, fields_of
from odznaka_graph.services.path_progress import progress
from odznaka_graph.services.visibility import can_see_path

Of = Callable[[Any, Run], Any]
Maker = Callable[[Builder, Asked], Of]


def _select(b: Builder, type_name: str, selections: Sequence[Any], makers: dict[str, Maker]) -> Of:
    """A shaper of a record (a PathRecord, StepRecord, Progress) for the fields asked."""
    object_type = b.schema.get_type(type_name)
    parts: list[tuple[str, Of]] = []
    for asked in fields_of(object_type, tuple(selections), b.fragments):  # type: ignore[arg-type]
        if asked.name == "__typename":
            parts.append((asked.key, _named(type_name)))
        elif asked.name in makers:
            parts.append((asked.key, makers[asked.name](b, asked)))
        else:
            raise Unplannable(f"{type_name}.{asked.name}")
    return lambda record, run: {key: of(record, run) for key, of in parts}


def _named(type_name: str) -> Of:
    return lambda record, run: type_name


def _attribute(name: str) -> Maker:
    return lambda b, asked: lambda record, run: getattr(record, name)


def _text(name: str) -> Maker:
    def make(b: Builder, asked: Asked) -> Of:
        lang = asked.argument("lang")
        return lambda record, run: pick(
            record.texts.get(name), run.preferred(lang.of(run.binding.variables))
        )

    return make


def _step_badge(b: Builder, asked: Asked) -> Of:
    badge = b.variable("b")
    projection, shape = visible_badge(b, badge, asked.selections)
    key = b.key()
    b.found_entries.append(
        (key, f"COLLECT {{ MATCH (p)-[:STEP]->({badge}:Badge) RETURN [{badge}.id, {projection}] }}")
    )
    return lambda step, run: shape(run.found[key].get(step.badge_id), run)


def _steps(name: str) -> Maker:
    def make(b: Builder, asked: Asked) -> Of:
        one = _select(b, "PathStep", asked.selections, STEP)
        return lambda record, run: [one(step, run) for step in getattr(record, name)]

    return make


STEP: dict[str, Maker] = {
    "key": _attribute("key"),
    "required": _attribute("required"),
    "group": _attribute("group"),
    "prerequisites": _attribute("prerequisites"),
    "badge": _step_badge,
}
PROGRESS: dict[str, Maker] = {
    "percent": _attribute("percent"),
    "finished": _attribute("finished"),
    "completedSteps": _steps("done"),
    "nextSteps": _steps("next"),
}


def _progress(b: Builder, asked: Asked) -> Of:
    one = _select(b, "PathProgress", asked.selections, PROGRESS)

    def of(record: Any, run: Run) -> Any:
        if run.viewer.id is None:
            return None
        return one(progress(record, run.viewer.id, set(run.found["held"])), run)

    return of


PATH: dict[str, Maker] = {
    "id": lambda b, asked: lambda record, run: to_global("Path", record.id),
    "title": _text("title"),
    "description": _text("description"),
    "visibility": _attribute("visibility"),
    "steps": _steps("steps"),
    "followerCount": _attribute("follower_count"),
    "viewerFollows": _attribute("viewer_follows"),
    "viewerProgress": _progress,
}
HELD = (
    "CASE WHEN $readerId IS NULL THEN [] ELSE "
    "[(:User {id: $readerId})-[:EARNED]->(a:Award)-[:OF]->(hb:Badge) "
    f"WHERE EXISTS {{ (p)-[:STEP]->(hb) }} AND {VALID_AWARD} | hb.id] END"
)


def _projection(b: Builder, asked: Asked) -> str:
    """What `to_path` reads, less the counts the selection does not show."""
    path_type = b.schema.get_type("Path")
    names = {f.name for f in fields_of(path_type, asked.selections, b.fragments)}  # type: ignore[arg-type]
    return path_projection("followerCount" in names, "viewerFollows" in names)


def _path(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
    key, path_id = b.key(), b.param("path")
    given = asked.argument("id")
    b.bind(lambda binding: {path_id: local_id(str(given.of(binding.variables)), "Path")})
    b.found_entries = []
    shape_path = _select(b, "Path", asked.selections, PATH)
    entries = [("path", _projection(b, asked)), ("held", HELD), *b.found_entries]
    read = ", ".join(f"{name}: {expression}" for name, expression in entries)
    expression = (
        f"COLLECT {{ MATCH (p:Path {{id: ${path_id}}})-[:OWNED_BY]->(o:Organization) "
        f"RETURN {{{read}}} }}[0]"
    )
    found_keys = [name for name, _ in entries[2:]]

    def shape(found: Mapping[str, Any], run: Run) -> Any:
        value = found[key]
        if value is None:
            return None
        record = to_path(value["path"])
        if not can_see_path(run.viewer, record):
            return None
        run.found["held"] = value["held"]
        for name in found_keys:
            run.found[name] = dict(value[name])
        return shape_path(record, run)

    return [(key, expression)], shape


RULES: dict[str, dict[str, Rule]] = {"Query": {"path": _path}}
