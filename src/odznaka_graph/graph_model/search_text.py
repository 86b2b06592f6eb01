"""Turning what a person types into full-text queries for Polish and English indexes.

Neo4j ships no Polish analyzer, so Polish text is indexed with ASCII folding and the query
side does a light suffix stripping: "zarządzania" and "Zarządzanie" both become
`zarzadzani*`, which also forgives missing diacritics.
"""

import re
import unicodedata

_LUCENE_SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')
_WORD = re.compile(r"\w+", re.UNICODE)
# Longest first; a stem keeps at least four letters.
_POLISH_ENDINGS = sorted(
    (
        "ami ach ów om owi owie em iem ego emu ej ich imi ych ymi ia ie ią ię "
        "ania enia anie enie aniu eniu ań eń ość ości ski ska skie "
        "a e i o u y ą ę"
    ).split(),
    key=len,
    reverse=True,
)
_EXTRA_FOLDS = str.maketrans({"ł": "l", "Ł": "L"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


_STOP = frozenset(
    "a i o u w z we ze na do od po za dla oraz lub czy jak the and of in on to for with".split()
)


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP][:12]


def polish_stem(word: str) -> str:
    for ending in _POLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _escape(term: str) -> str:
    return _LUCENE_SPECIAL.sub(lambda m: "\\" + m.group(0), term)


def folded_query(text: str) -> str | None:
    """For the folded (Polish and other languages) index: every word, as typed or stemmed."""
    terms = [_folded_term(w) for w in words(text)]
    return " AND ".join(terms) or None


def _folded_term(word: str) -> str:
    exact = _escape(fold(word))
    if len(word) < 3:
        return exact  # a prefix of one or two letters matches nearly everything
    return f"({exact} OR {_escape(fold(polish_stem(word)))}*)"


def english_query(text: str) -> str | None:
    """For the English index, whose analyzer stems the words itself; the last word may be
    unfinished, as in a search box."""
    found = words(text)
    if not found:
        return None
    *complete, last = (_escape(w) for w in found)
    tail = f"({last} OR {last}*)" if len(last) >= 3 else last
    return " AND ".join([*complete, tail])
