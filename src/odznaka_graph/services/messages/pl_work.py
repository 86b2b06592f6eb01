"""Polish texts of the messages about badges, awards, credentials, imports, events,
organisations, paths, challenges, notifications and wallets."""

BADGES = {
    "No such badge.": "Nie ma takiej odznaki.",
    "No such skill.": "Nie ma takiej umiejętności.",
    "A {status} badge cannot be submitted.": (
        "Odznaki w stanie „{status}” nie można zgłosić do weryfikacji."
    ),
    "A {status} badge cannot be edited.": "Odznaki w stanie „{status}” nie można edytować.",
    "Accept the issuer agreement before submitting badges.": (
        "Zanim zgłosisz odznaki, zaakceptuj umowę wystawcy."
    ),
    "A reviewer must verify the organisation before it submits badges.": (
        "Zanim organizacja zgłosi odznaki, musi ją zweryfikować recenzent."
    ),
    "A badge needs an image.": "Odznaka musi mieć obraz.",
    "Describe at least one learning outcome.": "Opisz co najmniej jeden efekt uczenia się.",
    "Each outcome needs check criteria.": (
        "Każdy efekt uczenia się musi mieć kryteria weryfikacji."
    ),
    "Give the workload in hours.": "Podaj nakład pracy w godzinach.",
    "Required by the microcredential standard.": "Wymagane przez standard mikropoświadczeń.",
    "Say how identity is verified.": "Podaj, jak jest weryfikowana tożsamość.",
    "Say whether it is online, on site or hybrid.": (
        "Podaj, czy forma jest zdalna, stacjonarna czy hybrydowa."
    ),
    "The badge does not meet the standard yet.": ("Odznaka nie spełnia jeszcze wymagań standardu."),
    "Say why the badge is rejected.": "Napisz, dlaczego odrzucasz odznakę.",
    "Only a submitted badge can be reviewed.": (
        "Zweryfikować można tylko odznakę zgłoszoną do weryfikacji."
    ),
    "The issuer must be verified before its badges are published.": (
        "Odznaki wystawcy można opublikować dopiero po jego weryfikacji."
    ),
    "Wait for the review before archiving this badge.": (
        "Zanim zarchiwizujesz tę odznakę, poczekaj na wynik weryfikacji."
    ),
    "Name the skill or pick an existing one.": "Nazwij umiejętność albo wybierz istniejącą.",
    "Give the badge a name in at least one language.": (
        "Podaj nazwę odznaki w co najmniej jednym języku."
    ),
    "Someone changed this badge meanwhile; reload and try again.": (
        "Ktoś w międzyczasie zmienił tę odznakę. Wczytaj ją ponownie i spróbuj jeszcze raz."
    ),
    "unsupported language(s): {languages}": "Nieobsługiwane języki: {languages}.",
    "a paid badge needs an amount and a currency": "Płatna odznaka wymaga kwoty i waluty.",
}

AWARDS = {
    "No such recipient.": "Nie ma takiego odbiorcy.",
    "No such award.": "Nie ma takiej przyznanej odznaki.",
    "A peer award is revoked with revokePeerAward.": (
        "Odznakę koleżeńską unieważnia się przez revokePeerAward."
    ),
    "This award was revoked already.": "Ta odznaka została już unieważniona.",
    "This idempotency key was used for a different award.": (
        "Ten klucz idempotencji został już użyty dla innej odznaki."
    ),
    "A peer badge is awarded by nomination and vouches in its club.": (
        "Odznakę koleżeńską przyznaje się przez nominację i poparcia w jej klubie."
    ),
    "Only a published badge can be awarded.": "Przyznać można tylko opublikowaną odznakę.",
    "Give either a recipient id or an e-mail.": ("Podaj identyfikator odbiorcy albo adres e-mail."),
    "The recipient already holds this badge.": "Odbiorca ma już tę odznakę.",
    "Nobody awards a badge to themselves.": "Nie można przyznać odznaki samemu sobie.",
    "Only the award's holder can send it to a wallet.": (
        "Tylko posiadacz odznaki może wysłać ją do portfela."
    ),
    "The award was revoked.": "Odznaka została unieważniona.",
    "The award has expired.": "Odznaka wygasła.",
}

