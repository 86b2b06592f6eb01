"""Clubs: creating, joining by policy, approving, inviting, roles, leaving, and who sees
members-only clubs (lists, counts, node(id:))."""

from odznaka_graph.observability import RoundTrips
from tests.club_helpers import CLUB, club_of, create_club, join, nominate, peer_badge, vouch
from tests.helpers import Api, register, tx

CLUBS = """query($first: Int, $after: String, $last: Int, $before: String, $text: String) {
  clubs(first: $first, after: $after, last: $last, before: $before, filter: {text: $text}) {
    totalCount edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
CLUB_QUERY = """query($id: ID!) { club(id: $id) { id name memberCount viewerStatus
  members(first: 10) { totalCount edges { node { role user { handle } } } }
  pendingMembers(first: 10) { totalCount edges { node { user { handle } } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Club { name } } }"
MY_CLUBS = "{ me { clubs(first: 10) { totalCount edges { node { id viewerRole } } } } }"


async def test_creating_a_club_makes_its_creator_the_owner(api: Api) -> None:
    owner = await register(api)
    club_id = await create_club(api, owner, vouchThreshold=2, dailyPeerAwardLimit=3)
    data = await api.query(
        "query($id: ID!) { club(id: $id) { name(lang: EN) joinPolicy visibility vouchThreshold "
        "dailyPeerAwardLimit memberCount viewerRole "
        "members { edges { node { role user { id } } } } } }",
        {"id": club_id},
        owner.token,
    )
    assert data["club"] == {
        "name": "Board game club",
        "joinPolicy": "OPEN",
        "visibility": "PUBLIC",
        "vouchThreshold": 2,
        "dailyPeerAwardLimit": 3,
        "memberCount": 1,
        "viewerRole": "OWNER",
        "members": {"edges": [{"node": {"role": "OWNER", "user": {"id": owner.id}}}]},
    }


async def test_bad_club_input_is_refused_field_by_field(api: Api) -> None:
    owner = await register(api)
    bad = await api.mutate(
        "createClub",
        {
            "name": tx(" "),
            "joinPolicy": "OPEN",
            "visibility": "PUBLIC",
            "vouchThreshold": 0,
            "dailyPeerAwardLimit": 1000,
        },
        CLUB,
        owner.token,
    )
    assert bad["__typename"] == "ValidationError"
    assert {f["field"] for f in bad["fields"]} == {"vouchThreshold", "dailyPeerAwardLimit"}
    nameless = await api.mutate(
        "createClub",
        {"name": tx(" "), "joinPolicy": "OPEN", "visibility": "PUBLIC"},
        CLUB,
        owner.token,
    )
    assert [f["field"] for f in nameless["fields"]] == ["name"]
    anonymous = await api.mutate(
        "createClub", {"name": tx("Klub"), "joinPolicy": "OPEN", "visibility": "PUBLIC"}, CLUB
    )
    assert anonymous["code"] == "UNAUTHENTICATED"


async def test_an_open_club_admits_at_once_and_joining_twice_changes_nothing(api: Api) -> None:
    owner, friend = await register(api), await register(api)
    club_id = await create_club(api, owner)
    first = await join(api, club_id, friend)
    again = await join(api, club_id, friend)
    assert (first["viewerStatus"], first["viewerRole"], first["memberCount"]) == (
        "MEMBER",
        "MEMBER",
        2,
    )
    assert again["memberCount"] == 2


async def test_an_approval_club_takes_requests_that_owners_and_moderators_decide(
    api: Api,
) -> None:
    owner, moderator, asker, other = [await register(api) for _ in range(4)]
    club_id = await create_club(api, owner, join_policy="APPROVAL")
    invited = await api.mutate(
        "inviteToClub", {"clubId": club_id, "userId": moderator.id}, CLUB, owner.token
    )
    assert invited["__typename"] == "Club"
    assert (await join(api, club_id, moderator))["viewerStatus"] == "MEMBER"
    promoted = await api.mutate(
        "setClubRole",
        {"clubId": club_id, "userId": moderator.id, "role": "MODERATOR"},
        CLUB,
        owner.token,
    )
    assert promoted["__typename"] == "Club"

    asked = await join(api, club_id, asker)
    assert (asked["viewerStatus"], asked["memberCount"]) == ("REQUESTED", 2)
    seen = await api.query(CLUB_QUERY, {"id": club_id}, moderator.token)
    pending = seen["club"]["pendingMembers"]
    assert pending["edges"][0]["node"]["user"]["handle"] == asker.handle
    member_view = await api.query(CLUB_QUERY, {"id": club_id}, asker.token)
    assert member_view["club"]["pendingMembers"] is None

    refused = await api.mutate(
        "approveClubMember", {"clubId": club_id, "userId": asker.id}, CLUB, other.token
    )
    assert refused["__typename"] == "PermissionDeniedError"
    approved = await api.mutate(
        "approveClubMember", {"clubId": club_id, "userId": asker.id}, CLUB, moderator.token
    )
    assert approved["memberCount"] == 3
    twice = await api.mutate(
        "approveClubMember", {"clubId": club_id, "userId": asker.id}, CLUB, moderator.token
    )
    assert twice["__typename"] == "NotFoundError"

    await join(api, club_id, other)
    declined = await api.mutate(
        "approveClubMember",
        {"clubId": club_id, "userId": other.id, "approve": False},
        CLUB,
        owner.token,
    )
    assert declined["memberCount"] == 3
    view = await api.query(CLUB_QUERY, {"id": club_id}, other.token)
    assert view["club"]["viewerStatus"] == "NONE"


async def test_an_invite_only_club_admits_the_invited_only(api: Api) -> None:
    owner, guest, stranger = await register(api), await register(api), await register(api)
    club_id = await create_club(api, owner, join_policy="INVITE")
    refused = await join(api, club_id, stranger)
    assert refused["__typename"] == "PermissionDeniedError"
    not_by_member = await api.mutate(
        "inviteToClub", {"clubId": club_id, "userId": guest.id}, CLUB, stranger.token
    )
    assert not_by_member["__typename"] == "PermissionDeniedError"
    await api.mutate("inviteToClub", {"clubId": club_id, "userId": guest.id}, CLUB, owner.token)
    status = await api.query(CLUB_QUERY, {"id": club_id}, guest.token)
    assert status["club"]["viewerStatus"] == "INVITED"
    joined = await join(api, club_id, guest)
    assert (joined["viewerStatus"], joined["memberCount"]) == ("MEMBER", 2)
    again = await api.mutate(
        "inviteToClub", {"clubId": club_id, "userId": guest.id}, CLUB, owner.token
    )
    assert again["__typename"] == "ConflictError"


async def test_members_only_clubs_are_hidden_from_everyone_else(api: Api) -> None:
    owner, member, outsider = await register(api), await register(api), await register(api)
    await create_club(api, owner)  # a public one
    secret = await create_club(api, owner, join_policy="INVITE", visibility="MEMBERS")
    await api.mutate("inviteToClub", {"clubId": secret, "userId": member.id}, CLUB, owner.token)
    await join(api, secret, member)

    for viewer in (outsider, None):
        token = viewer.token if viewer else None
        listed = await api.query(CLUBS, {"first": 10}, token)
        assert listed["clubs"]["totalCount"] == 1
        assert secret not in {e["node"]["id"] for e in listed["clubs"]["edges"]}
        assert (await api.query(CLUB_QUERY, {"id": secret}, token))["club"] is None
        assert (await api.query(NODE, {"id": secret}, token))["node"] is None
    # Nor can an outsider ask to join a club they cannot see: it is simply not there.
    assert (await join(api, secret, outsider))["__typename"] == "NotFoundError"

    for insider in (owner, member):
        listed = await api.query(CLUBS, {"first": 10}, insider.token)
        assert listed["clubs"]["totalCount"] == 2
        assert (await api.query(NODE, {"id": secret}, insider.token))["node"]["id"] == secret


async def test_the_club_list_searches_and_pages_both_ways(api: Api) -> None:
    owner = await register(api)
    names = ["Żeglarze", "Szachiści", "Biegacze", "Fotografowie", "Wspinacze"]
    for name in names:
        await api.mutate(
            "createClub",
            {"name": tx(name), "joinPolicy": "OPEN", "visibility": "PUBLIC"},
            CLUB,
            owner.token,
        )
    found = await api.query(CLUBS, {"text": "zegl"})
    assert [e["node"]["name"] for e in found["clubs"]["edges"]] == ["Żeglarze"]

    first = await api.query(CLUBS, {"first": 2})
    page = first["clubs"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"]
    second = await api.query(CLUBS, {"first": 10, "after": page["pageInfo"]["endCursor"]})
    everything = [e["node"]["name"] for e in page["edges"] + second["clubs"]["edges"]]
    assert everything == sorted(names, key=str.lower)
    back = await api.query(CLUBS, {"last": 2, "before": second["clubs"]["edges"][0]["cursor"]})
    assert [e["node"]["name"] for e in back["clubs"]["edges"]] == everything[:2]


async def test_roles_leaving_and_the_last_owner(api: Api) -> None:
    owner, friend = await register(api), await register(api)
    club_id = await club_of(api, owner, [friend])
    not_owner = await api.mutate(
        "setClubRole",
        {"clubId": club_id, "userId": friend.id, "role": "OWNER"},
        CLUB,
        friend.token,
    )
    assert not_owner["__typename"] == "PermissionDeniedError"
    last = await api.mutate(
        "setClubRole",
        {"clubId": club_id, "userId": owner.id, "role": "MEMBER"},
        CLUB,
        owner.token,
    )
    assert last["__typename"] == "ConflictError"
    leave = await api.mutate(
        "leaveClub", {"clubId": club_id}, "... on LeftClub { clubId }", owner.token
    )
    assert leave["__typename"] == "ConflictError"

    await api.mutate(
        "setClubRole", {"clubId": club_id, "userId": friend.id, "role": "OWNER"}, CLUB, owner.token
    )
    left = await api.mutate(
        "leaveClub",
        {"clubId": club_id},
        "... on LeftClub { clubId club { memberCount viewerStatus } }",
        owner.token,
    )
    assert left["club"] == {"memberCount": 1, "viewerStatus": "NONE"}
    again = await api.mutate("leaveClub", {"clubId": club_id}, "", owner.token)
    assert again["__typename"] == "ConflictError"


async def test_my_clubs_are_mine_to_see(api: Api) -> None:
    owner, friend = await register(api), await register(api)
    club_id = await club_of(api, owner, [friend])
    await create_club(api, owner, visibility="MEMBERS")
    mine = await api.query(MY_CLUBS, token=friend.token)
    assert mine["me"]["clubs"]["edges"] == [{"node": {"id": club_id, "viewerRole": "MEMBER"}}]
    assert (await api.query(MY_CLUBS, token=owner.token))["me"]["clubs"]["totalCount"] == 2
    theirs = await api.query(
        "query($id: ID!) { node(id: $id) { ... on User { clubs { totalCount } } } }",
        {"id": owner.id},
        friend.token,
    )
    assert theirs["node"]["clubs"]["totalCount"] == 0


# Three queries, so that each branch reaching the users loader is counted on its own (two
# branches reaching it at once may share a batch or not, depending on timing).
CLUB_PAGES = [
    """{ me { clubs(first: 20) { totalCount edges { node { name memberCount viewerRole
      members(first: 5) { totalCount edges { node { role user { handle } } } }
      badges(first: 5) { totalCount edges { node { name kind club { name } } } } } } } } }""",
    """{ me { clubs(first: 20) { edges { node { nominations(first: 5) { totalCount edges {
      node { status vouchCount nominee { handle } badge { name } } } } } } } } }""",
    """{ me { clubs(first: 20) { edges { node { nominations(first: 5) { edges { node {
      vouches(first: 5) { totalCount edges { node { user { handle } } } } } } } } } } } }""",
]


async def test_a_page_of_clubs_costs_the_same_for_2_and_6_clubs(
    api: Api, round_trips: RoundTrips
) -> None:
    owner, friend, third = await register(api), await register(api), await register(api)
    counts = []
    for size in (2, 6):
        for _ in range(size - (2 if size == 6 else 0)):
            club_id = await club_of(api, owner, [friend, third], vouchThreshold=3)
            badge_id = await peer_badge(api, club_id, owner)
            nomination = await nominate(api, badge_id, owner, friend)
            await vouch(api, nomination["id"], third)
        trips = []
        for query in CLUB_PAGES:
            round_trips.neo4j = 0
            page = await api.query(query, token=owner.token)
            assert len(page["me"]["clubs"]["edges"]) == size
            trips.append(round_trips.neo4j)
        counts.append(trips)
    assert counts[0] == counts[1]
    print(f"round trips for a page of 2 and of 6 clubs: {counts}")


PAGE = """{ totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor } }"""
BOTH_WAYS = f"""query($id: ID!, $last: Int, $before: String) {{ club(id: $id) {{
  members(last: $last, before: $before) {PAGE}
  badges(last: $last, before: $before) {PAGE}
  nominations(last: $last, before: $before) {PAGE}
  everyMember: members(first: 10) {PAGE}
  everyBadge: badges(first: 10) {PAGE}
  everyNomination: nominations(first: 10) {PAGE} }} }}"""


async def test_club_lists_page_backwards_too(api: Api, round_trips: RoundTrips) -> None:
    """`last`/`before` on a club's members, badges and nominations (read for every club on
    a page in one query each): the pages going back are the forward list's, in its order."""
    owner, ala, ben = await register(api), await register(api), await register(api)
    club_id = await club_of(api, owner, [ala, ben], vouchThreshold=3)
    badges = [await peer_badge(api, club_id, owner, name) for name in ("Gracz", "Mistrz gry")]
    for badge_id, nominee in zip(badges, [ala, ben], strict=True):
        await nominate(api, badge_id, owner, nominee)
    lists = ("members", "badges", "nominations")
    club = (await api.query(BOTH_WAYS, {"id": club_id, "last": 2}, owner.token))["club"]
    for name in lists:
        every = [edge["cursor"] for edge in club["every" + name[:-1].capitalize()]["edges"]]
        assert len(every) == club[name]["totalCount"] >= 2
        assert [edge["cursor"] for edge in club[name]["edges"]] == every[-2:], name
        info = club[name]["pageInfo"]
        assert info["hasPreviousPage"] is (len(every) > 2) and info["hasNextPage"] is False
        back = await api.query(
            BOTH_WAYS, {"id": club_id, "last": 5, "before": info["startCursor"]}, owner.token
        )
        earlier = [edge["cursor"] for edge in back["club"][name]["edges"]]
        assert earlier == every[:-2], name
        assert back["club"][name]["pageInfo"]["hasNextPage"] is True, (name, back)
