"""The social graph: follow, contacts by request and accept, blocking, and the lists."""

import asyncio

import pytest
import sqlalchemy as sa

from odznaka_graph.ids import local_id, new_id, to_global
from odznaka_graph.ledger.tables import outbox
from odznaka_graph.observability import RoundTrips
from tests.helpers import Api, GraphQLErrors, register
from tests.profile_helpers import audit, befriend, set_visibility
from tests.social_helpers import (
    LISTS,
    MUTATIONS,
    REQUESTS,
    act,
    audit_count,
    contact_relationships,
    handles,
    lists,
)


async def test_follow_and_unfollow_are_idempotent(api: Api) -> None:
    fan, star = await register(api), await register(api)
    for _ in range(2):
        done = await act(api, "follow", fan, star)
        assert done["__typename"] == "UserRelation", done
        assert (done["following"], done["followedBy"], done["user"]) == (
            True,
            False,
            {"handle": star.handle},
        )
    assert await audit_count(api, star, "user.followed") == 1
    assert handles((await lists(api, star, None))["followers"]) == [fan.handle]
    assert handles((await lists(api, fan, star))["following"]) == [star.handle]
    seen = await api.query(
        "query($h: String!) { user(handle: $h) { viewerFollows viewerIsContact viewerBlocked } }",
        {"h": star.handle},
        fan.token,
    )
    assert seen["user"] == {"viewerFollows": True, "viewerIsContact": False, "viewerBlocked": False}
    back = await act(api, "follow", star, fan)
    assert (back["following"], back["followedBy"]) == (True, True)

    for _ in range(2):
        done = await act(api, "unfollow", fan, star)
        assert (done["following"], done["followedBy"]) == (False, True)
    assert await audit_count(api, star, "user.unfollowed") == 1
    assert (await lists(api, star, None))["followers"]["totalCount"] == 0


async def test_every_mutation_refuses_self_unknown_users_and_anonymous(api: Api) -> None:
    me, other = await register(api), await register(api)
    nobody = to_global("User", new_id())
    for name in MUTATIONS:
        self_done = await act(api, name, me, me)
        assert self_done["__typename"] == "ValidationError", (name, self_done)
        assert self_done["fields"][0]["field"] == "userId"
        assert self_done["reason"] == "TARGET_IS_SELF", (name, self_done)
        unknown = await act(api, name, me, nobody)
        assert (unknown["__typename"], unknown["reason"]) == ("NotFoundError", "USER_NOT_FOUND"), (
            name
        )
        not_a_user = await act(api, name, me, to_global("Badge", new_id()))
        assert not_a_user["reason"] == "NOT_AN_ID", (name, not_a_user)
        assert [f["field"] for f in not_a_user["fields"]] == ["userId"]
        anonymous = await act(api, name, None, other)
        assert anonymous["code"] == "UNAUTHENTICATED", (name, anonymous)
    too_long = await act(api, "requestContact", me, other, "x" * 501)
    assert too_long["__typename"] == "ValidationError"
    assert too_long["fields"][0]["field"] == "message"


async def test_a_contact_request_accepted_makes_one_contact(api: Api) -> None:
    asker, answerer = await register(api), await register(api)
    for _ in range(2):
        sent = await act(api, "requestContact", asker, answerer, "Cześć, poznaliśmy się na kursie")
        assert (sent["requestSent"], sent["contact"]) == (True, False), sent
    assert await audit_count(api, answerer, "contact.requested") == 1

    mine = (await api.query(REQUESTS, token=asker.token))["me"]
    assert mine["outgoingContactRequests"]["edges"][0]["node"] == {
        "userId": answerer.id,
        "message": "Cześć, poznaliśmy się na kursie",
        "user": {"handle": answerer.handle},
    }
    theirs = (await api.query(REQUESTS, token=answerer.token))["me"]
    incoming = theirs["incomingContactRequests"]["edges"][0]["node"]
    assert (incoming["userId"], incoming["user"], incoming["message"]) == (
        asker.id,
        {"handle": asker.handle},
        "Cześć, poznaliśmy się na kursie",
    )
    assert incoming["requestedAt"] is not None

    for _ in range(2):
        accepted = await act(api, "acceptContact", answerer, asker)
        assert (accepted["contact"], accepted["requestReceived"]) == (True, False), accepted
    also = await act(api, "acceptContact", asker, answerer)  # contacts already: no change
    assert also["contact"] is True
    assert await contact_relationships(api, asker, answerer) == 1
    assert await audit_count(api, asker, "contact.accepted") == 1
    for person, other in ((asker, answerer), (answerer, asker)):
        seen = await lists(api, person, other)
        assert (seen["contactsCount"], handles(seen["contacts"])) == (1, [other.handle])
    after = (await api.query(REQUESTS, token=answerer.token))["me"]
    assert after["incomingContactRequests"]["totalCount"] == 0
    again = await act(api, "requestContact", asker, answerer)
    assert (again["contact"], again["requestSent"]) == (True, False)


