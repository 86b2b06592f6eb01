"""Loads demo/data.json through the same services the API uses, once."""

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

from odznaka_graph.clock import now
from odznaka_graph.demo.classes import load_class
from odznaka_graph.demo.communities import load_communities
from odznaka_graph.demo.events import load_events
from odznaka_graph.ledger import accounts
from odznaka_graph.services.registry import Services
from odznaka_graph.services.tokens import Viewer

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data.json"
DEMO_PASSWORD = "odznaka-demo-2026"


async def load_demo(services: Services, data_file: Path = DATA, today: date | None = None) -> bool:
    """Load the demo set unless its first user exists; True when it loaded now. Events are
    dated relative to `today` (the clock's day unless given)."""
    data = _read(data_file)
    async with services.stores.ledger.reading() as conn:
        if await accounts.account_by_email(conn, data["users"][0]["email"]) is not None:
            return False
    # People, issuers, badges and awards (most of the writes) in bulk: they check what
    # they need in the SQL store; what follows reads the graph, so it waits as usual.
    async with services.stores.in_bulk():
        people = {user["handle"]: await _user(services, user) for user in data["users"]}
        reviewer = next(people[u["handle"]] for u in data["users"] if u.get("reviewer"))
        for org in data["organizations"]:
            await _organization(services, org, people, reviewer)
    await load_events(services, data["organizations"], people, today or now().date())
    class_3b, school_id = await load_class(services, people)
    await load_communities(services, people, class_3b, school_id)
    log.info("demo data loaded", extra={"fields": {"users": len(people)}})
    return True


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


async def _user(services: Services, user: dict[str, Any]) -> Viewer:
    form = {k: user[k] for k in ("email", "handle", "display_name")} | {"password": DEMO_PASSWORD}
    session = await services.accounts.register(form, email_verified=True)
    if user.get("reviewer"):
        await services.accounts.grant_reviewer(user["email"])
        return Viewer(session.account_id, "REVIEWER")
    return Viewer(session.account_id, "USER")


async def _organization(
    services: Services, org: dict[str, Any], people: dict[str, Viewer], reviewer: Viewer
) -> None:
    owner = people[org["owner"]]
    fields = {k: org[k] for k in ("kind", "name", "description", "website")}
    org_id = await services.organizations.create(owner, fields)
    await services.organizations.accept_agreement(owner, org_id)
    if org.get("verified"):
        await services.organizations.review(reviewer, {"organization_id": org_id, "approve": True})
    for badge in org["badges"]:
        await _badge(services, org_id, badge, owner, reviewer, people)


async def _badge(
    services: Services,
    org_id: str,
    badge: dict[str, Any],
    owner: Viewer,
    reviewer: Viewer,
    people: dict[str, Viewer],
) -> None:
    badge_id = await services.badges.create(owner, org_id, badge["content"])
    if badge["status"] in ("SUBMITTED", "PUBLISHED"):
        await services.badges.submit(owner, badge_id)
    if badge["status"] == "PUBLISHED":
        await services.badges.review(reviewer, {"badge_id": badge_id, "approve": True})
    for award in badge.get("awards", []):
        request = {
            "badge_id": badge_id,
            "recipient_id": people[award["to"]].id,
            "evidence": award.get("evidence", []),
        }
        await services.awards.award(owner, request)
