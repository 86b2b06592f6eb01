"""Polish texts of the messages about houses within a class and quests (challenges that
unlock others), issue 15."""

HOUSES = {
    "No such house.": "Nie ma takiego domu.",
    "The team has a house of this name already.": "Zespół ma już dom o tej nazwie.",
}

QUESTS = {
    "A challenge cannot require itself.": "Wyzwanie nie może wymagać samego siebie.",
    "No such challenge in this team.": "Nie ma takiego wyzwania w tym zespole.",
    "No such published badge.": "Nie ma takiej opublikowanej odznaki.",
    "No such step in this path.": "Ta ścieżka nie ma takiego kroku.",
    "Name the path of the step too.": "Podaj też ścieżkę, do której należy krok.",
    "Name a badge or a path step, not both.": "Podaj odznakę albo krok ścieżki, nie oba.",
    "The challenges would unlock each other in a circle.": (
        "Wyzwania odblokowywałyby się nawzajem w kółko."
    ),
}

MESSAGES = {**HOUSES, **QUESTS}
