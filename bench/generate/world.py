"""The fixed part of a generated world: skills, organisations, communities of interest with
their badge catalogues and paths, clubs and events. Small (at most ~100k badges), so it is
kept in memory; the people are generated in chunks (population.py).

A community of interest is a group of people who tend to earn the badges of one catalogue
(about 24 badges in one skill area, earned roughly in catalogue order). Planting them makes
recommendation quality measurable: a user's hidden later awards come mostly from their own
community's catalogue.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bench.generate.places import CITIES, WEIGHTS, City
from bench.generate.vocab import AREAS, PER_AREA, SKILLS
from odznaka_graph.graph_model.skills import skill_id_for, skill_key

CATALOGUE = 24  # badges per community
PUBLISHED_UP_TO = 22  # badge 22 may be archived, 23 is a draft
CLASS_SIZE, CLASSES_PER_SCHOOL = 25, 8
TEAM_SIZE, TEAMS_PER_COMPANY = 10, 10
PUPILS, EMPLOYEES = 0.40, 0.35  # shares of the population in classes and business teams
ISSUER_KINDS = [
    "TRAINING_PROVIDER",
    "CERTIFYING_BODY",
    "NGO",
    "UNIVERSITY",
    "PUBLIC_BODY",
    "COMPANY",
    "SPORTS_CLUB",
    "SCHOOL",
]
SPORT = 11  # the area whose issuers are sports clubs


@dataclass(frozen=True)
class Options:
    users: int
    seed: int = 7
    awards_per_user: float = 10.0
    holdout: float = 0.0  # share of each user's later awards kept out of the stores
    today: date = field(default_factory=lambda: datetime.now(UTC).date())

    @property
    def now(self) -> datetime:
        return datetime(self.today.year, self.today.month, self.today.day, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Skill:
    id: str
    names: tuple[str, str]
    area: int
    broader: str | None


@dataclass(frozen=True)
class Org:
    id: str
    kind: str
    names: tuple[str, str]
    city: City
    area: int


@dataclass(frozen=True)
class Badge:
    id: str
    community: int
    level: int
    org: int
    skills: tuple[int, ...]  # indexes into World.skills
    status: str


@dataclass(frozen=True)
class Club:
    id: str
    community: int
    names: tuple[str, str]
    city: City
    visibility: str
    join_policy: str


@dataclass(frozen=True)
class Event:
    id: str
    community: int
    host: int
    city: City | None  # None: online only
    starts: datetime
    hours: int
    skills: tuple[int, ...]
    badge: str | None
    capacity: int | None


def sizes(users: int) -> dict[str, int]:
    pupils, employees = round(users * PUPILS), round(users * EMPLOYEES)
    classes, teams = math.ceil(pupils / CLASS_SIZE), math.ceil(employees / TEAM_SIZE)
    communities = min(3000, max(8, users // 300))
    return {
        "pupils": pupils,
        "employees": employees,
        "classes": classes,
        "schools": math.ceil(classes / CLASSES_PER_SCHOOL),
        "teams": teams,
        "companies": math.ceil(teams / TEAMS_PER_COMPANY),
        "communities": communities,
        "issuers": AREAS * max(1, math.ceil(communities / 40)),
        "clubs": max(4, users // 150),
        "events": max(20, users // 20),
    }


class World:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.size = sizes(options.users)
        rng = random.Random(f"{options.seed}:world")
        self.skills = _skills()
        self.orgs = _organizations(rng, self.size)
        self.community_city = [_city(rng) for _ in range(self.size["communities"])]
        self.badges = _badges(self.size)
        self.clubs = _clubs(rng, self.size, self.community_city)
        self.events = _events(rng, self, options)
        self.catalogue = [
            [f"g-b-{c}-{k}" for k in range(PUBLISHED_UP_TO)]
            for c in range(self.size["communities"])
        ]
        self.popular = [
            f"g-b-{c}-{k}" for c in range(min(50, self.size["communities"])) for k in (0, 1)
        ]

    @property
    def communities(self) -> int:
        return self.size["communities"]

    def issuers_of(self, community: int) -> tuple[int, int]:
        return issuers_for(self.size, community)

    def school_org(self, school: int) -> int:
        return self.size["issuers"] + school

    def company_org(self, company: int) -> int:
        return self.size["issuers"] + self.size["schools"] + company

    def team_org(self, team: int) -> int:
        classes = self.size["classes"]
        if team < classes:
            return self.school_org(team // CLASSES_PER_SCHOOL)
        return self.company_org((team - classes) // TEAMS_PER_COMPANY)

    def paths_of(self, community: int) -> tuple[str, str]:
        return (f"g-path-{community}-a", f"g-path-{community}-b")


def issuers_for(size: dict[str, int], community: int) -> tuple[int, int]:
    """Two issuing organisations in the community's skill area."""
    area, per_area, first = community % AREAS, size["issuers"] // AREAS, community // AREAS
    return (area + AREAS * (first % per_area), area + AREAS * ((first + 1) % per_area))


def _city(rng: random.Random) -> City:
    return rng.choices(CITIES, weights=WEIGHTS)[0]


def _skills() -> list[Skill]:
    found = []
    for area, ((area_pl, area_en), narrower) in enumerate(SKILLS):
        area_id = skill_id_for(skill_key({"pl": area_pl}))
        found.append(Skill(area_id, (area_pl, area_en), area, None))
        for pl, en in narrower:
            found.append(Skill(skill_id_for(skill_key({"pl": pl})), (pl, en), area, area_id))
    return found


