"""Notifications: made once from projected events (however often they are projected), who
gets which, listing and marking read, and the live push to a real WebSocket client."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger import journal
from odznaka_graph.ledger.tables import notifications, outbox
from odznaka_graph.services.notifications import NotificationService
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.club_helpers import club_of, nominate, peer_badge
from tests.helpers import Api, Person, published_badge, register, verified_issuer
from tests.live_helpers import live, remote, remote_issuer, settled
from tests.social_helpers import act
from tests.team_helpers import award, create_team

MINE = """query($first: Int, $after: String, $last: Int, $before: String, $unread: Boolean) {
  me { notifications(first: $first, after: $after, last: $last, before: $before,
                     unreadOnly: $unread) {
    totalCount unreadCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    edges { cursor node { id eventId kind read readAt note createdAt actor { handle }
      subject { __typename id } en: message(lang: EN) pl: message(lang: PL) } } } } }"""
MARKED = """... on NotificationsMarkedRead { markedCount unreadCount
  notifications { id read } }"""


async def mine(api: Api, person: Person, **page: Any) -> dict[str, Any]:
    data = await api.query(MINE, page, person.token)
    return data["me"]["notifications"]  # type: ignore[no-any-return]


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


async def _told(api: Api, people: list[Person], count: int = 1) -> None:
    """Wait until each has `count` notifications: on a busy machine the projection after a
    commit may go on in the background."""
    for person in people:
        for _ in range(150):
            if (await mine(api, person))["totalCount"] >= count:
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError(f"{person.handle} was told nothing")


async def _count_rows(api: Api) -> int:
    statement = sa.select(sa.func.count()).select_from(notifications)
    async with api.runtime.services.stores.ledger.reading() as conn:
        return int((await conn.execute(statement)).scalar_one())


BOTH_STORES = pytest.mark.parametrize("sql", ["sqlite", "postgresql"], indirect=True)


@BOTH_STORES
async def test_an_award_notifies_its_recipient_once_however_often_it_is_projected(
    api: Api,
) -> None:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    learner = await register(api)
    award_id = await award(api, issuer, badge_id, learner)
    await _told(api, [learner, issuer.owner])  # the award and the badge's review
    assert await _count_rows(api) == 2

    stores = api.runtime.services.stores
    async with stores.ledger.transaction() as conn:  # as if the flush had never finished
        await conn.execute(outbox.update().values(projected_at=None))
    while await stores.projector.flush():
        pass
    async with stores.ledger.reading() as conn:  # and a second instance, at the same time
        rows = await conn.execute(sa.select(outbox).order_by(outbox.c.id))
        every = [
            journal.OutboxEvent(r.id, r.event_id, r.topic, r.payload, r.created_at) for r in rows
        ]
    # the handler's own work, as a second instance would run it, with no claim of its own
    service = NotificationService(stores)

    async def finish(work: Any) -> None:
        async with stores.ledger.transaction() as conn:
            await work(conn)

    await service.handle(every, finish)

    assert await _count_rows(api) == 2
    found = await mine(api, learner)
    assert (found["totalCount"], found["unreadCount"]) == (1, 1)
    (item,) = nodes(found)
    assert item["kind"] == "AWARD_RECEIVED" and item["read"] is False
    assert item["subject"] == {"__typename": "Award", "id": award_id}
    assert item["actor"]["handle"] == issuer.owner.handle
    assert item["en"] == "You received “Data analysis”."
    assert item["pl"] == "Otrzymujesz odznakę „Analiza danych”."


@BOTH_STORES
async def test_listing_pages_and_marking_read(api: Api) -> None:
    issuer = await verified_issuer(api)
    learner, other = await register(api), await register(api)
    for _ in range(3):
        await award(api, issuer, await published_badge(api, issuer), learner)
    first = await mine(api, learner, first=2)
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = await mine(api, learner, first=2, after=first["pageInfo"]["endCursor"])
    back = await mine(api, learner, last=2, before=rest["pageInfo"]["startCursor"])
    newest_first = nodes(first) + nodes(rest)
    assert len({n["id"] for n in newest_first}) == 3
    assert [n["createdAt"] for n in newest_first] == sorted(
        (n["createdAt"] for n in newest_first), reverse=True
    )
    assert nodes(back) == nodes(first)

    one = newest_first[0]["id"]
    marked = await api.mutate("markNotificationsRead", {"ids": [one]}, MARKED, learner.token)
    assert (marked["markedCount"], marked["unreadCount"]) == (1, 2)
    assert marked["notifications"] == [{"id": one, "read": True}]
    again = await api.mutate("markNotificationsRead", {"ids": [one]}, MARKED, learner.token)
    assert again["markedCount"] == 0
    unread = await mine(api, learner, unread=True)
    assert (unread["totalCount"], unread["unreadCount"]) == (2, 2)
    assert one not in {n["id"] for n in nodes(unread)}
    everything = await api.mutate("markNotificationsRead", {"all": True}, MARKED, learner.token)
    assert (everything["markedCount"], everything["unreadCount"]) == (2, 0)

    neither = await api.mutate("markNotificationsRead", {}, MARKED, learner.token)
    both = await api.mutate("markNotificationsRead", {"ids": [one], "all": True}, "", learner.token)
    theirs = await api.mutate("markNotificationsRead", {"ids": [one]}, "", other.token)
    bad = await api.mutate("markNotificationsRead", {"ids": ["nope"]}, "", learner.token)
    assert neither["__typename"] == both["__typename"] == "ValidationError"
    assert theirs["code"] == "NOT_FOUND"
    assert [f["field"] for f in bad["fields"]] == ["ids.0"]
    node = "query($id: ID!) { node(id: $id) { ... on Notification { kind read } } }"
    assert (await api.query(node, {"id": one}, learner.token))["node"] == {
        "kind": "AWARD_RECEIVED",
        "read": True,
    }
    assert (await api.query(node, {"id": one}, other.token))["node"] is None
    others = await api.query(
        "query($h: String!) { user(handle: $h) { notifications { totalCount } } }",
        {"h": learner.handle},
        other.token,
    )
    assert others["user"]["notifications"] is None


async def test_who_is_told_what(api: Api) -> None:
    issuer = await verified_issuer(api)
    await published_badge(api, issuer)
    ala, ben, owner, nominee = [await register(api) for _ in range(4)]
    await act(api, "requestContact", ala, ben, "Cześć, poznaliśmy się na warsztatach.")
    await act(api, "acceptContact", ben, ala)
    club_id = await club_of(api, owner, [ala, nominee], vouchThreshold=2)
    nomination = await nominate(api, await peer_badge(api, club_id, owner), ala, nominee)
    team = await create_team(api, issuer)
    added = await api.mutate(
        "addTeamMember",
        {"teamId": team["id"], "userId": ben.id, "role": "STUDENT"},
        "... on Team { id }",
        issuer.owner.token,
    )
    assert added["id"] == team["id"]

    await _told(api, [ala, ben, owner, issuer.owner])
    await _told(api, [ben], 2)
    told = {p.handle: nodes(await mine(api, p)) for p in (ala, ben, owner, nominee, issuer.owner)}
    kinds = {handle: sorted(n["kind"] for n in items) for handle, items in told.items()}
    assert kinds == {
        ala.handle: ["CONTACT_ACCEPTED"],
        ben.handle: ["ADDED_TO_TEAM", "CONTACT_REQUESTED"],
        owner.handle: ["VOUCH_REQUESTED"],  # neither the nominator nor the nominee
        nominee.handle: [],
        issuer.owner.handle: ["BADGE_PUBLISHED"],
    }
    request = next(n for n in told[ben.handle] if n["kind"] == "CONTACT_REQUESTED")
    assert request["note"] == "Cześć, poznaliśmy się na warsztatach."
    assert request["actor"]["handle"] == ala.handle
    assert request["en"] == f"{ala.handle.title()} asks to become your contact."
    joined = next(n for n in told[ben.handle] if n["kind"] == "ADDED_TO_TEAM")
    assert joined["subject"] == {"__typename": "Team", "id": team["id"]}
    assert joined["en"] == f"{issuer.owner.handle.title()} added you to “Class 3b”."
    (vouch,) = told[owner.handle]
    assert vouch["subject"] == {"__typename": "Nomination", "id": nomination["id"]}
    assert vouch["pl"].endswith("do odznaki „Mistrz gry”: możesz ją poprzeć.")
    (published,) = told[issuer.owner.handle]
    assert published["subject"]["__typename"] == "Badge" and published["actor"] is None
    assert published["en"] == "“Data analysis” passed its review and is published."


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_process(settings, tmp_path_factory.mktemp("notifications")) as base:
        yield base


SUBSCRIBE = "subscription { notifications { id eventId kind subject { id } message(lang: EN) } }"


# Last in this module: the tests above empty the shared graph between tests, which this
# process (with its own SQL store) would not expect in the middle of its tests.
async def test_new_notifications_are_pushed_live(server: str) -> None:
    async with remote(server) as http:
        issuer = await remote_issuer(http)
        badge_id = await published_badge(http, issuer)
        learner = await register(http)
        async with live(server, learner.token) as client:
            await client.subscribe("n", SUBSCRIBE)
            await settled()
            award_id = await award(http, issuer, badge_id, learner)
            pushed = await client.item("n", "notifications", lambda item: True)
            nothing_more = await client.quiet("n", 1)
        listed = nodes(await mine(http, learner))
    assert pushed["kind"] == "AWARD_RECEIVED" and pushed["subject"] == {"id": award_id}
    assert pushed["message"] == "You received “Data analysis”."
    assert [(n["id"], n["eventId"]) for n in listed] == [(pushed["id"], pushed["eventId"])]
    assert nothing_more == []
    assert local_id(pushed["id"], "Notification")
