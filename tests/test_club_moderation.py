"""Club moderation (issue 15): owners and moderators remove or ban members; a banned
person cannot rejoin, be invited or vouch; owners edit the club (`updateClub`)."""

from typing import Any

from tests.club_helpers import CLUB, PEER_BADGE, club_of, join, nominate, peer_badge, vouch
from tests.helpers import Api, Person, register, tx

NAMED = "... on Club { id name joinPolicy vouchThreshold dailyPeerAwardLimit memberCount }"


async def _moderated(api: Api) -> tuple[str, Person, Person, list[Person]]:
    """An open club (vouch threshold 2): its owner, a moderator and three members."""
    owner, moderator = await register(api), await register(api)
    members = [await register(api) for _ in range(3)]
    club_id = await club_of(api, owner, [moderator, *members], vouchThreshold=2)
    role = {"clubId": club_id, "userId": moderator.id, "role": "MODERATOR"}
    assert (await api.mutate("setClubRole", role, CLUB, owner.token))["__typename"] == "Club"
    return club_id, owner, moderator, members


async def _act(api: Api, name: str, club_id: str, person: Person, by: Person) -> dict[str, Any]:
    data = {"clubId": club_id, "userId": person.id, "reason": "Spam w nominacjach"}
    return await api.mutate(name, data, CLUB, by.token)


async def test_a_banned_member_cannot_rejoin_be_invited_or_vouch(api: Api) -> None:
    club_id, owner, moderator, (ola, jan, ewa) = await _moderated(api)
    badge_id = await peer_badge(api, club_id, owner)
    nomination = await nominate(api, badge_id, ola, jan)
    assert nomination["status"] == "OPEN", nomination
    banned = await _act(api, "banClubMember", club_id, ewa, moderator)
    assert (banned["__typename"], banned["memberCount"]) == ("Club", 4), banned
    rejoin = await join(api, club_id, ewa)
    assert rejoin["reason"] == "BANNED_FROM_CLUB", rejoin
    invited = await api.mutate(
        "inviteToClub", {"clubId": club_id, "userId": ewa.id}, CLUB, owner.token
    )
    assert invited["reason"] == "BANNED_FROM_CLUB", invited
    vouched = await vouch(api, nomination["id"], ewa)
    assert vouched["__typename"] != "Nomination", vouched
    still = await vouch(api, nomination["id"], moderator)  # the nomination is untouched
    assert (still["status"], still["vouchCount"]) == ("AWARDED", 2), still


async def test_a_removed_member_may_join_again(api: Api) -> None:
    club_id, _, moderator, (ola, _, _) = await _moderated(api)
    removed = await _act(api, "removeClubMember", club_id, ola, moderator)
    assert removed["memberCount"] == 4, removed
    again = await _act(api, "removeClubMember", club_id, ola, moderator)
    assert again["reason"] == "NOT_A_MEMBER", again
    assert (await join(api, club_id, ola))["viewerStatus"] == "MEMBER"


async def test_who_may_remove_whom(api: Api) -> None:
    club_id, owner, moderator, (ola, jan, _) = await _moderated(api)
    by_member = await _act(api, "removeClubMember", club_id, jan, ola)
    assert by_member["code"] == "PERMISSION_DENIED", by_member
    owner_kept = await _act(api, "banClubMember", club_id, owner, moderator)
    assert owner_kept["reason"] == "OWNER_NOT_REMOVABLE", owner_kept
    stranger = await register(api)
    mod_kept = await _act(api, "banClubMember", club_id, moderator, moderator)
    assert mod_kept["reason"] == "MODERATOR_FOR_OWNERS", mod_kept
    by_owner = await _act(api, "removeClubMember", club_id, moderator, owner)
    assert by_owner["memberCount"] == 4, by_owner
    banned_before_joining = await _act(api, "banClubMember", club_id, stranger, owner)
    assert banned_before_joining["__typename"] == "Club"
    assert (await join(api, club_id, stranger))["reason"] == "BANNED_FROM_CLUB"


async def test_an_owner_edits_the_club(api: Api) -> None:
    club_id, owner, moderator, _ = await _moderated(api)
    change = {
        "clubId": club_id,
        "name": tx("Klub Szachowy", "Chess club"),
        "joinPolicy": "APPROVAL",
        "vouchThreshold": 3,
    }
    by_moderator = await api.mutate("updateClub", change, NAMED, moderator.token)
    assert by_moderator["code"] == "PERMISSION_DENIED", by_moderator
    done = await api.mutate("updateClub", change, NAMED, owner.token)
    assert done == {
        "__typename": "Club",
        "id": club_id,
        "name": "Klub Szachowy",
        "joinPolicy": "APPROVAL",
        "vouchThreshold": 3,
        "dailyPeerAwardLimit": 5,
        "memberCount": 5,
    }
    found = await api.query('{ clubs(filter: {text: "szachowy"}) { totalCount } }')
    assert found["clubs"]["totalCount"] == 1
    bad = await api.mutate(
        "updateClub", {"clubId": club_id, "vouchThreshold": 0}, NAMED, owner.token
    )
    assert bad["__typename"] == "ValidationError", bad
    empty = await api.mutate("updateClub", {"clubId": club_id, "name": []}, NAMED, owner.token)
    assert empty["reason"] == "CLUB_DETAILS_INVALID", empty


async def test_an_archived_peer_badge_awards_nothing_new_and_its_awards_stay(api: Api) -> None:
    club_id, owner, moderator, (ola, jan, ewa) = await _moderated(api)
    badge_id = await peer_badge(api, club_id, owner)
    earned = await vouch(api, (await nominate(api, badge_id, ola, jan))["id"], ewa)
    assert earned["status"] == "AWARDED", earned
    waiting = await nominate(api, badge_id, jan, ewa)
    archive = {"badgeId": badge_id, "reason": "Zastąpiona nową odznaką"}
    by_member = await api.mutate("archivePeerBadge", archive, PEER_BADGE, ola.token)
    assert by_member["__typename"] == "PermissionDeniedError", by_member
    outsider = await register(api)
    by_outsider = await api.mutate("archivePeerBadge", archive, PEER_BADGE, outsider.token)
    assert by_outsider["__typename"] == "PermissionDeniedError", by_outsider  # an open club
    for _ in range(2):  # again: nothing more happens
        archived = await api.mutate("archivePeerBadge", archive, PEER_BADGE, moderator.token)
        assert (archived["__typename"], archived["status"]) == ("Badge", "ARCHIVED"), archived
    assert (await nominate(api, badge_id, ola, ewa))["reason"] == "BADGE_RETIRED"
    assert (await vouch(api, waiting["id"], ola))["reason"] == "BADGE_RETIRED"
    kept = await api.query(
        "query($id: ID!) { node(id: $id) { ... on Award { status } } }",
        {"id": earned["award"]["id"]},
        jan.token,
    )
    assert kept["node"]["status"] == "VALID"
