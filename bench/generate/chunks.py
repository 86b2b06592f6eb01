"""Rows for one chunk of users: their nodes, then everything they do. Each chunk draws from
its own generator (seed, chunk start), so chunks can be made in any order."""

import math
import random
from datetime import datetime, timedelta

from bench.generate.places import CITIES, address
from bench.generate.population import (
    NONE,
    Chunk,
    Population,
    award_count,
    choose_badges,
    home,
    timeline,
    user_id,
)
from bench.generate.vocab import FIRST_NAMES, LAST_NAMES, feminine, handle
from bench.generate.world import (
    CATALOGUE,
    CLASS_SIZE,
    CLASSES_PER_SCHOOL,
    TEAM_SIZE,
    TEAMS_PER_COMPANY,
)

VISIBILITY = (["PUBLIC"] * 22) + ["CONTACTS", "PRIVATE"]
SECTION = (["PUBLIC"] * 18) + ["CONTACTS", "PRIVATE"]


def org_owner(pop: Population, org: int) -> int:
    """The user who owns (and awards for) an organisation: a school's first teacher, a
    company's first team leader, anyone for the other issuers."""
    world, users = pop.world, pop.world.options.users
    issuers, schools = world.size["issuers"], world.size["schools"]
    if org < issuers:
        return (org * 7919 + 13) % users
    if org < issuers + schools:
        return (org - issuers) * CLASSES_PER_SCHOOL * CLASS_SIZE
    company = org - issuers - schools
    return world.size["pupils"] + company * TEAMS_PER_COMPANY * TEAM_SIZE


def user_rows(pop: Population, start: int, end: int) -> list[dict]:
    rng = random.Random(f"{pop.world.options.seed}:users:{start}")
    now, rows = pop.world.options.now, []
    for i in range(start, end):
        female = rng.random() < 0.5
        first = rng.choice(FIRST_NAMES[:20] if female else FIRST_NAMES[20:])
        last = rng.choice(LAST_NAMES)
        last = feminine(last) if female else last
        row = {
            "id": user_id(i),
            "handle": handle(first, last, i),
            "displayName": f"{first} {last}",
            "createdAt": now - timedelta(days=rng.randint(30, 1200)),
            "locale": "pl" if rng.random() < 0.9 else "en",
            "visibility": rng.choice(VISIBILITY),
            "awardsVisibility": rng.choice(SECTION),
            "skillsVisibility": rng.choice(SECTION),
        }
        city = CITIES[pop.city[i]]
        place = home(rng, city)
        if place is not None:
            row |= {
                "homeLatitude": place[0],
                "homeLongitude": place[1],
                "homeAddress": address(rng, city),
            }
        rows.append(row)
    return rows


def edge_rows(pop: Population, start: int, end: int) -> Chunk:
    rng = random.Random(f"{pop.world.options.seed}:edges:{start}")
    chunk = Chunk()
    for i in range(start, end):
        _memberships(pop, rng, i, chunk)
        _awards(pop, rng, i, chunk)
        _social(pop, rng, i, chunk)
        _interests(pop, rng, i, chunk)
    return chunk


def _since(rng: random.Random, now: datetime) -> datetime:
    return now - timedelta(days=rng.randint(1, 700), seconds=rng.randint(0, 86399))


def _memberships(pop: Population, rng: random.Random, i: int, chunk: Chunk) -> None:
    now, team = pop.world.options.now, pop.team[i]
    if team != NONE:
        is_class = team < pop.world.size["classes"]
        first = i % CLASS_SIZE == 0 if is_class else (i - pop.world.size["pupils"]) % TEAM_SIZE == 0
        role = (
            ("TEACHER" if first else "STUDENT") if is_class else ("LEADER" if first else "MEMBER")
        )
        chunk.team_members.append(
            {"user": user_id(i), "team": f"g-team-{team}", "role": role, "since": _since(rng, now)}
        )
    for slot in (0, 1):
        club = pop.clubs[slot][i]
        if club != NONE:
            role = "OWNER" if pop.owner_of_club(club) == i else "MEMBER"
            chunk.club_members.append(
                {
                    "user": user_id(i),
                    "club": f"g-club-{club}",
                    "role": role,
                    "since": _since(rng, now),
                }
            )