CREDENTIALS = {
    "No such credential.": "Nie ma takiego poświadczenia.",
    "No such imported credential.": "Nie ma takiego zaimportowanego poświadczenia.",
    "Not one of your credentials.": "To nie jest twoje poświadczenie.",
    "Only valid credentials can be featured; this one is {status}.": (
        "Wyróżnić można tylko ważne poświadczenia, a to jest {status}."
    ),
    "Give the visibility of at least one section.": ("Podaj widoczność co najmniej jednej sekcji."),
    "Nobody endorses their own credential.": "Nie można rekomendować własnego poświadczenia.",
    "A revoked credential cannot be endorsed.": (
        "Unieważnionego poświadczenia nie można rekomendować."
    ),
    "An expired credential cannot be endorsed.": "Wygasłego poświadczenia nie można rekomendować.",
    "This credential has not been claimed by its recipient yet.": (
        "Odbiorca nie odebrał jeszcze tego poświadczenia."
    ),
    "This credential is still being recorded; try again shortly.": (
        "To poświadczenie jest jeszcze zapisywane. Spróbuj za chwilę."
    ),
    "Each credential can be featured once.": "Każde poświadczenie można wyróżnić tylko raz.",
    "This credential was revoked; it is not exported any more.": (
        "To poświadczenie zostało unieważnione i nie jest już eksportowane."
    ),
    "This credential's issuer is still being recorded; try again shortly.": (
        "Wystawca tego poświadczenia jest jeszcze zapisywany. Spróbuj za chwilę."
    ),
}

IMPORTS = {
    "Could not fetch the badge: {error}": "Nie udało się pobrać odznaki: {error}",
    "The badge at {url} is {problem} (HTTP {status}).": (
        "Odznaka pod adresem {url}: {problem} (HTTP {status})."
    ),
    "Its {what} is neither embedded nor a URL.": (
        "Część „{what}” nie jest ani osadzona, ani adresem URL."
    ),
    "Its {what} could not be fetched: {error}": "Nie udało się pobrać części „{what}”: {error}",
    "Its {what} at {url} answered HTTP {status}.": (
        "Część „{what}” pod adresem {url} odpowiedziała HTTP {status}."
    ),
    "The assertion lacks {properties}.": "W asercji brakuje: {properties}.",
    "This is not valid JSON ({error}).": "To nie jest poprawny JSON ({error}).",
    "The JSON must be an object.": "JSON musi być obiektem.",
    "The JWS payload is not base64url.": "Treść JWS nie jest zakodowana w base64url.",
    "This is not an Open Badges 2.0 assertion or an Open Badges 3.0 credential.": (
        "To nie jest asercja Open Badges 2.0 ani poświadczenie Open Badges 3.0."
    ),
    "Give either a document or a baked image (not both).": (
        "Podaj dokument albo obraz z zapisaną odznaką (nie oba naraz)."
    ),
    "The document is too long.": "Dokument jest za długi.",
    "The image is larger than {limit} bytes.": "Obraz jest większy niż {limit} bajtów.",
    "This is not a PNG or SVG image.": "To nie jest obraz PNG ani SVG.",
    "This is not valid base64.": "To nie jest poprawny base64.",
    "Nothing to import: the text is empty.": "Nie ma czego importować: tekst jest pusty.",
    "Expected an Open Badges document (JSON), a compact JWS or an assertion URL.": (
        "Podaj dokument Open Badges (JSON), zwarty JWS albo adres URL asercji."
    ),
    "The PNG image carries no Open Badges data (no `openbadges` chunk).": (
        "Obraz PNG nie zawiera danych Open Badges (brak fragmentu `openbadges`)."
    ),
    "The SVG image carries no Open Badges data (no openbadges:assertion).": (
        "Obraz SVG nie zawiera danych Open Badges (brak openbadges:assertion)."
    ),
    "The `openbadges` chunk in the PNG is malformed.": (
        "Fragment `openbadges` w obrazie PNG jest uszkodzony."
    ),
    "The badge data in the PNG is too large.": "Dane odznaki w obrazie PNG są za duże.",
    # why a linked document was not fetched (outbound.py), put into the messages above
    "The host {host} could not be resolved.": "Nie udało się odnaleźć hosta {host}.",
    "Unix sockets are not fetched.": "Gniazda Unix nie są pobierane.",
    "http://{host} is not an https:// address.": "http://{host} to nie jest adres https://.",
    "{url} is not an https:// address.": "{url} to nie jest adres https://.",
    "{url} answered with more than {limit} bytes.": (
        "Odpowiedź z {url} ma więcej niż {limit} bajtów."
    ),
    "{url} could not be fetched ({kind}).": "Nie udało się pobrać {url} ({kind}).",
    "{host} points to a private or local address.": (
        "{host} wskazuje na adres prywatny lub lokalny."
    ),
}

