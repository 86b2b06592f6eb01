"""Rules for plain fields: a property, a global id, a time, a text in the reader's
language, a connection (a page of a list with its total) — each reads only its own value."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from odznaka_graph.graph_model.driver import generated, micros, native
from odznaka_graph.i18n import DEFAULT_LANGUAGE, LANGUAGES
from odznaka_graph.ids import to_global
from odznaka_graph.planner.plan import Binding, Builder, Entries, Rule, Run, Shaper
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


def fast_micros(value: str) -> str:
    """`micros` of a property, computed once: after 1970 from its epoch seconds and
    microsecond (cheap), before it (where epochSeconds rounds towards zero) as `micros`."""
    exact = micros(generated(value))
    return (
        f"CASE WHEN {value} >= $epoch "
        f"THEN {value}.epochSeconds * 1000000 + {value}.microsecond ELSE {exact} END"
    )


def time(name: str) -> Rule:
    """A datetime property, read as microseconds (cheap to decode), answered in ISO 8601."""

    def rule(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
        key = b.key()

        def shape(found: Mapping[str, Any], run: Run) -> Any:
            value = found[key]
            return None if value is None else iso(value)

        return [(key, fast_micros(f"{var}.{name}"))], shape

    return rule


def localized(name: str, required: bool = False) -> Rule:
    """A text in the best language, chosen in the query (one string comes back): the
    asked `lang`, the client's languages, then `pick`'s fallbacks in its order; a
    `required` one (a name) is never null."""

    def rule(b: Builder, var: str, asked: Asked) -> tuple[Entries, Shaper]:
        key, order = b.key(), b.param("languages")
        lang = asked.argument("lang")

        def bind(binding: Binding) -> dict[str, Any]:
            asked_lang = lang.of(binding.variables)
            first = [str(getattr(asked_lang, "value", asked_lang)).lower()] if asked_lang else []
            chosen = [*first, *binding.languages, DEFAULT_LANGUAGE, "en", *LANGUAGES]
            return {order: list(dict.fromkeys(chosen))}

        b.bind(bind)
        text = f"{var}['{name}_' + lang]"
        expression = f"head([lang IN ${order} WHERE coalesce({text}, '') <> '' | {text}])"
        if required:
            expression = f"coalesce({expression}, '')"
        return [(key, expression)], lambda found, run: found[key]

    return rule
