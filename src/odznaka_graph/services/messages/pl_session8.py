"""Polish texts of the messages about wallet presentations (sign-in, door checks), points
given by hand, changed challenges, archived peer badges and self check-in at events."""

from odznaka_graph.outcomes import CredentialReason, PresentationReason

# PresentationRefused passes a reason's own description as its message.
REASONS = {
    PresentationReason.REQUEST_NOT_FOUND: "Nie ma takiego żądania okazania (albo nie jest twoje).",
    PresentationReason.REQUEST_EXPIRED: "Żądanie okazania wygasło.",
    PresentationReason.REQUEST_ANSWERED: (
        "Na to żądanie okazania już odpowiedziano: odpowiedź działa tylko raz."
    ),
    PresentationReason.REQUEST_PENDING: "Żaden portfel jeszcze nie odpowiedział.",
    PresentationReason.WALLET_DECLINED: (
        "Portfel odpowiedział błędem: posiadacz odmówił albo nie ma takiego poświadczenia."
    ),
    PresentationReason.SIGN_IN_REQUESTS_THROTTLED: (
        "Za dużo prób logowania portfelem z tego adresu; spróbuj później."
    ),
    PresentationReason.RESPONSE_UNREADABLE: (
        "Odpowiedź nie jest zaszyfrowana kluczem tego żądania albo nie jest w formacie JSON."
    ),
    PresentationReason.STATE_MISMATCH: "Stan odpowiedzi nie pasuje do tego żądania.",
    PresentationReason.PRESENTATION_MALFORMED: (
        "Okazanie nie jest poświadczeniem SD-JWT VC z tokenem powiązania klucza."
    ),
    PresentationReason.QUERY_NOT_SATISFIED: "Okazanie nie odpowiada na zapytanie DCQL żądania.",
    PresentationReason.SIGNATURE_INVALID: "Podpis wystawcy na poświadczeniu jest nieważny.",
    PresentationReason.ISSUER_UNTRUSTED: (
        "Wystawca poświadczenia albo jego klucz nie należy do zaufanych na tej platformie."
    ),
    PresentationReason.DISCLOSURE_TAMPERED: (
        "Jedno z ujawnień nie zostało podpisane przez wystawcę (zmienione albo dodane)."
    ),
    PresentationReason.KEY_BINDING_INVALID: (
        "Brak tokenu powiązania klucza, nie podpisał go klucz posiadacza albo jest przestarzały."
    ),
    PresentationReason.NONCE_MISMATCH: "Jednorazowy kod (nonce) w tokenie nie pasuje do żądania.",
    PresentationReason.AUDIENCE_MISMATCH: (
        "Odbiorca wskazany w tokenie nie jest identyfikatorem tego weryfikatora."
    ),
    PresentationReason.STATUS_UNAVAILABLE: "Nie udało się odczytać listy statusów poświadczenia.",
    PresentationReason.WALLET_IDENTITY_UNKNOWN: (
        "Z tym poświadczeniem nie jest związane żadne konto (nie my je wydaliśmy)."
    ),
    PresentationReason.BADGE_NOT_SHOWN: (
        "Poświadczenie nie dotyczy żadnej z odznak, o które prosi kontrola przy wejściu."
    ),
    PresentationReason.NOT_EVENT_HOST: (
        "Uczestników może odprawiać tylko personel organizatora wydarzenia."
    ),
    CredentialReason.CREDENTIAL_REVOKED: "Poświadczenie zostało unieważnione.",
}

WALLET = {
    "Name 1 to {limit} badges.": "Wskaż od 1 do {limit} odznak.",
    "Only the event's host staff can check attendees in.": (
        "Uczestników może odprawiać tylko personel organizatora wydarzenia."
    ),
    "The sign-in is {status}.": "Logowanie nie jest zakończone (stan: {status}).",
    "Handed out already.": "To zostało już wydane.",
    "No such request.": "Nie ma takiego żądania.",
    "Too many wallet sign-in requests from here.": (
        "Za dużo prób logowania portfelem z tego adresu."
    ),
    "Too long.": "Za długie.",
    "Too many catch-ups (`since`): at most {limit} a minute. Subscribe without `since` now, "
    "or with it after `retryAfterSeconds`.": (
        "Za dużo nadrabiania zaległości (`since`): najwyżej {limit} na minutę. Subskrybuj "
        "teraz bez `since` albo z nim po `retryAfterSeconds`."
    ),
}

ACCOUNTS = {
    "The other account has a role or an organisation's staff seat; hand them over before "
    "merging it.": (
        "Drugie konto ma rolę albo miejsce w personelu organizacji; przekaż je, zanim je połączysz."
    ),
    "The recipient's account is deleted or about to be.": (
        "Konto odbiorcy zostało usunięte albo wkrótce zostanie."
    ),
    "This merge link is not valid, was used for another account or expired.": (
        "Ten link do połączenia kont jest nieważny, został użyty dla innego konta albo wygasł."
    ),
}

TEACHERS = {
    "Give or take at least one point.": "Przyznaj albo odbierz co najmniej jeden punkt.",
    "Name the learners, or set everyone: true (not both).": (
        "Wskaż uczniów albo ustaw everyone: true (nie jedno i drugie)."
    ),
    "Not a learner of this team.": "To nie jest uczeń ani uczestnik tego zespołu.",
    "No such points entry.": "Nie ma takiego wpisu punktów.",
    "This entry was corrected already.": "Ten wpis został już skorygowany.",
    "Name something to change.": "Wskaż, co zmienić.",
    "This challenge has ended or was cancelled.": "To wyzwanie już się skończyło albo je odwołano.",
    "No such peer badge.": "Nie ma takiej odznaki koleżeńskiej.",
    "Check-in is open from 15 minutes before the event's start to its end.": (
        "Zameldować się można od 15 minut przed początkiem wydarzenia do jego końca."
    ),
    "This is not the event's current check-in code.": (
        "To nie jest aktualny kod zameldowania na to wydarzenie."
    ),
    "Too many check-in attempts; wait a little.": ("Za dużo prób zameldowania; odczekaj chwilę."),
}

MESSAGES = {
    **{str(r.value): text for r, text in REASONS.items()},
    **WALLET,
    **TEACHERS,
    **ACCOUNTS,
}
PHRASES = {"pending": "oczekuje", "refused": "odrzucone"}
