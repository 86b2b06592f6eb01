"""The demo's houses and quest (issue 15): class 3b competes in two houses; class 1a has a
two-step quest (the second challenge unlocks when the first is completed)."""

from datetime import timedelta

from odznaka_graph.clock import now
from odznaka_graph.demo.classes import PUPILS
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer

HOUSES = {"Sowy": ("#2E86C1", PUPILS[0::2]), "Orły": ("#C0392B", PUPILS[1::2])}


async def load_houses(
    services: Services, teacher: Viewer, people: dict[str, Viewer], team_id: str
) -> None:
    """Two houses in class 3b, its pupils shared between them."""
    for name, (colour, handles) in HOUSES.items():
        house = {"team_id": team_id, "name": name, "colour": colour}
        house_id = await services.houses.create(teacher, house)
        members = [people[handle].id or "" for handle in handles]
        await services.houses.assign(
            teacher, {"team_id": team_id, "house_id": house_id, "user_ids": members}
        )


async def load_quest(services: Services, teacher: Viewer, team_id: str) -> None:
    """Two steps in class 1a: the second opens for a pupil once they complete the first."""
    common = {"team_id": team_id, "ends_at": now() + timedelta(days=30), "reward_points": 10}
    first = await services.challenges.create(
        teacher,
        common
        | {
            "title": "Etap 1: pierwsze kroki",
            "goal": {"kind": "POINTS", "points": 10},
            "idempotency_key": "demo-1a-quest-1",
        },
    )
    await services.challenges.create(
        teacher,
        common
        | {
            "title": "Etap 2: projekt klasowy",
            "description": "Odblokowuje się po etapie 1.",
            "goal": {"kind": "POINTS", "points": 30},
            "requires": {"challenge_id": first},
            "idempotency_key": "demo-1a-quest-2",
        },
    )