async def test_asking_someone_who_already_asked_makes_contacts_at_once(api: Api) -> None:
    first, second = await register(api), await register(api)
    await act(api, "requestContact", first, second)
    done = await act(api, "requestContact", second, first)
    assert (done["contact"], done["requestSent"], done["requestReceived"]) == (True, False, False)
    assert await contact_relationships(api, first, second) == 1
    rows = await audit(api, "User", first.id, "User", "contact.accepted")
    assert [row.data["mutual"] for row in rows] == [True]
    for person in (first, second):
        pending = (await api.query(REQUESTS, token=person.token))["me"]
        assert pending["incomingContactRequests"]["totalCount"] == 0
        assert pending["outgoingContactRequests"]["totalCount"] == 0


async def test_crossing_requests_and_double_accepts_never_make_two_contacts(api: Api) -> None:
    a, b = await register(api), await register(api)
    await asyncio.gather(act(api, "requestContact", a, b), act(api, "requestContact", b, a))
    assert await contact_relationships(api, a, b) == 1
    c, d = await register(api), await register(api)
    await act(api, "requestContact", c, d)
    results = await asyncio.gather(*(act(api, "acceptContact", d, c) for _ in range(4)))
    assert {r["contact"] for r in results} == {True}
    assert await contact_relationships(api, c, d) == 1
    assert await audit_count(api, c, "contact.accepted") == 1


async def test_accepting_without_a_request_is_refused(api: Api) -> None:
    a, b = await register(api), await register(api)
    done = await act(api, "acceptContact", a, b)
    assert (done["__typename"], done["reason"]) == ("NotFoundError", "CONTACT_REQUEST_NOT_FOUND")
    await act(api, "requestContact", a, b)
    own = await act(api, "acceptContact", a, b)  # one's own request is not for oneself to accept
    assert own["__typename"] == "NotFoundError"


async def test_declining_and_withdrawing_requests(api: Api) -> None:
    asker, answerer = await register(api), await register(api)
    await act(api, "requestContact", asker, answerer)
    for _ in range(2):
        declined = await act(api, "declineContact", answerer, asker)
        assert (declined["requestReceived"], declined["contact"]) == (False, False)
    assert await audit_count(api, asker, "contact.declined") == 1
    assert (await api.query(REQUESTS, token=asker.token))["me"]["outgoingContactRequests"] == {
        "totalCount": 0,
        "edges": [],
    }
    await act(api, "requestContact", asker, answerer)  # asking again is allowed
    withdrawn = await act(api, "removeContact", asker, answerer)
    assert withdrawn["requestSent"] is False
    rows = await audit(api, "User", answerer.id, "User", "contact.removed")
    assert [row.data["wasContact"] for row in rows] == [False]


async def test_removing_a_contact_updates_both_profiles(api: Api) -> None:
    a, b = await register(api), await register(api)
    await act(api, "requestContact", a, b)
    await act(api, "acceptContact", b, a)
    assert (await lists(api, a, None))["contactsCount"] == 1
    for _ in range(2):
        done = await act(api, "removeContact", b, a)
        assert done["contact"] is False
    assert await audit_count(api, a, "contact.removed") == 1
    assert await contact_relationships(api, a, b) == 0
    for person in (a, b):
        seen = await lists(api, person, None)
        assert (seen["contactsCount"], seen["contacts"]["totalCount"]) == (0, 0)


async def test_contacts_made_either_way_are_one_contact(api: Api) -> None:
    """Contacts stored by earlier code (or both ways) list and count once."""
    a, b = await register(api), await register(api)
    await befriend(api, a, b)
    await befriend(api, b, a)
    seen = await lists(api, a, None)
    assert (seen["contactsCount"], handles(seen["contacts"])) == (1, [b.handle])
    assert seen["contacts"]["totalCount"] == 1


