"""Polish texts of the messages about accounts, pupils, contacts, clubs, teams, peer awards
and permissions."""

ACCOUNTS = {
    "No such user.": "Nie ma takiego użytkownika.",
    "No such session.": "Nie ma takiej sesji.",
    "This handle is taken.": "Ta nazwa użytkownika jest już zajęta.",
    "An account with this e-mail or handle already exists.": (
        "Konto z tym adresem e-mail lub tą nazwą użytkownika już istnieje."
    ),
    "The e-mail or password is wrong.": "Adres e-mail lub hasło są nieprawidłowe.",
    "This refresh token is no longer valid; sign in again.": (
        "Ten token odświeżania jest już nieważny. Zaloguj się ponownie."
    ),
    "You have added this address already.": "Ten adres jest już dodany do konta.",
    "This verification link is not valid or was used already.": (
        "Ten link weryfikacyjny jest nieprawidłowy albo został już użyty."
    ),
    "This password reset link is not valid, was used, or expired.": (
        "Ten link do zmiany hasła jest nieprawidłowy, został już użyty albo wygasł."
    ),
    "No account has the e-mail {email}.": "Żadne konto nie ma adresu e-mail {email}.",
    "3–30 characters: lower-case letters, digits, '.', '_' or '-'": (
        "Od 3 do 30 znaków: małe litery, cyfry, „.”, „_” lub „-”."
    ),
    "Your current password is required.": "Podaj obecne hasło.",
    "The current password is wrong.": "Obecne hasło jest nieprawidłowe.",
    "You may not {action}.": "Nie możesz {action}.",
    "Your profile is still being set up; try again in a moment.": (
        "Twój profil jest jeszcze przygotowywany. Spróbuj za chwilę."
    ),
}

THROTTLING = {
    "Too many data exports today; try again later.": (
        "Dziś było już zbyt wiele eksportów danych. Spróbuj później."
    ),
    "Too many join attempts; wait.": "Zbyt wiele prób dołączenia. Poczekaj chwilę.",
    "Too many new accounts from here.": "Stąd założono już zbyt wiele nowych kont.",
    "Too many password reset attempts; try again later.": (
        "Zbyt wiele prób zmiany hasła. Spróbuj później."
    ),
    "Too many password reset requests; try again later.": (
        "Zbyt wiele próśb o zmianę hasła. Spróbuj później."
    ),
    "Too many sign-in attempts; try again later.": "Zbyt wiele prób logowania. Spróbuj później.",
    "Too many sign-in code attempts; wait.": (
        "Zbyt wiele prób z kodem logowania. Poczekaj chwilę."
    ),
    "Too many wrong passwords; try again later.": "Zbyt wiele błędnych haseł. Spróbuj później.",
}

PUPILS = {
    "Under 16 a public profile or another name needs a guardian's consent.": (
        "Przed ukończeniem 16 lat publiczny profil lub inna nazwa wymaga zgody opiekuna."
    ),
    "At most {most} pupils at once (PUPIL_ROSTER_MAX).": (
        "Najwyżej {most} uczniów naraz (PUPIL_ROSTER_MAX)."
    ),
    "No pupil has this code.": "Żaden uczeń nie ma takiego kodu.",
    "This code was used already: ask your teacher for a new slip.": (
        "Ten kod został już użyty. Poproś nauczyciela o nową kartkę."
    ),
    "This code has expired: ask your teacher for a new slip.": (
        "Ten kod wygasł. Poproś nauczyciela o nową kartkę."
    ),
    "Give a name, not only spaces.": "Wpisz nazwę, nie same spacje.",
    "This consent link is not valid.": "Ten link do zgody jest nieprawidłowy.",
    "Only a pupil under 16 needs a guardian's consent.": (
        "Zgody opiekuna potrzebuje tylko uczeń przed ukończeniem 16 lat."
    ),
}

SOCIAL = {
    "No contact request from this user.": "Ten użytkownik nie zaprosił cię do kontaktów.",
    "That is you.": "To twoje konto.",
    "You have blocked this user; unblock them first.": (
        "Ten użytkownik jest przez ciebie zablokowany. Najpierw go odblokuj."
    ),
}

