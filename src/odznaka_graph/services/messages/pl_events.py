"""Polish texts of the messages about events hosted by teams and clubs, check-in
geofences and age bands given at registration (issue 15)."""

MESSAGES = {
    "Give an age band or a birth year (not in the future), not both.": (
        "Podaj przedział wieku albo rok urodzenia (nie z przyszłości), nie oba."
    ),
    "A check-in geofence needs the event's place.": (
        "Strefa zameldowania wymaga miejsca wydarzenia."
    ),
    "Send your position: this event takes check-ins only at its place.": (
        "Wyślij swoje położenie: na to wydarzenie można się zameldować tylko na miejscu."
    ),
    "You are too far from the event's place to check in.": (
        "Jesteś za daleko od miejsca wydarzenia, żeby się zameldować."
    ),
}