async def test_blocking_ends_everything_and_hides_the_blocker(api: Api) -> None:
    blocker, blocked, bystander = await register(api), await register(api), await register(api)
    await act(api, "follow", blocker, blocked)
    await act(api, "follow", blocked, blocker)
    await act(api, "requestContact", blocked, blocker)
    await act(api, "acceptContact", blocker, blocked)
    await act(api, "requestContact", blocker, bystander)

    for _ in range(2):
        done = await act(api, "blockUser", blocker, blocked)
        assert done == {
            "__typename": "UserRelation",
            "following": False,
            "followedBy": False,
            "contact": False,
            "requestSent": False,
            "requestReceived": False,
            "blocked": True,
            "user": {"handle": blocked.handle},
        }
    assert await audit_count(api, blocked, "user.blocked") == 1
    assert await contact_relationships(api, blocker, blocked) == 0
    seen = await lists(api, blocker, blocker)
    assert (seen["followers"]["totalCount"], seen["following"]["totalCount"]) == (0, 0)
    assert seen["contactsCount"] == 0
    mine = (await api.query(REQUESTS, token=blocker.token))["me"]
    assert mine["outgoingContactRequests"]["totalCount"] == 1  # other people's stay
    assert mine["blockedUsers"]["edges"][0]["node"]["userId"] == blocked.id

    for name in ("follow", "requestContact", "acceptContact", "blockUser", "unfollow"):
        refused = await act(api, name, blocked, blocker)
        assert (refused["__typename"], refused["reason"]) == ("NotFoundError", "USER_NOT_FOUND")
    for name in ("follow", "requestContact", "acceptContact"):
        refused = await act(api, name, blocker, blocked)
        assert (refused["__typename"], refused["reason"]) == ("ConflictError", "USER_BLOCKED")

    query = """query($h: String!, $id: ID!) { user(handle: $h) { handle viewerBlocked }
      node(id: $id) { id } nodes(ids: [$id]) { id } }"""
    hidden = await api.query(query, {"h": blocker.handle, "id": blocker.id}, blocked.token)
    assert hidden == {"user": None, "node": None, "nodes": [None]}
    shown = await api.query(query, {"h": blocked.handle, "id": blocked.id}, blocker.token)
    assert shown["user"] == {"handle": blocked.handle, "viewerBlocked": True}
    for viewer in (bystander, None):
        token = viewer.token if viewer else None
        public = await api.query(query, {"h": blocker.handle, "id": blocker.id}, token)
        assert public["user"]["handle"] == blocker.handle

    for _ in range(2):
        undone = await act(api, "unblockUser", blocker, blocked)
        assert (undone["blocked"], undone["following"], undone["contact"]) == (False, False, False)
    assert await audit_count(api, blocked, "user.unblocked") == 1
    back = await api.query(query, {"h": blocker.handle, "id": blocker.id}, blocked.token)
    assert back["user"]["handle"] == blocker.handle
    assert (await act(api, "follow", blocked, blocker))["following"] is True


async def test_blocked_users_are_left_out_of_lists(api: Api) -> None:
    """Whoever blocks the viewer is missing from every list the viewer sees, counts
    included; whom the owner blocks is missing from the owner's lists."""
    owner, blocker, viewer, friend = [await register(api) for _ in range(4)]
    for person in (blocker, viewer, friend):
        await act(api, "follow", person, owner)
        await act(api, "follow", owner, person)
        await act(api, "requestContact", person, owner)
        await act(api, "acceptContact", owner, person)
    await act(api, "blockUser", blocker, viewer)

    seen = await lists(api, owner, viewer)
    for name in ("followers", "following", "contacts"):
        assert sorted(handles(seen[name])) == sorted([viewer.handle, friend.handle]), name
        assert seen[name]["totalCount"] == 2
    everyone = await lists(api, owner, friend)
    assert everyone["followers"]["totalCount"] == 3

    # A follow written behind the service's back (say, by an old client racing a block)
    # still stays out of the blocker's own lists.
    await api.runtime.services.stores.graph.write(
        "MATCH (a:User {id: $a}), (b:User {id: $b}) MERGE (a)-[:FOLLOWS {since: datetime()}]->(b)",
        a=local_id(viewer.id, "User"),
        b=local_id(blocker.id, "User"),
    )
    own = await lists(api, blocker, blocker)
    assert (handles(own["followers"]), own["followers"]["totalCount"]) == ([owner.handle], 1)


