"""Rules for plain fields: a property, a global id, a time, a text in the reader's
language, a connection (a page of a list with its total) — each reads only its own value."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from odznaka_graph.graph_model.driver import generated, micros, native
from odznaka_graph.i18n import LANGUAGES, pick
from odznaka_graph.ids import to_global
from odznaka_graph.planner.plan import Builder, Entries, Rule, Run, Shaper
from odznaka_graph.planner.selection import Asked


def prop(expression: str, convert: Callable[[Any], Any] | None = None) -> Rule:
    """`expression` over `{v}`, the object's variable; `convert` applies to non-null values."""

    def rule(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
        key = b.key()
        entries = [(key, expression.format(v=var))]
        if convert is None:
            return entries, lambda found, run: found[key]
        change = convert

        def shape(found: Mapping[str, Any], run: Run) -> Any:
            value = found[key]
            return None if value is None else change(value)

        return entries, shape

    return rule


def global_id(type_name: str) -> Rule:
    return prop("{v}.id", lambda value: to_global(type_name, value))


def iso(value: Any) -> str:
    found: datetime = native(value)
    return found.isoformat()


def time(name: str) -> Rule:
    """A datetime property, read as microseconds (cheap to decode), answered in ISO 8601."""

    def rule(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
        key = b.key()

        def shape(found: Mapping[str, Any], run: Run) -> Any:
            value = found[key]
            return None if value is None else iso(value)

        return [(key, micros(generated(f"{var}.{name}")))], shape

    return rule


def localized(name: str) -> Rule:
    """A text in the best language: the asked `lang`, the client's, then the fallbacks."""

    def rule(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
        key = b.key()
        values = ", ".join(f"{var}.{name}_{lang}" for lang in LANGUAGES)
        lang = asked.argument("lang")

        def shape(found: Mapping[str, Any], run: Run) -> Any:
            texts = {code: text for code, text in zip(LANGUAGES, found[key], strict=True) if text}
            return pick(texts, run.preferred(lang.of(run.binding.variables)))

        return [(key, f"[{values}]")], shape

    return rule
