"""Builders for recommendation tests: badges teaching given skills, the skill hierarchy,
and `me { recommendations }` read back as plain rows."""

from typing import Any

from odznaka_graph.graph_model.skills import skill_key
from tests.helpers import AWARD, Api, Issuer, Person, complete_badge, published_badge, tx

RECOMMENDATIONS = """
query($kind: RecommendationKind!, $first: Int!, $skills: [ID!], $near: RecommendationCentre) {
  me { recommendations(kind: $kind, first: $first, skillIds: $skills, near: $near) {
    score reason reasons { source text count weight }
    node { __typename
      ... on Badge { id name }
      ... on Path { id title }
      ... on Event { id title distanceKm }
      ... on User { id handle }
      ... on Club { id name } } } } }"""


def outcome(pl: str, en: str) -> dict[str, Any]:
    return {
        "skillName": tx(pl, en),
        "description": tx(f"Umie: {pl}.", f"Can do: {en}."),
        "checkCriteria": [{"lang": "PL", "items": ["Pokazuje to w praktyce."]}],
    }


async def badge_teaching(api: Api, issuer: Issuer, name: str, *skills: tuple[str, str]) -> str:
    content = complete_badge(name, f"{name} (EN)") | {"outcomes": [outcome(*s) for s in skills]}
    return await published_badge(api, issuer, **content)


async def give(api: Api, issuer: Issuer, badge_id: str, *people: Person) -> None:
    for person in people:
        result = await api.mutate(
            "awardBadge", {"badgeId": badge_id, "recipientId": person.id}, AWARD, issuer.owner.token
        )
        assert result["__typename"] == "Award", result


async def broader(api: Api, narrow: str, broad: str) -> None:
    """Put one skill (by Polish name) under another; the API has no mutation for it yet."""
    await api.runtime.services.stores.graph.write(
        "MATCH (n:Skill {key: $narrow}), (b:Skill {key: $broad}) MERGE (n)-[:BROADER]->(b)",
        narrow=skill_key({"pl": narrow}),
        broad=skill_key({"pl": broad}),
    )


async def recommended(
    api: Api, person: Person, kind: str, first: int = 10, lang: str = "en", **variables: Any
) -> list[dict[str, Any]]:
    data = await api.query(
        RECOMMENDATIONS,
        {"kind": kind, "first": first} | variables,
        person.token,
        headers={"Accept-Language": lang},
    )
    return data["me"]["recommendations"]  # type: ignore[no-any-return]


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["node"]["id"]: row for row in rows}


def sources(row: dict[str, Any]) -> set[str]:
    return {reason["source"] for reason in row["reasons"]}


def reason_text(row: dict[str, Any], source: str) -> str:
    return next(r["text"] for r in row["reasons"] if r["source"] == source)  # type: ignore[no-any-return]


async def secret_club(api: Api, owner: Person, *members: Person) -> str:
    """A members-only, invite-only club with these members."""
    from tests.club_helpers import CLUB, create_club, join

    club_id = await create_club(api, owner, join_policy="INVITE", visibility="MEMBERS")
    for member in members:
        await api.mutate(
            "inviteToClub", {"clubId": club_id, "userId": member.id}, CLUB, owner.token
        )
        await join(api, club_id, member)
    return club_id
