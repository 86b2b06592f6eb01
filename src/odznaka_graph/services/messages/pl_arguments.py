"""Polish texts of the messages about arguments, filters, pages, ids, limits and live
streams (schema/, resolvers/, execution limits)."""

MESSAGES = {
    "The input is not valid.": "Niektóre pola są nieprawidłowe.",
    "Sign in first.": "Najpierw się zaloguj.",
    "Not the id of a {type_name}.": "To nie jest identyfikator typu {type_name}.",
    "Ask for `first` or `last`, not both.": "Podaj `first` albo `last`, nie oba naraz.",
    "Give `after` or `before`, not both.": "Podaj `after` albo `before`, nie oba naraz.",
    "`first` and `last` must be between 0 and {limit}.": (
        "`first` i `last` muszą wynosić od 0 do {limit}."
    ),
    "`preview` must be between 0 and {limit}.": "`preview` musi wynosić od 0 do {limit}.",
    "Ask for at most 100 ids at once.": "Podaj najwyżej 100 identyfikatorów naraz.",
    "Give either `awardId` or `document`.": "Podaj `awardId` albo `document`.",
    "`{argument}` is not the id of a {type_name}.": (
        "`{argument}` nie jest identyfikatorem typu {type_name}."
    ),
    "`filter.{field}` is not the id of a {type_name}.": (
        "`filter.{field}` nie jest identyfikatorem typu {type_name}."
    ),
    "`filter.{field}` is not an id of type {type_name}.": (
        "`filter.{field}` nie jest identyfikatorem typu {type_name}."
    ),
    "`filter.{field}` must be a level from 1 to 8.": (
        "`filter.{field}` musi być poziomem od 1 do 8."
    ),
    "`filter.workload.min` is larger than `max`.": (
        "`filter.workload.min` jest większe niż `max`."
    ),
    "`filter.text` has at most {limit} characters.": (
        "`filter.text` może mieć najwyżej {limit} znaków."
    ),
    "`filter.window` times need a time zone, e.g. 2027-01-01T00:00Z.": (
        "Czasy w `filter.window` muszą mieć strefę czasową, np. 2027-01-01T00:00Z."
    ),
    "`filter.window.to` must be after `filter.window.from`.": (
        "`filter.window.to` musi przypadać po `filter.window.from`."
    ),
    "`filter.{name}` needs a latitude in [-90, 90] and a longitude in [-180, 180].": (
        "`filter.{name}` wymaga szerokości geograficznej w [-90, 90] "
        "i długości geograficznej w [-180, 180]."
    ),
    "`filter.area.south` must not be north of `filter.area.north`.": (
        "`filter.area.south` nie może leżeć na północ od `filter.area.north`."
    ),
    "`filter.near.radiusKm` must be above 0 and at most {limit}.": (
        "`filter.near.radiusKm` musi być większe od 0 i wynosić najwyżej {limit}."
    ),
    "`filter.hostId` is not the id of an event host.": (
        "`filter.hostId` nie jest identyfikatorem organizatora wydarzeń."
    ),
    "`filter.skillId` is not the id of a Skill.": (
        "`filter.skillId` nie jest identyfikatorem typu Skill."
    ),
    "Sorting by DISTANCE needs `filter.near`.": "Sortowanie według DISTANCE wymaga `filter.near`.",
    "A latitude in [-90, 90] and a longitude in [-180, 180].": (
        "Podaj szerokość geograficzną w [-90, 90] i długość geograficzną w [-180, 180]."
    ),
    "Ask for 1 to {limit}.": "Podaj liczbę od 1 do {limit}.",
    "At most {limit} skills.": "Najwyżej {limit} umiejętności.",
    "More than 0 and at most {limit} km.": "Więcej niż 0 i najwyżej {limit} km.",
    "`{field}`: {message}": "`{field}`: {message}",
    "`{where}` has {count} items; at most {limit} are allowed.": (
        "`{where}` ma {count} pozycji; dozwolone jest najwyżej {limit}."
    ),
    "The operation took longer than {seconds} s and was stopped.": (
        "Operacja trwała dłużej niż {seconds} s i została przerwana."
    ),
    "Send your access token in connection_init first.": (
        "Najpierw wyślij token dostępu w connection_init."
    ),
    "You are no longer a member: this stream has ended.": (
        "Nie jesteś już członkiem. Ten strumień został zakończony."
    ),
    "You fell behind the live updates; subscribe again.": (
        "Zbyt wolno odbierasz aktualizacje na żywo. Zasubskrybuj ponownie."
    ),
    (
        "Live updates were interrupted; subscribe again with `since` (the sequence of the "
        "last item you received) to catch up."
    ): (
        "Aktualizacje na żywo zostały przerwane. Zasubskrybuj ponownie z `since` (numerem "
        "sequence ostatniego otrzymanego elementu), aby nadrobić zaległości."
    ),
}
