"""Language rules for matching what people type: folding of diacritics, stop words and a
light Polish stemmer.

"zarządzania" and "Zarządzanie" both stem to `zarzadzani`, which also forgives missing
diacritics. Store adapters turn these words into their own query syntax.
"""

import re
import unicodedata

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
_STOP = frozenset(
    "a i o u w z we ze na do od po za dla oraz lub czy jak the and of in on to for with".split()
)


def fold(text: str) -> str:
    """Lower case without diacritics (ł → l too)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """The words worth searching for: lower case, stop words dropped, at most 12."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP][:12]


def polish_stem(word: str) -> str:
    for ending in _POLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word