EVENTS = {
    "No such event.": "Nie ma takiego wydarzenia.",
    "The event has ended.": "Wydarzenie już się zakończyło.",
    "The event is full.": "Na wydarzeniu nie ma już wolnych miejsc.",
    "Your attendance was confirmed already and stays on record.": (
        "Twoja obecność została już potwierdzona i pozostaje w rejestrze."
    ),
    "Attendance can be confirmed once the event has started.": (
        "Obecność można potwierdzić dopiero po rozpoczęciu wydarzenia."
    ),
    "A title has at most {limit} characters.": "Tytuł może mieć najwyżej {limit} znaków.",
    "Give an online link, a place, or both.": "Podaj link do spotkania online, miejsce albo oba.",
    "Give the event a title in at least one language.": (
        "Podaj tytuł wydarzenia w co najmniej jednym języku."
    ),
    "The event must end after it starts.": "Wydarzenie musi się kończyć po rozpoczęciu.",
    "Not a badge of the hosting organisation.": (
        "To nie jest odznaka organizacji, która prowadzi wydarzenie."
    ),
}

ORGANISATIONS = {
    "No such organisation.": "Nie ma takiej organizacji.",
    "The organisation has not accepted the issuer agreement yet.": (
        "Organizacja nie zaakceptowała jeszcze umowy wystawcy."
    ),
    "Give the organisation a name.": "Podaj nazwę organizacji.",
    "The organisation is still being set up; try again shortly.": (
        "Organizacja jest jeszcze przygotowywana. Spróbuj za chwilę."
    ),
}

LEARNING = {
    "No such path.": "Nie ma takiej ścieżki.",
    "No such published badge.": "Nie ma takiej opublikowanej odznaki.",
    "No such challenge.": "Nie ma takiego wyzwania.",
    "Not a badge of the path's organisation.": (
        "To nie jest odznaka organizacji, do której należy ścieżka."
    ),
    "The path's creator may not award this badge.": (
        "Twórca ścieżki nie może przyznawać tej odznaki."
    ),
    "The completion badge cannot also be a step.": (
        "Odznaka za ukończenie nie może być zarazem krokiem."
    ),
    "Give an organisation or a team.": "Podaj organizację albo zespół.",
    "This idempotency key was used for a different challenge.": (
        "Ten klucz idempotencji został już użyty dla innego wyzwania."
    ),
    "Give the number of points.": "Podaj liczbę punktów.",
    "Name 1 to 20 badges to earn.": "Wskaż od 1 do 20 odznak do zdobycia.",
    "Name the path to finish.": "Wskaż ścieżkę do ukończenia.",
    "A challenge lasts at most a year.": "Wyzwanie trwa najwyżej rok.",
    "Give dates with a time zone.": "Podaj daty ze strefą czasową.",
    "The deadline has passed already.": "Termin już minął.",
    "The deadline must come after the start.": "Termin musi przypadać po rozpoczęciu.",
}

INBOX = {
    "Always sent, cannot be turned off: {kinds}.": (
        "Te wiadomości są wysyłane zawsze i nie można ich wyłączyć: {kinds}."
    ),
    "Name the notifications, or set all: true.": "Wskaż powiadomienia albo ustaw all: true.",
    "No such notification.": "Nie ma takiego powiadomienia.",
}

MESSAGES = {
    **BADGES,
    **AWARDS,
    **CREDENTIALS,
    **IMPORTS,
    **EVENTS,
    **ORGANISATIONS,
    **LEARNING,
    **INBOX,
}
