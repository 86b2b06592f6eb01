"""Multilingual text as one node property per language (`name_pl`, `name_en`, ...)."""

from collections.abc import Iterable, Mapping
from typing import Any

from odznaka_graph.i18n import LANGUAGES


def flatten(texts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Properties for SET +=; a missing language becomes null, which removes it."""
    return {
        f"{field}_{lang}": values.get(lang) or None
        for field, values in texts.items()
        for lang in LANGUAGES
    }


def unflatten(props: Mapping[str, Any], fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    return {
        field: {
            lang: props[f"{field}_{lang}"] for lang in LANGUAGES if props.get(f"{field}_{lang}")
        }
        for field in fields
    }