def skill_index(area: int, narrower: int | None) -> int:
    """Index into World.skills: the area itself (None) or one of its six skills."""
    return area * (PER_AREA + 1) + (0 if narrower is None else 1 + narrower % PER_AREA)


def _organizations(rng: random.Random, size: dict[str, int]) -> list[Org]:
    orgs = []
    for j in range(size["issuers"]):
        area = j % AREAS
        kind = "SPORTS_CLUB" if area == SPORT else ISSUER_KINDS[(j // AREAS + area) % 7]
        city = _city(rng)
        orgs.append(Org(f"g-org-{j}", kind, _issuer_name(kind, j, city), city, area))
    for s in range(size["schools"]):
        city, kind = _city(rng), "UNIVERSITY" if s % 5 == 4 else "SCHOOL"
        names = (
            (f"Liceum nr {s + 1} – {city.name}", f"Secondary School No. {s + 1}, {city.name}")
            if kind == "SCHOOL"
            else (f"Uczelnia nr {s + 1} – {city.name}", f"University No. {s + 1}, {city.name}")
        )
        orgs.append(Org(f"g-school-{s}", kind, names, city, s % AREAS))
    for c in range(size["companies"]):
        city = _city(rng)
        name = f"Firma {c + 1} sp. z o.o. ({city.name})"
        orgs.append(Org(f"g-company-{c}", "COMPANY", (name, name), city, c % AREAS))
    return orgs


def _issuer_name(kind: str, j: int, city: City) -> tuple[str, str]:
    n, where = j + 1, city.name
    return {
        "TRAINING_PROVIDER": (f"Centrum Szkoleń {n} ({where})", f"Training Centre {n} ({where})"),
        "CERTIFYING_BODY": (f"Instytut Certyfikacji {n}", f"Certification Institute {n}"),
        "NGO": (f"Fundacja Kompetencji {n}", f"Skills Foundation {n}"),
        "UNIVERSITY": (f"Akademia Nauk Stosowanych {n} ({where})", f"University {n} ({where})"),
        "PUBLIC_BODY": (f"Urząd Miasta {where} ({n})", f"{where} City Hall ({n})"),
        "COMPANY": (f"Akademia Firmowa {n} sp. z o.o.", f"Corporate Academy {n} Ltd"),
        "SPORTS_CLUB": (f"Klub Sportowy {where} {n}", f"{where} Sports Club {n}"),
        "SCHOOL": (f"Szkoła Policealna nr {n} ({where})", f"Vocational School {n} ({where})"),
    }[kind]


def _badges(size: dict[str, int]) -> list[Badge]:
    badges = []
    for c in range(size["communities"]):
        area, issuers = c % AREAS, issuers_for(size, c)
        for k in range(CATALOGUE):
            skills = [skill_index(area, k * 5 + c)]
            if k % 3 == 1:
                skills.append(skill_index(area, k * 5 + c + 2))
            if k % 6 == 5:
                skills.append(skill_index(area, None))
            badges.append(Badge(f"g-b-{c}-{k}", c, k, issuers[k % 2], tuple(skills), _status(c, k)))
    return badges


def _status(community: int, level: int) -> str:
    if level == CATALOGUE - 1:
        return "DRAFT"
    if level == CATALOGUE - 2 and community % 3 == 0:
        return "ARCHIVED"
    return "PUBLISHED"


def _clubs(rng: random.Random, size: dict[str, int], cities: list[City]) -> list[Club]:
    clubs = []
    for j in range(size["clubs"]):
        community = j % size["communities"]
        area = community % AREAS
        (skill_pl, skill_en) = SKILLS[area][1][j % PER_AREA]
        city = cities[community] if rng.random() < 0.7 else _city(rng)
        names = (f"Klub: {skill_pl} ({city.name})", f"Club: {skill_en} ({city.name})")
        visibility = "MEMBERS" if j % 7 == 3 else "PUBLIC"
        policy = ("OPEN",) * 7 + ("APPROVAL",) * 2 + ("INVITE",)
        clubs.append(Club(f"g-club-{j}", community, names, city, visibility, policy[j % 10]))
    return clubs


def _events(rng: random.Random, world: World, options: Options) -> list[Event]:
    events = []
    for e in range(world.size["events"]):
        community = e % world.communities
        area = community % AREAS
        online = rng.random() < 0.2
        city = (
            None
            if online
            else (world.community_city[community] if rng.random() < 0.7 else _city(rng))
        )
        starts = options.now + timedelta(days=rng.randint(-60, 150), hours=rng.randint(-3, 6))
        skills = {skill_index(area, rng.randrange(PER_AREA)) for _ in range(rng.randint(1, 2))}
        badge = f"g-b-{community}-{e % 10}" if rng.random() < 0.3 else None
        capacity = None if rng.random() < 0.6 else rng.randint(20, 200)
        host = world.issuers_of(community)[e % 2]
        events.append(
            Event(
                f"g-event-{e}",
                community,
                host,
                city,
                starts,
                rng.choice([2, 3, 6, 8]),
                tuple(sorted(skills)),
                badge,
                capacity,
            )
        )
    return events