async def test_lists_page_both_ways_with_stable_cursors(api: Api) -> None:
    star = await register(api)
    fans = [await register(api) for _ in range(5)]
    for fan in fans:
        await act(api, "follow", fan, star)
    newest_first = [fan.handle for fan in reversed(fans)]

    first = (await lists(api, star, None, first=2))["followers"]
    assert (handles(first), first["totalCount"]) == (newest_first[:2], 5)
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    second = (await lists(api, star, None, first=2, after=first["pageInfo"]["endCursor"]))[
        "followers"
    ]
    assert handles(second) == newest_first[2:4]
    third = (await lists(api, star, None, first=2, after=second["pageInfo"]["endCursor"]))[
        "followers"
    ]
    assert (handles(third), third["pageInfo"]["hasNextPage"], third["totalCount"]) == (
        newest_first[4:],
        False,
        5,
    )
    last = (await lists(api, star, None, last=2))["followers"]
    assert (handles(last), last["pageInfo"]["hasPreviousPage"]) == (newest_first[3:], True)
    before = (await lists(api, star, None, last=2, before=last["pageInfo"]["startCursor"]))[
        "followers"
    ]
    assert (handles(before), before["pageInfo"]["hasNextPage"]) == (newest_first[1:3], True)
    none = (await lists(api, star, None, first=0))["followers"]
    assert (none["edges"], none["totalCount"], none["pageInfo"]["hasNextPage"]) == ([], 5, True)
    with pytest.raises(GraphQLErrors, match="cursor"):
        await lists(api, star, None, first=2, after="not-a-cursor")
    with pytest.raises(GraphQLErrors, match="between 0 and 100"):
        await lists(api, star, None, first=101)


async def test_lists_follow_profile_and_section_visibility(api: Api) -> None:
    owner, contact, stranger, shy = [await register(api) for _ in range(4)]
    await act(api, "requestContact", contact, owner)
    await act(api, "acceptContact", owner, contact)
    for person in (contact, stranger, shy):
        await act(api, "follow", person, owner)
    await set_visibility(api, shy, profile="PRIVATE")

    for viewer in (stranger, None):
        seen = await lists(api, owner, viewer)
        assert shy.handle not in handles(seen["followers"])  # a hidden profile is not listed
        assert seen["followers"]["totalCount"] == 2
    assert shy.handle in handles((await lists(api, owner, shy))["followers"])  # but to itself

    await set_visibility(api, owner, contacts="CONTACTS")
    hidden = await lists(api, owner, stranger)
    assert (hidden["contacts"]["totalCount"], hidden["contactsCount"]) == (0, None)
    assert hidden["followers"]["totalCount"] == 2  # followers go with the profile
    shown = await lists(api, owner, contact)
    assert (handles(shown["contacts"]), shown["contactsCount"]) == ([contact.handle], 1)

    await set_visibility(api, owner, profile="PRIVATE")
    assert (await api.query(LISTS, {"h": owner.handle}, stranger.token))["user"] is None
    own = await lists(api, owner, owner)  # the owner sees the lists, but not the shy profile
    assert (own["followers"]["totalCount"], own["contactsCount"]) == (2, 1)

    others = await api.query(
        "query($h: String!) { user(handle: $h) { incomingContactRequests { totalCount } "
        "outgoingContactRequests { totalCount } blockedUsers { totalCount } } }",
        {"h": stranger.handle},
        owner.token,
    )
    assert others["user"] == {
        "incomingContactRequests": None,
        "outgoingContactRequests": None,
        "blockedUsers": None,
    }


async def test_contact_events_wait_in_the_outbox_for_notifications(api: Api) -> None:
    asker, answerer = await register(api), await register(api)
    await act(api, "requestContact", asker, answerer, "Hej")
    async with api.runtime.services.stores.ledger.reading() as conn:
        rows = (
            await conn.execute(sa.select(outbox).where(outbox.c.topic == "contact.requested"))
        ).all()
    assert len(rows) == 1
    assert rows[0].payload["userId"] == local_id(asker.id, "User")
    assert rows[0].payload["targetId"] == local_id(answerer.id, "User")
    assert rows[0].payload["message"] == "Hej"
    assert rows[0].projected_at is not None


PAGE = """query($h: String!) { user(handle: $h) { followers(first: 50) { totalCount
  edges { node { handle contactsCount viewerFollows viewerIsContact viewerBlocked } } } } }"""


async def test_a_followers_page_costs_the_same_for_3_and_20(
    api: Api, round_trips: RoundTrips
) -> None:
    star, viewer = await register(api), await register(api)
    trips = []
    for size in (3, 20):
        while (await lists(api, star, None))["followers"]["totalCount"] < size:
            fan = await register(api)
            await act(api, "follow", fan, star)
            await act(api, "follow", viewer, fan)
        round_trips.neo4j = 0
        data = await api.query(PAGE, {"h": star.handle}, viewer.token)
        assert len(data["user"]["followers"]["edges"]) == size
        assert all(edge["node"]["viewerFollows"] for edge in data["user"]["followers"]["edges"])
        trips.append(round_trips.neo4j)
    # the user, who blocks the viewer, the page with its count, contact counts, the
    # viewer's standing towards everyone on the page
    assert trips == [5, 5]
