"""Builders for clubs, peer badges and nominations, through the API."""

from typing import Any

from tests.helpers import Api, Person, tx

CLUB = "... on Club { id viewerRole viewerStatus memberCount visibility joinPolicy }"
PEER_BADGE = "... on Badge { id kind status name issuer { id } club { id } }"
NOMINATION = (
    "... on Nomination { id status vouchCount vouchThreshold viewerVouched "
    "award { id status awardedBy { handle } evidence { narrative } } }"
)
AWARD = "... on Award { id status revokeReason }"


async def create_club(
    api: Api, owner: Person, join_policy: str = "OPEN", visibility: str = "PUBLIC", **extra: Any
) -> str:
    club = await api.mutate(
        "createClub",
        {
            "name": tx("Klub Planszówkowy", "Board game club"),
            "description": tx("Gramy w środy.", "We play on Wednesdays."),
            "joinPolicy": join_policy,
            "visibility": visibility,
            **extra,
        },
        CLUB,
        owner.token,
    )
    assert club["__typename"] == "Club", club
    assert club["viewerRole"] == "OWNER"
    return club["id"]  # type: ignore[no-any-return]


async def join(api: Api, club_id: str, person: Person) -> dict[str, Any]:
    return await api.mutate("joinClub", {"clubId": club_id}, CLUB, person.token)


async def club_of(api: Api, owner: Person, members: list[Person], **settings: Any) -> str:
    """An OPEN club of `owner` that all `members` joined."""
    club_id = await create_club(api, owner, **settings)
    for member in members:
        joined = await join(api, club_id, member)
        assert joined["viewerStatus"] == "MEMBER", joined
    return club_id


async def peer_badge(api: Api, club_id: str, creator: Person, name: str = "Mistrz gry") -> str:
    badge = await api.mutate(
        "createPeerBadge",
        {
            "clubId": club_id,
            "name": tx(name, "Game master"),
            "description": tx("Prowadzi rozgrywki.", "Runs the games."),
            "imageUrl": "https://img.example.org/peer.png",
            "criteria": tx("Poprowadził trzy wieczory gier.", "Ran three game nights."),
        },
        PEER_BADGE,
        creator.token,
    )
    assert badge["__typename"] == "Badge", badge
    return badge["id"]  # type: ignore[no-any-return]


async def nominate(
    api: Api,
    badge_id: str,
    nominator: Person,
    nominee: Person,
    reason: str = "Poprowadził świetny wieczór gier.",
    key: str | None = None,
) -> dict[str, Any]:
    payload = {"badgeId": badge_id, "nomineeId": nominee.id, "reason": reason}
    if key:
        payload["idempotencyKey"] = key
    return await api.mutate("nominatePeerAward", payload, NOMINATION, nominator.token)


async def vouch(api: Api, nomination_id: str, voucher: Person) -> dict[str, Any]:
    return await api.mutate(
        "vouchPeerAward", {"nominationId": nomination_id}, NOMINATION, voucher.token
    )
