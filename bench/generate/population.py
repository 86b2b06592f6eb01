"""The people of a generated world: who is in which class, team, community and club (decided
up front for everyone, a few numbers per person), and then, chunk by chunk, their profiles,
credentials over time, follows, contacts, blocks, followed paths and events.

Users 0..pupils-1 are pupils (25 to a class), the next `employees` work in business teams
(10 to a team), the rest belong to no team. Everything is drawn from random generators
seeded by the run's seed and the chunk, so the same options give the same world.
"""

import math
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.generate.places import CITIES, REGIONS, WEIGHTS, City, jitter
from bench.generate.world import (
    CATALOGUE,
    CLASS_SIZE,
    PUBLISHED_UP_TO,
    TEAM_SIZE,
    World,
)

NONE = -1
MAX_AWARDS = 60
CITY_INDEX = {id(city): i for i, city in enumerate(CITIES)}


@dataclass
class Chunk:
    """Rows for one range of users, by the statement that writes them."""

    users: list[dict] = field(default_factory=list)
    team_members: list[dict] = field(default_factory=list)
    club_members: list[dict] = field(default_factory=list)
    awards: list[dict] = field(default_factory=list)
    held_out: list[dict] = field(default_factory=list)
    follows: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    path_follows: list[dict] = field(default_factory=list)
    attends: list[dict] = field(default_factory=list)


def user_id(index: int) -> str:
    return f"g-user-{index}"


def email(index: int) -> str:
    return f"user{index}@bench.odznaka.pl"


class Population:
    def __init__(self, world: World) -> None:
        self.world = world
        size, users = world.size, world.options.users
        rng = random.Random(f"{world.options.seed}:people")
        self.team = array("i", [NONE]) * users
        self.city = array("h", [0]) * users
        self.community = array("i", [0]) * users
        self.second = array("i", [NONE]) * users
        self.clubs = [array("i", [NONE]) * users, array("i", [NONE]) * users]
        self.club_owner = array("i", [NONE]) * size["clubs"]
        self.team_community = [rng.randrange(world.communities) for _ in range(self._teams())]
        by_region: dict[str, list[int]] = {region: [] for region in REGIONS}
        for c, city in enumerate(world.community_city):
            by_region[city.region].append(c)
        clubs_of: list[list[int]] = [[] for _ in range(world.communities)]
        for j, club in enumerate(world.clubs):
            clubs_of[club.community].append(j)
        for i in range(users):
            self._place(rng, i, by_region, clubs_of)
        self.members = self._members()
        self.events_of: list[list[int]] = [[] for _ in range(world.communities)]
        for e, event in enumerate(world.events):
            self.events_of[event.community].append(e)
        self.team_paths = {t: f"g-teampath-{t}" for t in range(0, size["classes"], 5)}

    def _teams(self) -> int:
        return self.world.size["classes"] + self.world.size["teams"]

    def _place(
        self, rng: random.Random, i: int, by_region: dict[str, list[int]], clubs: list[list[int]]
    ) -> None:
        size, world = self.world.size, self.world
        team = NONE
        if i < size["pupils"]:
            team = i // CLASS_SIZE
        elif i < size["pupils"] + size["employees"]:
            team = size["classes"] + (i - size["pupils"]) // TEAM_SIZE
        self.team[i] = team
        city = world.orgs[world.team_org(team)].city if team != NONE else _city(rng)
        self.city[i] = CITY_INDEX[id(city)]
        if team != NONE and rng.random() < 0.45:
            community = self.team_community[team]
        elif by_region[city.region] and rng.random() < 0.6:
            community = rng.choice(by_region[city.region])
        else:
            community = rng.randrange(world.communities)
        self.community[i] = community
        if rng.random() < 0.4:
            self.second[i] = rng.randrange(world.communities)
        if clubs[community] and rng.random() < 0.5:
            self._join(i, 0, rng.choice(clubs[community]))
        if rng.random() < 0.15:
            self._join(i, 1, rng.randrange(len(world.clubs)))

    def _join(self, i: int, slot: int, club: int) -> None:
        if slot == 1 and self.clubs[0][i] == club:
            return
        self.clubs[slot][i] = club
        if self.club_owner[club] == NONE:
            self.club_owner[club] = i

    def _members(self) -> list[array]:
        members = [array("i") for _ in range(self.world.communities)]
        for i, community in enumerate(self.community):
            members[community].append(i)
        return members

    def owner_of_club(self, club: int) -> int:
        owner = self.club_owner[club]
        return owner if owner != NONE else club % self.world.options.users

    def chunks(self, size: int) -> Iterator[tuple[int, int]]:
        users = self.world.options.users
        for start in range(0, users, size):
            yield start, min(start + size, users)


def _city(rng: random.Random) -> City:
    return rng.choices(CITIES, weights=WEIGHTS)[0]


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Cumulative weights for rng.choices: the first items far more likely."""
    total, cumulative = 0.0, []
    for rank in range(count):
        total += 1.0 / (rank + 1) ** exponent
        cumulative.append(total)
    return cumulative


CATALOGUE_WEIGHTS = zipf_weights(PUBLISHED_UP_TO, 0.8)
POPULAR_WEIGHTS = zipf_weights(100, 1.0)


def award_count(rng: random.Random, mean: float) -> int:
    """Log-normal around `mean`: most people hold a few credentials, some hold many."""
    if mean <= 0:
        return 0
    sigma = 0.8
    mu = math.log(mean) - sigma * sigma / 2
    return min(MAX_AWARDS, int(rng.lognormvariate(mu, sigma) + 0.5))


def choose_badges(rng: random.Random, world: World, own: int, second: int, count: int) -> list:
    """(badge id, order key) pairs: mostly the own community's catalogue (earned roughly in
    its order), some from a second interest, some of the nationally popular badges."""
    chosen: dict[str, float] = {}
    for _ in range(count * 3):
        if len(chosen) >= count:
            break
        roll = rng.random()
        if roll < 0.82:
            community = own if roll < 0.72 or second == NONE else second
            level = rng.choices(range(PUBLISHED_UP_TO), cum_weights=CATALOGUE_WEIGHTS)[0]
            badge = f"g-b-{community}-{level}"
            key = level + rng.gauss(0, 2.0)
        else:
            popular = world.popular
            badge = rng.choices(popular, cum_weights=POPULAR_WEIGHTS[: len(popular)])[0]
            key = rng.uniform(0, CATALOGUE)
        chosen.setdefault(badge, key)
    return sorted(chosen.items(), key=lambda item: item[1])


def timeline(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    """Award times over up to three years, oldest first."""
    start = now - timedelta(days=rng.randint(60, 1100))
    span = (now - start).total_seconds() - 86400
    return sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))


def home(rng: random.Random, city: City) -> tuple[float, float] | None:
    return jitter(rng, city, 8.0) if rng.random() < 0.75 else None
