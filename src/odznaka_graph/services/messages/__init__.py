"""The services' own messages (domain errors, ClientErrors, our validators' ValueErrors)
in the caller's language. The raising code writes English; the catalogues (pl_*.py) map
each English text to its translation, in the house voice of input_messages.py. A message
built with an f-string is a template there ("At most {limit} characters."): the text is
matched against it once (its literal pieces in order, no regular expressions) and the
values found are put into the translation, themselves translated when a catalogue or the
phrase list knows them. English is the default: a text no catalogue knows stays as it is.

tests/test_service_messages_scan.py finds every message in the source and fails on one
without a Polish text."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from string import Formatter

from odznaka_graph.i18n import CALLER_LANGUAGES
from odznaka_graph.services.messages import (
    pl_arguments,
    pl_events,
    pl_people,
    pl_phrases,
    pl_quests,
    pl_reports,
    pl_session8,
    pl_uploads,
    pl_work,
)


@dataclass(frozen=True)
class Template:
    """An English message with named placeholders, split into its literal pieces (one
    more than its placeholders)."""

    english: str
    pieces: tuple[str, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, english: str) -> "Template":
        pieces, names = [""], []
        for literal, name, _, _ in Formatter().parse(english):
            pieces[-1] += literal
            if name is not None:
                names.append(name)
                pieces.append("")
        return cls(english, tuple(pieces), tuple(names))

    def values(self, text: str) -> dict[str, str] | None:
        """The placeholders' values if `text` is this template filled in, else None."""
        first, last = self.pieces[0], self.pieces[-1]
        if not self.names:
            return {} if text == first else None
        end = len(text) - len(last)
        if end < len(first) or not text.startswith(first) or not text.endswith(last):
            return None
        at, found = len(first), dict[str, str]()
        for name, piece in zip(self.names, (*self.pieces[1:-1], None), strict=True):
            stop = end if piece is None else text.find(piece, at, end)
            if stop < 0 or found.setdefault(name, text[at:stop]) != text[at:stop]:
                return None
            at = stop + len(piece or "")
        return found


class Catalogue:
    """One language's messages: exact texts first, then templates (the most specific, with
    the longest literal text, first)."""

    def __init__(self, messages: Mapping[str, str], phrases: Mapping[str, str]) -> None:
        self.exact = {k: v for k, v in messages.items() if not Template.of(k).names}
        self.phrases = phrases
        self.templates = sorted(
            (Template.of(k) for k in messages if k not in self.exact),
            key=lambda t: -sum(map(len, t.pieces)),
        )
        self.messages = messages

    def translate(self, text: str, depth: int = 0) -> str:
        """`text` translated; a value put into a template is translated too (an error's
        own message in "Could not fetch the badge: {error}"), one level deep."""
        if text in self.exact:
            return self.exact[text]
        if text in self.phrases:
            return self.phrases[text]
        if depth > 1:
            return text
        for template in self.templates:
            values = template.values(text)
            if values is not None:
                filled = {k: self.translate(v, depth + 1) for k, v in values.items()}
                return self.messages[template.english].format_map(filled)
        return text


CATALOGUES: Mapping[str, Catalogue] = {
    "pl": Catalogue(
        {
            **pl_arguments.MESSAGES,
            **pl_people.MESSAGES,
            **pl_work.MESSAGES,
            **pl_session8.MESSAGES,
            **pl_uploads.MESSAGES,
            **pl_events.MESSAGES,
            **pl_quests.MESSAGES,
            **pl_reports.MESSAGES,
        },
        {**pl_phrases.PHRASES, **pl_session8.PHRASES},
    ),
}


def language(languages: Iterable[str]) -> str:
    """The first of the caller's languages that messages are written in; English else."""
    return next((lang for lang in languages if lang == "en" or lang in CATALOGUES), "en")


def translate(text: str, languages: Iterable[str] | None = None) -> str:
    """`text` in the best of `languages` (by default the caller's, CALLER_LANGUAGES)."""
    chosen = language(CALLER_LANGUAGES.get() if languages is None else languages)
    return text if chosen == "en" else CATALOGUES[chosen].translate(text)


def translate_fields(
    fields: Mapping[str, str], languages: Iterable[str] | None = None
) -> dict[str, str]:
    return {field: translate(message, languages) for field, message in fields.items()}
