"""What each kind of mail says, in Polish and English. `{name}` is filled from the
message's data; the layout templates (templates/) put it into HTML and plain text."""

from dataclasses import dataclass

from odznaka_graph.mail.kinds import MailKind


@dataclass(frozen=True)
class Text:
    subject: str
    paragraphs: tuple[str, ...]
    action: str = ""  # the button's label; empty: no button


@dataclass(frozen=True)
class Wording:
    path: str  # the button's link, below PUBLIC_BASE_URL, `{name}` filled from the data
    pl: Text
    en: Text


GRAPHQL = "/graphql"
WORDING: dict[MailKind, Wording] = {
    MailKind.VERIFY_EMAIL: Wording(
        "/account/verify-email?token={token}",
        Text(
            "Potwierdź adres e-mail",
            (
                "Ktoś (mamy nadzieję, że Ty) podał adres {to} w Odznace+.",
                "Potwierdź go, aby otrzymywać na niego mikropoświadczenia.",
                "Jeśli to nie Ty, zignoruj tę wiadomość.",
            ),
            "Potwierdź adres",
        ),
        Text(
            "Confirm your e-mail address",
            (
                "Someone (we hope it was you) gave the address {to} to Odznaka+.",
                "Confirm it to receive microcredentials at this address.",
                "If it was not you, ignore this message.",
            ),
            "Confirm the address",
        ),
    ),
    MailKind.ACCOUNT_EXISTS: Wording(
        "/account/reset-password",
        Text(
            "Masz już konto w Odznace+",
            (
                "Ktoś próbował założyć konto lub dodać adres {to}, który już należy do Ciebie.",
                "Jeśli nie pamiętasz hasła, możesz ustawić nowe.",
            ),
            "Ustaw nowe hasło",
        ),
        Text(
            "You already have an Odznaka+ account",
            (
                "Someone tried to register or add the address {to}, which is already yours.",
                "If you forgot your password, you can set a new one.",
            ),
            "Set a new password",
        ),
    ),
    MailKind.RESET_PASSWORD: Wording(
        "/account/reset-password?token={token}",
        Text(
            "Ustaw nowe hasło",
            (
                "Otrzymaliśmy prośbę o nowe hasło do konta z adresem {to}.",
                "Link działa przez godzinę i tylko raz. Ustawienie hasła wyloguje inne sesje.",
                "Jeśli to nie Ty, zignoruj tę wiadomość: hasło się nie zmieni.",
            ),
            "Ustaw nowe hasło",
        ),
        Text(
            "Set a new password",
            (
                "We were asked for a new password for the account with the address {to}.",
                "The link works once, for an hour. Setting it signs out your other sessions.",
                "If it was not you, ignore this message: your password stays as it is.",
            ),
            "Set a new password",
        ),
    ),
    MailKind.PASSWORD_CHANGED: Wording(
        "",
        Text(
            "Hasło zostało zmienione",
            (
                "Hasło do Twojego konta w Odznace+ zostało właśnie zmienione.",
                "Jeśli to nie Ty, od razu ustaw nowe hasło i napisz do nas.",
            ),
        ),
        Text(
            "Your password was changed",
            (
                "The password of your Odznaka+ account was just changed.",
                "If it was not you, set a new password at once and write to us.",
            ),
        ),
    ),
    MailKind.CLAIM_INVITATION: Wording(
        GRAPHQL,
        Text(
            "Czeka na Ciebie odznaka: {badgeName}",
            (
                "W Odznace+ przyznano odznakę „{badgeName}” osobie o adresie {to}.",
                "Załóż konto w Odznace+ z tym adresem (lub dodaj go do swojego konta) i "
                "potwierdź go: odznaka od razu trafi do Twojego profilu.",
            ),
            "Odbierz odznakę",
        ),
        Text(
            "A badge is waiting for you: {badgeName}",
            (
                "The badge “{badgeName}” was awarded at Odznaka+ to the address {to}.",
                "Register at Odznaka+ with this address (or add it to your account) and "
                "confirm it: the badge goes to your profile at once.",
            ),
            "Claim the badge",
        ),
    ),
    MailKind.AWARD_RECEIVED: Wording(
        "/credentials/{awardId}",
        Text(
            "Nowa odznaka: {badgeName}",
            ("Gratulacje! Otrzymujesz odznakę „{badgeName}”.",),
            "Zobacz odznakę",
        ),
        Text(
            "New badge: {badgeName}",
            ("Congratulations! You received the badge “{badgeName}”.",),
            "See the badge",
        ),
    ),
    MailKind.CLUB_INVITATION: Wording(
        GRAPHQL,
        Text(
            "Zaproszenie do klubu",
            ("{inviterName} zaprasza Cię do klubu w Odznace+.",),
            "Otwórz Odznakę+",
        ),
        Text(
            "An invitation to a club",
            ("{inviterName} invites you to a club at Odznaka+.",),
            "Open Odznaka+",
        ),
    ),
    MailKind.CLASS_INVITATION: Wording(
        GRAPHQL,
        Text(
            "Dołączono Cię do klasy",
            ("{inviterName} dodał(a) Cię do klasy lub zespołu w Odznace+.",),
            "Otwórz Odznakę+",
        ),
        Text(
            "You were added to a class",
            ("{inviterName} added you to a class or team at Odznaka+.",),
            "Open Odznaka+",
        ),
    ),
    MailKind.REVIEW_OUTCOME: Wording(
        GRAPHQL,
        Text(
            "Wynik recenzji: {badgeName}",
            ("Recenzja odznaki „{badgeName}” zakończyła się: {outcome}.", "{comment}"),
            "Otwórz Odznakę+",
        ),
        Text(
            "Review outcome: {badgeName}",
            ("The review of the badge “{badgeName}” ended: {outcome}.", "{comment}"),
            "Open Odznaka+",
        ),
    ),
    MailKind.WEEKLY_DIGEST: Wording(
        GRAPHQL,
        Text(
            "Twój tydzień w Odznace+",
            ("Oto co wydarzyło się w tym tygodniu ({count}):",),
            "Zobacz powiadomienia",
        ),
        Text(
            "Your week at Odznaka+",
            ("Here is what happened this week ({count}):",),
            "See your notifications",
        ),
    ),
    MailKind.DATA_EXPORT_READY: Wording(
        "/account/export#{exportId}.{token}",  # a fragment: never sent to the server
        Text(
            "Twoje dane są gotowe do pobrania",
            (
                "Przygotowaliśmy archiwum wszystkich Twoich danych w Odznace+ (JSON).",
                "Link działa raz, przez 7 dni; nie przekazuj go nikomu.",
            ),
            "Pobierz dane",
        ),
        Text(
            "Your data is ready to download",
            (
                "We prepared an archive of all your data at Odznaka+ (JSON).",
                "The link works once, for 7 days; do not share it.",
            ),
            "Download your data",
        ),
    ),
    MailKind.EMAIL_CHANGE_REQUESTED: Wording(
        "/account/reset-password",
        Text(
            "Zmiana adresu logowania",
            (
                "Poproszono o logowanie do Twojego konta w Odznace+ adresem {newEmail} "
                "zamiast {to}.",
                "Nowy adres zacznie działać, gdy zostanie potwierdzony (od razu, jeśli już był).",
                "Jeśli to nie Ty, od razu ustaw nowe hasło: wyloguje to wszystkie sesje.",
            ),
            "Ustaw nowe hasło",
        ),
        Text(
            "Your sign-in address is changing",
            (
                "Your Odznaka+ account was asked to sign in with {newEmail} instead of {to}.",
                "The new address takes over once it is confirmed (at once if it was already).",
                "If it was not you, set a new password now: it signs out every session.",
            ),
            "Set a new password",
        ),
    ),
    MailKind.ACCOUNT_DELETION_SCHEDULED: Wording(
        GRAPHQL,
        Text(
            "Twoje konto zostanie usunięte",
            (
                "Poproszono o usunięcie Twojego konta w Odznace+ ({to}).",
                "Twoje dane zostaną usunięte {erasesOn}. Do tego czasu wystarczy się zalogować, "
                "aby to odwołać.",
                "Odznaki, które otrzymałeś(-aś), pozostaną ważne dla tych, którzy je sprawdzają, "
                "ale nie będą już wskazywać na Ciebie.",
            ),
            "Zaloguj się, aby odwołać",
        ),
        Text(
            "Your account is to be deleted",
            (
                "Deleting your Odznaka+ account ({to}) was requested.",
                "Your data will be erased on {erasesOn}. Until then, signing in cancels it.",
                "Badges you received stay valid for whoever checks them, but no longer point "
                "to you.",
            ),
            "Sign in to cancel",
        ),
    ),
    # Issue 15: a pupil under 16 (or their teacher) asks their guardian.
    MailKind.GUARDIAN_CONSENT: Wording(
        "/guardian/consent#{token}",  # a fragment: never sent to the server
        Text(
            "Zgoda opiekuna dla: {name}",
            (
                "Uczeń lub uczennica ({name}) korzysta z Odznaki+ w szkole.",
                "Do 16. roku życia profil jest prywatny. Jednym kliknięciem możesz zgodzić "
                "się, by {name} mógł lub mogła upublicznić profil i poświadczenia.",
                "Zgodę możesz w każdej chwili wycofać tym samym linkiem.",
            ),
            "Zgoda",
        ),
        Text(
            "Guardian's consent for {name}",
            (
                "A pupil ({name}) uses Odznaka+ at school.",
                "Under 16 their profile stays private. With one click you can let {name} "
                "make their profile and credentials public.",
                "You can withdraw the consent at any time with the same link.",
            ),
            "Consent",
        ),
    ),
    # An address added to account `into` is verified on account `from`: both may be one
    # person's. The link, opened signed in to `into`, moves the awards of `from` there.
    MailKind.MERGE_OFFER: Wording(
        "/account/merge#{token}",
        Text(
            "Połączyć konta {from} i {into}?",
            (
                "Na koncie {into} dodano adres {to}, który należy do Twojego konta {from}.",
                "Jeśli oba konta są Twoje, zaloguj się na {into} i otwórz ten link: odznaki "
                "z {from} przejdą na {into}, adres też, a konto {from} zostanie zamknięte.",
                "Jeśli to nie Ty, zignoruj tę wiadomość: nic się nie zmieni.",
            ),
            "Połącz konta",
        ),
        Text(
            "Merge the accounts {from} and {into}?",
            (
                "The address {to}, which belongs to your account {from}, was added to the "
                "account {into}.",
                "If both accounts are yours, sign in to {into} and open this link: the badges "
                "of {from} move to {into}, and the address too, and {from} is closed.",
                "If it was not you, ignore this message: nothing changes.",
            ),
            "Merge the accounts",
        ),
    ),
}
