"""Messages for input that fails validation, in the house voice and the caller's language
(Polish or English): pydantic's own texts never reach a client. A check of ours (a
validator raising ValueError) already speaks in the house voice and keeps its text."""

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic_core import ErrorDetails

from odznaka_graph.i18n import pick

# pydantic error type -> message per language; {name}s come from the error's context.
MESSAGES: Mapping[str, Mapping[str, str]] = {
    "missing": {"en": "This is required.", "pl": "To pole jest wymagane."},
    "string_too_short": {
        "en": "At least {min_length} characters.",
        "pl": "Co najmniej {min_length} znaków.",
    },
    "string_too_long": {
        "en": "At most {max_length} characters.",
        "pl": "Najwyżej {max_length} znaków.",
    },
    "too_short": {"en": "At least {min_length} items.", "pl": "Co najmniej {min_length} pozycji."},
    "too_long": {"en": "At most {max_length} items.", "pl": "Najwyżej {max_length} pozycji."},
    "greater_than": {"en": "Must be more than {gt}.", "pl": "Musi być większe niż {gt}."},
    "greater_than_equal": {"en": "Must be at least {ge}.", "pl": "Musi wynosić co najmniej {ge}."},
    "less_than": {"en": "Must be less than {lt}.", "pl": "Musi być mniejsze niż {lt}."},
    "less_than_equal": {"en": "Must be at most {le}.", "pl": "Musi wynosić najwyżej {le}."},
    "string_pattern_mismatch": {
        "en": "This format is not accepted.",
        "pl": "Ten format nie jest przyjmowany.",
    },
    "url_parsing": {"en": "Not a web address.", "pl": "To nie jest adres internetowy."},
    "url_scheme": {
        "en": "Use an http:// or https:// address.",
        "pl": "Podaj adres http:// lub https://.",
    },
    "literal_error": {
        "en": "Not one of the accepted values.",
        "pl": "To nie jest żadna z dozwolonych wartości.",
    },
    "enum": {
        "en": "Not one of the accepted values.",
        "pl": "To nie jest żadna z dozwolonych wartości.",
    },
    "date_from_datetime_parsing": {"en": "Not a date.", "pl": "To nie jest data."},
    "datetime_from_date_parsing": {
        "en": "Not a date and time.",
        "pl": "To nie jest data z godziną.",
    },
}
NOT_VALID = {"en": "This value is not valid.", "pl": "Ta wartość jest nieprawidłowa."}
NOT_AN_EMAIL = {"en": "Not an e-mail address.", "pl": "To nie jest adres e-mail."}
OURS = "Value error, "  # pydantic's prefix to a validator's own message


def message(error: ErrorDetails, languages: Iterable[str]) -> str:
    """The house message for one pydantic error, in the best of `languages` (English when
    the caller named none, like the services' own messages)."""
    if error["type"] == "value_error":
        text = error["msg"].removeprefix(OURS)
        if not text.startswith("value is not a valid email address"):
            return text
        texts: Mapping[str, str] = NOT_AN_EMAIL
    else:
        texts = MESSAGES.get(error["type"], NOT_VALID)
    chosen = pick(texts, [*languages, "en"]) or texts["en"]
    return chosen.format(**_context(error.get("ctx")))


def _context(ctx: Any) -> dict[str, Any]:
    return dict(ctx) if isinstance(ctx, dict) else {}
