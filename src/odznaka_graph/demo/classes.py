"""A demo class with a running challenge: a teacher, three pupils, points on the board (some
given by the teacher by hand)."""

from datetime import timedelta

import sqlalchemy as sa

from odznaka_graph.clock import now
from odznaka_graph.ledger.tables import badges, organization_staff
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer

TEACHER = "ewa.szymanska"
PUPILS = ["ania.nowak", "piotr.wisniewski", "kasia.zielinska"]
PROJECT_BADGE = "Szkolny projekt społeczny"


async def load_class(services: Services, people: dict[str, Viewer]) -> tuple[str, str]:
    """Class 3b of the school, a two-week points challenge, and two pupils who meet it;
    the class's and the school's ids."""
    teacher = people[TEACHER]
    org_id, badge_ids = await _school(services, teacher)
    name = {"pl": "Klasa 3b", "en": "Class 3b"}
    team_id = await services.teams.create(
        teacher, {"organization_id": org_id, "name": name, "kind": "CLASS"}
    )
    for handle in PUPILS:
        member = {"team_id": team_id, "user_id": people[handle].id, "role": "STUDENT"}
        await services.teams.add_member(teacher, member)
    await services.challenges.create(
        teacher,
        {
            "team_id": team_id,
            "title": "Tydzień działania społecznego",
            "description": "Zdobądź 50 punktów w dwa tygodnie: projekt społeczny się liczy.",
            "goal": {"kind": "POINTS", "points": 50},
            "ends_at": now() + timedelta(days=14),
            "reward_points": 20,
            "idempotency_key": "demo-3b-week",
        },
    )
    for handle in PUPILS[:2]:
        request = {"badge_id": badge_ids[PROJECT_BADGE], "recipient_id": people[handle].id}
        await services.awards.award(teacher, request)
    points = {"team_id": team_id, "everyone": True, "amount": 5, "idempotency_key": "demo-3b"}
    await services.teacher_points.give(teacher, points | {"note": "Udział w debacie klasowej"})
    return team_id, org_id


async def _school(services: Services, teacher: Viewer) -> tuple[str, dict[str, str]]:
    """The school the teacher owns, and its badges by Polish name."""
    async with services.stores.ledger.reading() as conn:
        org_id = (
            await conn.execute(
                sa.select(organization_staff.c.organization_id).where(
                    organization_staff.c.account_id == teacher.id,
                    organization_staff.c.role == "OWNER",
                )
            )
        ).scalar_one()
        rows = await conn.execute(
            sa.select(badges.c.id, badges.c.content).where(badges.c.organization_id == org_id)
        )
        return org_id, {row.content["name"]["pl"]: row.id for row in rows}
