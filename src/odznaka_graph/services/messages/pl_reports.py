"""Polish texts of the messages about reports and moderation (issue 15)."""

MESSAGES = {
    "Nothing to report there, or nothing you may see.": (
        "Nie ma tu czego zgłosić albo nie możesz tego zobaczyć."
    ),
    "No such report, or not one you moderate.": (
        "Nie ma takiego zgłoszenia albo nie moderujesz go."
    ),
    "The report was decided already.": "To zgłoszenie zostało już rozpatrzone.",
    "Only an open club report goes up to the platform moderators.": (
        "Do moderatorów platformy można przekazać tylko otwarte zgłoszenie klubu."
    ),
    "Too many reports in a short time.": "Za dużo zgłoszeń w krótkim czasie.",
    "Not the id of a club, badge, user or award.": (
        "To nie jest identyfikator klubu, odznaki, użytkownika ani przyznania."
    ),
}
