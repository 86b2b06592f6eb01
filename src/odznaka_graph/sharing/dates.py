"""Dates as people read them, in Polish or English."""

from datetime import datetime

MONTHS = {
    "pl": (
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września "
        "października listopada grudnia"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}


def long_date(at: datetime | None, lang: str) -> str:
    if at is None:
        return ""
    month = MONTHS.get(lang, MONTHS["en"])[at.month - 1]
    return f"{at.day} {month} {at.year}"