CLUBS = {
    "No such club.": "Nie ma takiego klubu.",
    "Not a member of this club.": "To nie jest członek tego klubu.",
    "A club's owner cannot be removed or banned.": (
        "Właściciela klubu nie można usunąć ani zablokować."
    ),
    "Only an owner removes or bans a moderator.": (
        "Tylko właściciel może usunąć lub zablokować moderatora."
    ),
    "This club admits new members by invitation only.": (
        "Do tego klubu można dołączyć tylko na zaproszenie."
    ),
    "Nobody with that id asked to join this club.": (
        "Nikt o tym identyfikatorze nie prosił o dołączenie do tego klubu."
    ),
    "They are a member already.": "Ta osoba jest już członkiem.",
    "They are banned from this club.": "Ta osoba jest zablokowana w tym klubie.",
    "They are not a member of this club.": "Ta osoba nie jest członkiem tego klubu.",
    "A club needs an owner: make someone else OWNER first.": (
        "Klub musi mieć właściciela. Najpierw nadaj komuś innemu rolę OWNER."
    ),
    "Make another member OWNER before leaving: a club needs an owner.": (
        "Zanim odejdziesz, nadaj innemu członkowi rolę OWNER: klub musi mieć właściciela."
    ),
    "You are not a member of this club.": "Nie jesteś członkiem tego klubu.",
    "You were banned from this club.": "Twoje konto jest zablokowane w tym klubie.",
    "A description has at most {limit} characters.": "Opis może mieć najwyżej {limit} znaków.",
    "A name has at most {limit} characters.": "Nazwa może mieć najwyżej {limit} znaków.",
    "Give the club a name in at least one language.": (
        "Podaj nazwę klubu w co najmniej jednym języku."
    ),
}

TEAMS = {
    "No such team.": "Nie ma takiego zespołu.",
    "No such challenge in this team.": "W tym zespole nie ma takiego wyzwania.",
    "Could not find a free class code; try again.": (
        "Nie udało się znaleźć wolnego kodu klasy. Spróbuj ponownie."
    ),
    "Pupils are enrolled in a school class.": "Uczniów zapisuje się do klasy szkolnej.",
    "A {kind} has {roles}.": "Dozwolone role w tym zespole ({kind}): {roles}.",
    "A {kind} keeps at least one {who}: add another {who} first.": (
        "Ten zespół ({kind}) musi mieć co najmniej jedną osobę w roli: {who}. "
        "Najpierw dodaj kolejną."
    ),
    "A class keeps at least one teacher: add another teacher first.": (
        "Klasa musi mieć co najmniej jednego nauczyciela. Najpierw dodaj kolejnego."
    ),
    "A business team keeps at least one leader: add another leader first.": (
        "Zespół firmowy musi mieć co najmniej jednego lidera. Najpierw dodaj kolejnego."
    ),
    "To leave the team yourself, use leaveTeam.": "Aby samemu opuścić zespół, użyj leaveTeam.",
    "Not a member of this team.": "To nie jest członek tego zespołu.",
    "No team has this code, or it has expired. Ask your teacher.": (
        "Żaden zespół nie ma tego kodu albo kod wygasł. Zapytaj nauczyciela."
    ),
    "This person has not asked to join.": "Ta osoba nie prosiła o dołączenie.",
    "Give the team a name in at least one language.": (
        "Podaj nazwę zespołu w co najmniej jednym języku."
    ),
}

PEER_AWARDS = {
    "No such nomination.": "Nie ma takiej nominacji.",
    "You have used today's nominations in this club; more from midnight UTC.": (
        "Dzisiejsze nominacje w tym klubie są już wykorzystane. Kolejne od północy UTC."
    ),
    "They are nominated for this badge already: vouch for that nomination.": (
        "Ta osoba jest już nominowana do tej odznaki. Poprzyj tamtą nominację."
    ),
    "Only members of the club vouch for its nominations.": (
        "Nominacje w klubie mogą popierać tylko jego członkowie."
    ),
    "Nobody vouches for their own award.": "Nie można popierać nominacji dla siebie.",
    "Your nomination already counts as your vouch.": (
        "Twoja nominacja liczy się już jako twoje poparcie."
    ),
    "You vouched for this nomination already.": "Ta nominacja ma już twoje poparcie.",
    "This nomination has been awarded already.": ("Odznaka z tej nominacji została już przyznana."),
    "The nominee has left the club.": "Osoba nominowana opuściła klub.",
    "Nobody nominates themselves.": "Nie można nominować samego siebie.",
    "Only members of the badge's club nominate for it.": (
        "Do tej odznaki nominują tylko członkowie jej klubu."
    ),
    "This idempotency key was used for a different nomination.": (
        "Ten klucz idempotencji został już użyty dla innej nominacji."
    ),
    "Not a peer award: use revokeAward.": "To nie jest odznaka koleżeńska. Użyj revokeAward.",
    "Not a peer badge: formal badges are awarded by their issuer.": (
        "To nie jest odznaka koleżeńska. Formalne odznaki przyznaje ich wystawca."
    ),
    "This badge is no longer awarded.": "Ta odznaka nie jest już przyznawana.",
    "At most {limit} characters.": "Najwyżej {limit} znaków.",
    "Required: say it in plain words, in at least one language.": (
        "Wymagane: opisz to prostymi słowami, w co najmniej jednym języku."
    ),
}

MESSAGES = {**ACCOUNTS, **THROTTLING, **PUPILS, **SOCIAL, **CLUBS, **TEAMS, **PEER_AWARDS}