def _awards(pop: Population, rng: random.Random, i: int, chunk: Chunk) -> None:
    world = pop.world
    count = award_count(rng, world.options.awards_per_user)
    chosen = choose_badges(rng, world, pop.community[i], pop.second[i], count)
    times = timeline(rng, world.options.now, len(chosen))
    hidden = 0
    if world.options.holdout > 0 and len(chosen) >= 5:
        hidden = math.ceil(world.options.holdout * len(chosen))
    for n, ((badge, _), at) in enumerate(zip(chosen, times, strict=True)):
        community, level = (int(part) for part in badge.split("-")[2:4])
        org = world.badges[community * CATALOGUE + level].org
        by = org_owner(pop, org)
        if by == i:
            continue
        row = {
            "id": f"g-award-{i}-{n}",
            "user": user_id(i),
            "badge": badge,
            "by": user_id(by),
            "at": at,
            "revokedAt": None,
        }
        if n >= len(chosen) - hidden:
            chunk.held_out.append(row)
            continue
        if rng.random() < 0.01:
            row["revokedAt"] = at + timedelta(days=30)
        chunk.awards.append(row)
    _peer_awards(pop, rng, i, chunk)


def _peer_awards(pop: Population, rng: random.Random, i: int, chunk: Chunk) -> None:
    for slot in (0, 1):
        club = pop.clubs[slot][i]
        owner = pop.owner_of_club(club) if club != NONE else NONE
        if club == NONE or owner == i or rng.random() > 0.12:
            continue
        badge = f"g-pb-{club}-{rng.randrange(2)}"
        at = pop.world.options.now - timedelta(days=rng.randint(1, 300))
        chunk.awards.append(
            {
                "id": f"g-peer-{i}-{slot}",
                "user": user_id(i),
                "badge": badge,
                "by": user_id(owner),
                "at": at,
                "revokedAt": None,
            }
        )


def _team_range(pop: Population, i: int) -> range | None:
    team, size = pop.team[i], pop.world.size
    if team == NONE:
        return None
    if team < size["classes"]:
        return range(team * CLASS_SIZE, min((team + 1) * CLASS_SIZE, size["pupils"]))
    first = size["pupils"] + (team - size["classes"]) * TEAM_SIZE
    return range(first, min(first + TEAM_SIZE, size["pupils"] + size["employees"]))


def _someone(pop: Population, rng: random.Random, i: int) -> int:
    """Mostly a classmate or teammate, else someone of the same community, else anyone."""
    roll, mates = rng.random(), _team_range(pop, i)
    if mates is not None and roll < 0.5:
        return rng.choice(mates)
    members = pop.members[pop.community[i]]
    if roll < 0.85 and len(members) > 1:
        return members[rng.randrange(len(members))]
    return rng.randrange(pop.world.options.users)


def _social(pop: Population, rng: random.Random, i: int, chunk: Chunk) -> None:
    now = pop.world.options.now
    follows = {_someone(pop, rng, i) for _ in range(rng.choice([0, 1, 2, 3, 4, 5, 6, 8]))}
    for j in follows - {i}:
        chunk.follows.append({"a": user_id(i), "b": user_id(j), "at": _since(rng, now)})
    # Contacts go from the lower index to the higher, so a pair is written once.
    contacts = {_someone(pop, rng, i) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))}
    for j in sorted(j for j in contacts if j > i):
        chunk.contacts.append({"a": user_id(i), "b": user_id(j), "at": _since(rng, now)})
    if rng.random() < 0.003:
        j = rng.randrange(pop.world.options.users)
        if j != i:
            chunk.blocks.append({"a": user_id(i), "b": user_id(j), "at": _since(rng, now)})


def _interests(pop: Population, rng: random.Random, i: int, chunk: Chunk) -> None:
    now, community = pop.world.options.now, pop.community[i]
    if rng.random() < 0.25:
        path = rng.choice(pop.world.paths_of(community))
        chunk.path_follows.append({"user": user_id(i), "path": path, "at": _since(rng, now)})
    team_path = pop.team_paths.get(pop.team[i])
    if team_path is not None and rng.random() < 0.5:
        chunk.path_follows.append({"user": user_id(i), "path": team_path, "at": _since(rng, now)})
    events = pop.events_of[community]
    if events and rng.random() < 0.15:
        event = pop.world.events[rng.choice(events)]
        at = min(now, event.starts) - timedelta(days=rng.randint(1, 20))
        chunk.attends.append({"user": user_id(i), "event": event.id, "at": at})
