"""Graph rows for the fixed part of a world (skills, organisations, badges, teams, clubs, peer
badges, paths, events), in the shapes the API's own writes give them: badge properties come
from graph_model.badges.badge_props over a BadgeContent, events from event_props, clubs
from club_props, so the generated graph reads like a real one."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bench.generate.chunks import org_owner
from bench.generate.places import address
from bench.generate.population import Population
from bench.generate.vocab import LEVELS
from bench.generate.world import CATALOGUE, CLASSES_PER_SCHOOL, PUBLISHED_UP_TO, Badge, World
from odznaka_graph.graph_model.badges import badge_props
from odznaka_graph.graph_model.clubs import club_props
from odznaka_graph.graph_model.events import event_props
from odznaka_graph.graph_model.skills import skill_key
from odznaka_graph.graph_model.texts import flatten
from odznaka_graph.services.teams import CODE_ALPHABET, CODE_LENGTH
from odznaka_graph.standard import BadgeContent

FORMS = ["ONLINE", "ON_SITE", "HYBRID"]
CODES = len(CODE_ALPHABET) ** CODE_LENGTH


def pl_en(pair: tuple[str, str]) -> dict[str, str]:
    return {"pl": pair[0], "en": pair[1]}


def skill_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "props": flatten({"name": pl_en(s.names)})
            | {
                "id": s.id,
                "key": skill_key({"pl": s.names[0]}),
                "searchText": " ".join(s.names).lower(),
            },
            "broader": s.broader,
        }
        for s in world.skills
    ]


def org_rows(world: World) -> list[dict[str, Any]]:
    at = world.options.now - timedelta(days=1500)
    return [
        {
            "props": flatten({"name": pl_en(org.names), "description": {}})
            | {
                "id": org.id,
                "kind": org.kind,
                "verification": "VERIFIED",
                "website": None,
                "createdAt": at,
                "agreementAcceptedAt": at,
            },
        }
        for org in world.orgs
    ]


def staff_rows(pop: Population) -> list[dict[str, Any]]:
    from bench.generate.population import user_id

    return [
        {"user": user_id(org_owner(pop, j)), "org": org.id, "role": "OWNER"}
        for j, org in enumerate(pop.world.orgs)
    ]


def badge_content(world: World, badge: Badge) -> dict[str, Any]:
    level_pl, level_en = LEVELS[badge.level % len(LEVELS)]
    main = world.skills[badge.skills[0]]
    org = world.orgs[badge.org]
    where = world.community_city[badge.community].name
    outcomes = [
        {
            "skill_name": pl_en(world.skills[s].names),
            "description": {
                "pl": f"Stosuje w praktyce: {world.skills[s].names[0].lower()}.",
                "en": f"Applies {world.skills[s].names[1].lower()} in practice.",
            },
            "check_criteria": {"pl": ["Wykonuje zadanie praktyczne."], "en": ["Does a task."]},
        }
        for s in badge.skills
    ]
    return {
        "name": {
            "pl": f"{level_pl}: {main.names[0]} ({where})",
            "en": f"{level_en}: {main.names[1]} ({where})",
        },
        "description": {
            "pl": f"Potwierdza umiejętności z obszaru {main.names[0]}; wydaje {org.names[0]}.",
            "en": f"Confirms skills in {main.names[1]}; issued by {org.names[1]}.",
        },
        "image_url": f"https://img.bench.odznaka.pl/{badge.id}.png",
        "outcomes": outcomes,
        "assessment": {"pl": "Zadanie praktyczne.", "en": "A practical task."},
        "identity_verification": ["EMAIL_VERIFICATION"],
        "workload_hours": float(4 + 4 * badge.level),
        "form": FORMS[(badge.community + badge.level) % 3],
        "how_to_obtain": {"pl": "Ukończ kurs.", "en": "Finish the course."},
        "quality_assurance": {"pl": "Program recenzowany.", "en": "Reviewed programme."},
        "tags": [main.names[0].split()[0].lower(), f"poziom-{1 + badge.level // 4}"],
        "cost": {"kind": "FREE"} if badge.level % 3 else {"kind": "CONTACT_ISSUER"},
        "eqf_level": 2 + badge.level // 4,
    }


def _published(row: dict[str, Any], at: Any, status: str, public: bool) -> dict[str, Any]:
    row["props"] |= {"createdAt": at, "updatedAt": at, "status": status}
    if status in ("PUBLISHED", "ARCHIVED"):
        row["props"]["publishedAt"] = at
    if public and status == "PUBLISHED":
        ms = int(at.timestamp() * 1000)
        row["props"] |= {"publishedMs": ms, "publishedKey": f"{ms:015d}:{row['props']['id']}"}
    row["public"] = public and status == "PUBLISHED"
    return row


def badge_rows(world: World) -> Iterator[dict[str, Any]]:
    """Badges with their outcomes; `content` is what the ledger keeps."""
    for n, badge in enumerate(world.badges):
        content = badge_content(world, badge)
        model = BadgeContent.model_validate(content)
        props = badge_props(model, "MICROCREDENTIAL") | {"id": badge.id, "holders": 0}
        at = world.options.now - timedelta(days=900 - (n % 800), minutes=n)
        row = {
            "props": props,
            "org": world.orgs[badge.org].id,
            "content": model.model_dump(mode="json", exclude_none=True),
            "skills": _outcomes(world, badge, content),
        }
        yield _published(row, at, badge.status, public=True)


def _outcomes(world: World, badge: Badge, content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": world.skills[s].id,
            "props": flatten({"description": outcome["description"]})
            | {
                "position": position,
                **{f"criteria_{k}": v for k, v in outcome["check_criteria"].items()},
            },
        }
        for position, (s, outcome) in enumerate(zip(badge.skills, content["outcomes"], strict=True))
    ]


def team_rows(world: World, pop: Population) -> Iterator[dict[str, Any]]:
    classes = world.size["classes"]
    for t in range(classes + world.size["teams"]):
        is_class = t < classes
        grade, letter = 1 + (t % CLASSES_PER_SCHOOL) // 2, "abcd"[t % 2 + (t // 16) % 2 * 2]
        names = (
            {"pl": f"Klasa {grade}{letter}", "en": f"Class {grade}{letter}"}
            if is_class
            else {"pl": f"Zespół {t - classes + 1}", "en": f"Team {t - classes + 1}"}
        )
        code = _code(t)
        yield {
            "org": world.orgs[world.team_org(t)].id,
            "props": flatten({"name": names})
            | {
                "id": f"g-team-{t}",
                "kind": "CLASS" if is_class else "BUSINESS_TEAM",
                "code": code,
                "createdAt": world.options.now - timedelta(days=400),
            },
        }


def _code(index: int) -> str:
    """Distinct six-character class codes: index × a number coprime to 31⁶, in base 31."""
    value, digits = (index * 1_000_003 + 12_345) % CODES, []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[digit])
    return "".join(digits)


def club_rows(world: World) -> list[dict[str, Any]]:
    at = world.options.now - timedelta(days=500)
    return [
        {
            "props": club_props(
                {
                    "id": club.id,
                    "name": pl_en(club.names),
                    "description": {"pl": "Spotykamy się co tydzień.", "en": "We meet weekly."},
                    "join_policy": club.join_policy,
                    "visibility": club.visibility,
                    "vouch_threshold": 1,
                    "daily_peer_award_limit": 5,
                    "created_at": at,
                    "created_by": "g-user-0",
                }
            )
        }
        for club in world.clubs
    ]


def peer_badge_rows(world: World, pop: Population) -> Iterator[dict[str, Any]]:
    at = world.options.now - timedelta(days=400)
    for j, club in enumerate(world.clubs):
        public = club.visibility == "PUBLIC"
        for k in range(2):
            name = {
                "pl": f"Odznaka klubowa {k + 1}: {club.names[0]}",
                "en": f"Club badge {k + 1}: {club.names[1]}",
            }
            model = BadgeContent.model_validate(
                {
                    "name": name,
                    "description": {"pl": "Za zaangażowanie w klubie.", "en": "For commitment."},
                    "image_url": f"https://img.bench.odznaka.pl/g-pb-{j}-{k}.png",
                    "other_conditions": {
                        "pl": "Według członków klubu.",
                        "en": "As members see it.",
                    },
                }
            )
            props = badge_props(model, "PEER") | {
                "id": f"g-pb-{j}-{k}",
                "visibility": "PUBLIC" if public else "CLUB",
                "clubId": club.id,
                "holders": 0,
            }
            row = {
                "props": props,
                "club": club.id,
                "content": model.model_dump(mode="json", exclude_none=True),
            }
            yield _published(row, at, "PUBLISHED", public)


@dataclass(frozen=True)
class PathSpec:
    id: str
    org: str
    team: str | None
    title: tuple[str, str]
    community: int
    steps: list[tuple[int, bool, list[str]]]  # (catalogue level, required, prerequisites)
    groups: list[tuple[str, int]] = field(default_factory=list)


def path_rows(world: World, pop: Population) -> Iterator[dict[str, Any]]:
    """Two public paths per community (basic with a prerequisite, advanced with electives),
    and a private path for every fifth class."""
    at = world.options.now - timedelta(days=300)
    for c in range(world.communities):
        first, second = world.paths_of(c)
        issuer = world.orgs[world.issuers_of(c)[0]].id
        pl, en = world.skills[world.badges[c * CATALOGUE].skills[0]].names
        basic = [(k, True, ["s0"] if k == 1 else []) for k in range(5)]
        yield _path(PathSpec(first, issuer, None, (f"Ścieżka: {pl}", f"Path: {en}"), c, basic), at)
        advanced = [(k, True, []) for k in (6, 7, 8)] + [(k, False, []) for k in (9, 10, 11)]
        title = (f"Ścieżka zaawansowana: {pl}", f"Advanced path: {en}")
        yield _path(PathSpec(second, issuer, None, title, c, advanced, [("electives", 2)]), at)
    for t, path_id in pop.team_paths.items():
        org, title = (
            world.orgs[world.team_org(t)].id,
            (f"Ścieżka klasy {t + 1}", f"Class path {t + 1}"),
        )
        steps = [(k, True, []) for k in (2, 3, 4)]
        yield _path(PathSpec(path_id, org, f"g-team-{t}", title, pop.team_community[t], steps), at)


def _path(spec: PathSpec, at: datetime) -> dict[str, Any]:
    assert all(level < PUBLISHED_UP_TO for level, _, _ in spec.steps)
    texts = {"title": {"pl": spec.title[0], "en": spec.title[1]}, "description": {}}
    props = flatten(texts) | {
        "id": spec.id,
        "visibility": "TEAM" if spec.team else "PUBLIC",
        "groupKeys": [key for key, _ in spec.groups],
        "groupMinimums": [minimum for _, minimum in spec.groups],
        "searchText": " ".join(spec.title).lower(),
        "createdAt": at,
        "createdMs": int(at.timestamp() * 1000),
        "updatedAt": at,
        "createdBy": "g-user-0",
    }
    steps = [
        {
            "badge": f"g-b-{spec.community}-{level}",
            "props": {
                "key": f"s{n}",
                "position": n,
                "required": required,
                "group": None if required else "electives",
                "prerequisites": prerequisites,
            },
        }
        for n, (level, required, prerequisites) in enumerate(spec.steps)
    ]
    return {"org": spec.org, "team": spec.team, "props": props, "steps": steps}


def event_rows(world: World) -> Iterator[dict[str, Any]]:
    import random

    rng = random.Random(f"{world.options.seed}:event-places")
    for event in world.events:
        city = event.city
        place = None
        if city is not None:
            lat, lon = (
                city.latitude + rng.uniform(-0.05, 0.05),
                city.longitude + rng.uniform(-0.08, 0.08),
            )
            place = {"latitude": lat, "longitude": lon, "address": address(rng, city)}
        (area_pl, area_en) = world.skills[event.skills[0]].names
        props = event_props(
            {
                "id": event.id,
                "title": {"pl": f"Warsztaty: {area_pl}", "en": f"Workshop: {area_en}"},
                "description": {"pl": "Zajęcia praktyczne.", "en": "Hands-on session."},
                "starts_at": event.starts,
                "ends_at": event.starts + timedelta(hours=event.hours),
                "online_url": "https://meet.bench.odznaka.pl/" + event.id if city is None else None,
                "place": place,
                "capacity": event.capacity,
                "created_at": event.starts - timedelta(days=30),
                "created_by": "g-user-0",
            }
        )
        yield {
            "host": world.orgs[event.host].id,
            "props": props,
            "place": place,
            "skills": [world.skills[s].id for s in event.skills],
            "badge": event.badge,
        }
