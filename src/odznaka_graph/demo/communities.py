"""The demo's communities (issue 15): public paths the demo learners follow with progress,
class 3b's private path, an open and a members-only club with peer badges (one award
given, nominations still waiting for vouches), class 3b's private event running now with
self check-in inside a geofence, class 1a enrolled from a roster without e-mail
addresses, half of it signed in with their slips, and the school's plain badge (no review)
with a learner's request for it waiting."""

import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from odznaka_graph.clock import now
from odznaka_graph.demo.quests import load_houses, load_quest
from odznaka_graph.ledger import issuers
from odznaka_graph.ledger.tables import badges
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "communities.json"
PUPIL_PASSWORD = "odznaka-demo-2026"


async def load_communities(
    services: Services, people: dict[str, Viewer], class_3b: str, school_id: str
) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    badge_ids = await _badges(services)
    for path in data["public_paths"]:
        owner = people[path["owner"]]
        org_id = await _organization_of(services, owner)
        await _path(services, owner, {"organization_id": org_id}, path, badge_ids, people)
    teacher = people[data["roster_class"]["teacher"]]
    team = {"team_id": class_3b}
    await _path(services, teacher, team, data["class_path"], badge_ids, people)
    await _class_event(services, data["class_event"], teacher, class_3b, people)
    for club in data["clubs"]:
        await _club(services, club, people)
    class_1a = await _roster_class(services, data["roster_class"], teacher, school_id)
    await load_houses(services, teacher, people, class_3b)  # houses and a quest (issue 15)
    await load_quest(services, teacher, class_1a)
    await _plain_badge(services, data["plain_badge"], people, school_id)


async def _plain_badge(
    services: Services, plain: dict[str, Any], people: dict[str, Viewer], school_id: str
) -> None:
    """A plain school badge (kind BADGE: no review), and a learner's request for it that
    waits for the school's staff."""
    owner = people[plain["owner"]]
    badge_id = await services.badges.create(owner, school_id, plain["content"], kind="BADGE")
    await services.badges.publish(owner, badge_id)
    request = plain["request"]
    asked = {k: request[k] for k in ("narrative", "link")} | {"badge_id": badge_id}
    await services.badge_requests.request(people[request["by"]], asked)


async def _badges(services: Services) -> dict[str, str]:
    """Every published badge's id by its Polish name."""
    async with services.stores.ledger.reading() as conn:
        rows = await conn.execute(sa.select(badges.c.id, badges.c.content))
        return {row.content["name"]["pl"]: row.id for row in rows}


async def _organization_of(services: Services, owner: Viewer) -> str:
    async with services.stores.ledger.reading() as conn:
        roles = await issuers.roles_of(conn, owner.id or "")
    return next(org_id for org_id, role in roles.items() if role == "OWNER")


async def _path(
    services: Services,
    owner: Viewer,
    owning: dict[str, str],
    path: dict[str, Any],
    badge_ids: dict[str, str],
    people: dict[str, Viewer],
) -> None:
    steps = [
        {"key": s["key"], "badge_id": badge_ids[s["badge"]], "prerequisites": s.get("after", [])}
        for s in path["steps"]
    ]
    content = {"title": path["title"], "description": path["description"], "steps": steps}
    path_id = await services.paths.create(owner, owning | content)
    for handle in path["followers"]:
        await services.paths.follow(people[handle], path_id)


async def _club(services: Services, club: dict[str, Any], people: dict[str, Viewer]) -> None:
    owner = people[club["owner"]]
    fields = ("name", "description", "join_policy", "visibility", "vouch_threshold")
    club_id = await services.clubs.create(owner, {k: club[k] for k in fields})
    for handle in club["members"]:
        if club["join_policy"] == "INVITE":
            invite = {"club_id": club_id, "user_id": people[handle].id}
            await services.clubs.invite(owner, invite)
        await services.clubs.join(people[handle], club_id)
    for badge in club["badges"]:
        content = {k: badge[k] for k in ("name", "description", "criteria")}
        badge_id = await services.peer_awards.create_badge(
            owner, content | {"club_id": club_id, "image_url": badge["image"]}
        )
        for nomination in badge["nominations"]:
            await _nomination(services, badge_id, nomination, people)


async def _nomination(
    services: Services, badge_id: str, nomination: dict[str, Any], people: dict[str, Viewer]
) -> None:
    request = {
        "badge_id": badge_id,
        "nominee_id": people[nomination["nominee"]].id,
        "reason": nomination["reason"],
    }
    nomination_id = await services.peer_awards.nominate(people[nomination["by"]], request)
    for handle in nomination["vouches"]:
        await services.peer_awards.vouch(people[handle], {"nomination_id": nomination_id})


async def _class_event(
    services: Services,
    event: dict[str, Any],
    teacher: Viewer,
    team_id: str,
    people: dict[str, Viewer],
) -> None:
    """Class 3b's own event, on now: its teacher shows the check-in code (the class's
    members see the event; nobody else does)."""
    starts = now() - timedelta(minutes=event["started_minutes_ago"])
    fields = {k: event[k] for k in ("title", "description", "place", "geofence_metres")}
    event_id = await services.events.create(
        teacher,
        fields
        | {"host_id": team_id, "host_type": "Team", "starts_at": starts}
        | {"ends_at": starts + timedelta(hours=event["hours"])},
    )
    for handle in event["attendees"]:
        await services.events.attend(people[handle], event_id)


async def _roster_class(
    services: Services, roster: dict[str, Any], teacher: Viewer, school_id: str
) -> str:
    """Class 1a: pupils enrolled without e-mail; the first ones redeemed their slips."""
    team_id = await services.teams.create(
        teacher, {"organization_id": school_id, "name": roster["name"], "kind": "CLASS"}
    )
    enrol = {"team_id": team_id, "age_band": roster["age_band"], "pupils": roster["pupils"]}
    _, slips = await services.pupils.enrol(teacher, enrol)
    for slip in slips[: roster["signed_in"]]:
        redeem = {"code": slip.code, "password": PUPIL_PASSWORD}
        await services.pupils.redeem(redeem, client=None, device="demo")
    handles = ", ".join(slip.handle for slip in slips[: roster["signed_in"]])
    log.info("demo pupils signed in", extra={"fields": {"handles": handles}})
    return team_id
