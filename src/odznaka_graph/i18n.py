"""Multilingual text: stored per language, read with the best match and a fallback."""

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import LiteralString

LANGUAGES: tuple[LiteralString, ...] = ("pl", "en", "uk", "de")
DEFAULT_LANGUAGE = "pl"

Texts = Mapping[str, str]
# The languages of the request being served (its Accept-Language), best first; set where
# the request's context is made, read where a message for it is written (input_messages).
CALLER_LANGUAGES: ContextVar[tuple[str, ...]] = ContextVar("caller_languages", default=())


def parse_accept_language(header: str | None) -> list[str]:
    """Languages from an Accept-Language header, best first, reduced to ours."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = _quality(params)
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGUAGES and weight > 0:
            weighted.append((-weight, position, lang))
    return list(dict.fromkeys(lang for _, _, lang in sorted(weighted)))


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0


def pick(texts: Texts | None, preferred: Iterable[str]) -> str | None:
    """The text in the first preferred language present, else Polish, English, any."""
    if not texts:
        return None
    for lang in (*preferred, DEFAULT_LANGUAGE, "en"):
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), None)
