"""Builders for the profile tests: credentials in every state, contacts, settings."""

from datetime import UTC, datetime, timedelta
from typing import Any

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.journal import audit_of_subjects
from odznaka_graph.ledger.tables import awards
from tests.helpers import AWARD, Api, Issuer, Person, published_badge, tx

USER = "... on User { handle featuredAwards { id } }"
ENDORSEMENT = "... on Endorsement { comment endorsedAt updatedAt endorser { handle } }"
SECTIONS = ("awards", "skills", "featured", "contacts")


def outcome(pl: str, en: str, description: str) -> dict[str, Any]:
    return {
        "skillName": tx(pl, en),
        "description": tx(description),
        "checkCriteria": [{"lang": "PL", "items": [f"Sprawdzenie: {description}"]}],
    }


async def badge_teaching(api: Api, issuer: Issuer, *outcomes: dict[str, Any], **more: Any) -> str:
    return await published_badge(api, issuer, outcomes=list(outcomes), **more)


async def award(api: Api, issuer: Issuer, badge_id: str, learner: Person) -> str:
    done = await api.mutate(
        "awardBadge", {"badgeId": badge_id, "recipientId": learner.id}, AWARD, issuer.owner.token
    )
    assert done["__typename"] == "Award", done
    return done["id"]  # type: ignore[no-any-return]


async def revoke(api: Api, issuer: Issuer, award_id: str) -> None:
    done = await api.mutate(
        "revokeAward",
        {"awardId": award_id, "reason": "Plagiat w projekcie"},
        AWARD,
        issuer.owner.token,
    )
    assert done["status"] == "REVOKED", done


async def expire(api: Api, award_id: str) -> None:
    """Move an award's expiry (its badge has validityDays) into the past in both stores."""
    plain, past = local_id(award_id, "Award"), datetime.now(UTC) - timedelta(days=1)
    stores = api.runtime.services.stores
    await stores.graph.write("MATCH (a:Award {id: $id}) SET a.expiresAt = $at", id=plain, at=past)
    async with stores.ledger.transaction() as conn:
        await conn.execute(awards.update().where(awards.c.id == plain).values(expires_at=past))


async def befriend(api: Api, a: Person, b: Person) -> None:
    """Contacts arrive in a later issue; until then the relationship is made directly."""
    await api.runtime.services.stores.graph.write(
        "MATCH (x:User {id: $a}), (y:User {id: $b}) MERGE (x)-[:CONTACT]->(y)",
        a=local_id(a.id, "User"),
        b=local_id(b.id, "User"),
    )


async def set_visibility(api: Api, person: Person, **levels: str) -> dict[str, Any]:
    done = await api.mutate(
        "updateProfileVisibility",
        levels,
        "... on User { sectionVisibility { profile awards skills featured contacts } }",
        person.token,
    )
    assert done["__typename"] == "User", done
    return done  # type: ignore[no-any-return]


async def feature(api: Api, person: Person | None, ids: list[str]) -> dict[str, Any]:
    token = person.token if person else None
    return await api.mutate("setFeaturedAwards", {"awardIds": ids}, USER, token)


async def audit(
    api: Api, subject_type: str, global_id: str, type_name: str, action: str
) -> list[Any]:
    subject = local_id(global_id, type_name) or ""
    async with api.runtime.services.stores.ledger.reading() as conn:
        return (await audit_of_subjects(conn, subject_type, [subject], [action]))[subject]
