"""Reasons for recommendations in words, in Polish or English (other languages fall back
the way i18n.pick does: Polish first). Pure functions: no I/O."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from odznaka_graph.graph_model.recommendations import Reason, Recommendation
from odznaka_graph.i18n import DEFAULT_LANGUAGE, pick

LOCAL_TIME = ZoneInfo("Europe/Warsaw")
WRITTEN = ("pl", "en")


@dataclass(frozen=True)
class Words:
    """What a template may use: a count, a total, and up to two names."""

    n: int
    total: int
    a: str
    b: str


Template = Callable[[Words], str]


def plural_pl(n: int, one: str, few: str, many: str) -> str:
    """Polish plural forms: 1 osoba, 2-4 osoby (not 12-14), 5 osób."""
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


@dataclass(frozen=True)
class Forms:
    """A Polish word in its three plural forms."""

    one: str
    few: str
    many: str

    def of(self, n: int) -> str:
        return plural_pl(n, self.one, self.few, self.many)


SHARED_SKILLS = Forms("wspólną umiejętność", "wspólne umiejętności", "wspólnych umiejętności")
CONTACTS_BELONG = Forms("Twój kontakt należy", "Twoje kontakty należą", "Twoich kontaktów należy")
BELONGS = Forms("Należy", "Należą", "Należy")


def people_pl(n: int) -> str:
    return f"{n} {plural_pl(n, 'osoba', 'osoby', 'osób')}"


def earned_pl(n: int) -> str:
    return plural_pl(n, "zdobyła", "zdobyły", "zdobyło")


def people_en(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def belong(n: int) -> str:
    return "belongs to it" if n == 1 else "belong to it"


EN: dict[str, Template] = {
    "PATH_NEXT": lambda w: f"Next step of the path “{w.a}” you follow",
    "SKILL_GAP": lambda w: f"Teaches {w.a}, which your goal path “{w.b}” needs",
    "CHOSEN_SKILL": lambda w: f"Teaches {w.a}, a skill you are looking for",
    "CO_EARNED": lambda w: f"{people_en(w.n)} who earned “{w.a}” went on to earn this",
    "CLASS_POPULAR": lambda w: f"{people_en(w.n)} in your class “{w.a}” earned this",
    "TEAM_POPULAR": lambda w: f"{people_en(w.n)} in your team “{w.a}” earned this",
    "CLUB_POPULAR": lambda w: f"{people_en(w.n)} in your club “{w.a}” earned this",
    "POPULAR": lambda w: f"Popular: {people_en(w.n)} hold it",
    "PATH_STARTED": lambda w: f"You already hold {w.n} of its {w.total} steps",
    "CLASS_PATH": lambda w: f"A path of your class “{w.a}”",
    "TEAM_PATH": lambda w: f"A path of your team “{w.a}”",
    "POPULAR_PATH": lambda w: f"Followed by {people_en(w.n)}",
    "NEARBY": lambda w: f"Teaches {w.a}, something new for you",
    "HOSTED_BY_YOUR_ORGANIZATION": lambda w: f"Hosted by “{w.a}”, where your class or team is",
    "SOON": lambda w: "Coming up soon",
    "CLASSMATE": lambda w: f"In your class “{w.a}”",
    "TEAMMATE": lambda w: f"In your team “{w.a}”",
    "SHARED_CLUBS": lambda w: (
        f"Also a member of “{w.a}”" if w.n == 1 else f"Member of {w.n} of your clubs"
    ),
    "FOLLOWED_BY_FOLLOWED": lambda w: f"Followed by {people_en(w.n)} you follow",
    "SIMILAR_SKILLS": lambda w: f"Shares {w.n} skills with you",
    "CONTACTS_MEMBERS": lambda w: (
        "One of your contacts is a member" if w.n == 1 else f"{w.n} of your contacts are members"
    ),
    "FOLLOWED_MEMBERS": lambda w: (
        f"{people_en(w.n)} you follow {'is a member' if w.n == 1 else 'are members'}"
    ),
    "CLASSMATES_MEMBERS": lambda w: f"{people_en(w.n)} from your class “{w.a}” {belong(w.n)}",
    "TEAMMATES_MEMBERS": lambda w: f"{people_en(w.n)} from your team “{w.a}” {belong(w.n)}",
    "POPULAR_CLUB": lambda w: f"A popular club: {w.n} members",
}

PL: dict[str, Template] = {
    "PATH_NEXT": lambda w: f"Kolejny krok obserwowanej ścieżki „{w.a}”",
    "SKILL_GAP": lambda w: f"Uczy: {w.a} — tego wymaga Twoja ścieżka „{w.b}”",
    "CHOSEN_SKILL": lambda w: f"Uczy umiejętności, której szukasz: {w.a}",
    "CO_EARNED": lambda w: (
        f"{people_pl(w.n)}, {plural_pl(w.n, 'która zdobyła', 'które zdobyły', 'które zdobyły')} "
        f"„{w.a}”, {earned_pl(w.n)} potem tę odznakę"
    ),
    "CLASS_POPULAR": lambda w: (
        f"{people_pl(w.n)} z Twojej klasy „{w.a}” {earned_pl(w.n)} tę odznakę"
    ),
    "TEAM_POPULAR": lambda w: (
        f"{people_pl(w.n)} z Twojego zespołu „{w.a}” {earned_pl(w.n)} tę odznakę"
    ),
    "CLUB_POPULAR": lambda w: (
        f"{people_pl(w.n)} z Twojego klubu „{w.a}” {earned_pl(w.n)} tę odznakę"
    ),
    "POPULAR": lambda w: f"Popularna: ma ją {people_pl(w.n)}",
    "PATH_STARTED": lambda w: f"Masz już {w.n} z {w.total} jej kroków",
    "CLASS_PATH": lambda w: f"Ścieżka Twojej klasy „{w.a}”",
    "TEAM_PATH": lambda w: f"Ścieżka Twojego zespołu „{w.a}”",
    "POPULAR_PATH": lambda w: f"Obserwuje ją {people_pl(w.n)}",
    "NEARBY": lambda w: f"Uczy czegoś nowego dla Ciebie: {w.a}",
    "HOSTED_BY_YOUR_ORGANIZATION": lambda w: (
        f"Organizuje „{w.a}”, gdzie jest Twoja klasa lub zespół"
    ),
    "SOON": lambda w: "Już wkrótce",
    "CLASSMATE": lambda w: f"Z Twojej klasy „{w.a}”",
    "TEAMMATE": lambda w: f"Z Twojego zespołu „{w.a}”",
    "SHARED_CLUBS": lambda w: (
        f"Też należy do klubu „{w.a}”" if w.n == 1 else f"Należy do {w.n} Twoich klubów"
    ),
    "FOLLOWED_BY_FOLLOWED": lambda w: (
        f"{people_pl(w.n)} spośród obserwowanych przez Ciebie "
        f"{plural_pl(w.n, 'obserwuje', 'obserwują', 'obserwuje')} ten profil"
    ),
    "SIMILAR_SKILLS": lambda w: f"Macie {w.n} {SHARED_SKILLS.of(w.n)}",
    "CONTACTS_MEMBERS": lambda w: f"{w.n} {CONTACTS_BELONG.of(w.n)} do tego klubu",
    "FOLLOWED_MEMBERS": lambda w: f"{BELONGS.of(w.n)} do niego {people_pl(w.n)}, które obserwujesz",
    "CLASSMATES_MEMBERS": lambda w: (
        f"{BELONGS.of(w.n)} do niego {people_pl(w.n)} z Twojej klasy „{w.a}”"
    ),
    "TEAMMATES_MEMBERS": lambda w: (
        f"{BELONGS.of(w.n)} do niego {people_pl(w.n)} z Twojego zespołu „{w.a}”"
    ),
    "POPULAR_CLUB": lambda w: f"Popularny klub: {people_pl(w.n)}",
}

TEMPLATES = {"pl": PL, "en": EN}

WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "pl": ("poniedziałek", "wtorek", "środę", "czwartek", "piątek", "sobotę", "niedzielę"),
}
ON_DAY_PL = ("w", "we", "w", "w", "w", "w", "w")
NEXT_PL = ("przyszły", "przyszły", "przyszłą", "przyszły", "przyszły", "przyszłą", "przyszłą")
MONTHS = {
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
    "pl": (
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
        "listopada grudnia"
    ).split(),
}


def language(preferred: Sequence[str]) -> str:
    return next((lang for lang in (*preferred, DEFAULT_LANGUAGE) if lang in WRITTEN), "pl")


def when(starts: datetime, today: date, lang: str) -> str:
    """today / tomorrow / on Tuesday / next Tuesday / on 12 December, in Polish time."""
    day = starts.astimezone(LOCAL_TIME).date()
    days = (day - today).days
    weekday = day.weekday()
    name = WEEKDAYS[lang][weekday]
    if lang == "pl":
        return (
            "dziś"
            if days <= 0
            else "jutro"
            if days == 1
            else f"{ON_DAY_PL[weekday]} {name}"
            if days < 7
            else f"w {NEXT_PL[weekday]} {name}"
            if days < 14
            else f"{day.day} {MONTHS['pl'][day.month - 1]}"
        )
    return (
        "today"
        if days <= 0
        else "tomorrow"
        if days == 1
        else f"on {name}"
        if days < 7
        else f"next {name}"
        if days < 14
        else f"on {day.day} {MONTHS['en'][day.month - 1]}"
    )


def where_and_when(found: Recommendation, now: datetime, lang: str) -> str:
    """For an event: "4 km from you, next Tuesday" (or "online, ...")."""
    event = found.item
    moment = when(event.starts_at, now.astimezone(LOCAL_TIME).date(), lang)
    if event.distance_km is not None:
        km = max(1, round(event.distance_km))
        return f"{km} km {'od Ciebie' if lang == 'pl' else 'from you'}, {moment}"
    if event.place is None:
        return f"online, {moment}"
    return moment


def describe(found: Recommendation, reason: Reason, preferred: Sequence[str], now: datetime) -> str:
    """One reason in words, in the first preferred language we write in."""
    lang = language(preferred)
    names = [pick(name, preferred) or "" for name in reason.names]
    words = Words(reason.count or 0, reason.total or 0, *(names + ["", ""])[:2])
    template = TEMPLATES[lang].get(reason.code)
    text = template(words) if template else reason.code
    if found.kind == "EVENT":
        return f"{where_and_when(found, now, lang)} · {text}"
    return text
