"""Deleting one's account (issue 14, GDPR article 17): deleteMyAccount takes the current
password, ends every session and waits a grace period in which signing in cancels it;
then the person's data leaves both stores — no read path returns them — while the award
they received stays verifiable under a pseudonym."""

import asyncio
from datetime import timedelta

import sqlalchemy as sa

from odznaka_graph.clock import now
from odznaka_graph.ids import local_id
from odznaka_graph.ledger import handling
from odznaka_graph.ledger.tables import accounts, mail_messages, metadata
from odznaka_graph.projection import Projector
from tests.helpers import AWARD, Api, Person, published_badge, register, verified_issuer
from tests.social_helpers import act
from tests.team_helpers import award
from tests.test_event_handlers import NAME, Stubborn, _parked, stubborn  # noqa: F401

PASSWORD = "correct horse battery"
DELETE = "... on AccountDeletionScheduled { erasesAt }"
AUTH = "... on AuthPayload { accessToken }"


async def _due(api: Api, person: Person) -> object:
    async with api.runtime.services.stores.ledger.reading() as conn:
        a = accounts.c
        found = await conn.execute(sa.select(a.deletion_due_at).where(a.handle == person.handle))
        return found.scalar_one_or_none()


async def _shown(api: Api, person: Person) -> bool:
    query = "query($h: String!) { user(handle: $h) { handle } }"
    found = await api.query(query, {"h": person.handle})
    return found["user"] is not None


async def _signed_in(api: Api, token: str) -> bool:
    return (await api.raw("{ me { handle } }", token=token)).status_code == 200


async def test_deletion_waits_for_the_grace_period_and_signing_in_cancels_it(api: Api) -> None:
    person = await register(api)
    wrong = await api.mutate("deleteMyAccount", {"password": "not it"}, DELETE, person.token)
    assert (wrong["code"], wrong["reason"]) == ("UNAUTHENTICATED", "WRONG_PASSWORD")
    assert await _due(api, person) is None
    done = await api.mutate("deleteMyAccount", {"password": PASSWORD}, DELETE, person.token)
    assert done["__typename"] == "AccountDeletionScheduled"
    assert not await _signed_in(api, person.token)  # every session ended
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c
        kinds = await conn.execute(sa.select(m.kind).where(m.recipient == person.email))
        assert "ACCOUNT_DELETION_SCHEDULED" in set(kinds.scalars())
    due = await _due(api, person)
    assert due is not None and timedelta(days=13) < due - now() <= timedelta(days=14)  # type: ignore[operator]
    assert await api.runtime.services.erasure.erase_due() == 0  # not yet
    await api.runtime.services.stores.projector.flush()
    assert not await _shown(api, person)  # hidden from every reader meanwhile

    login = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    assert login["__typename"] == "AuthPayload"
    assert await _due(api, person) is None  # signing in kept the account
    await api.runtime.services.stores.projector.flush()
    assert await _shown(api, person)  # and shows it as before


async def _stored_text(api: Api) -> str:
    found = []
    async with api.runtime.services.stores.ledger.reading() as conn:
        for table in metadata.sorted_tables:
            found.extend(str(tuple(row)) for row in await conn.execute(sa.select(table)))
    return "\n".join(found)


async def test_after_erasure_no_read_path_returns_the_person(api: Api) -> None:
    person = await register(api, "erasable.person")
    friend = await register(api)
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    award = {"badgeId": badge_id, "recipientId": person.id}
    award_id = (await api.mutate("awardBadge", award, AWARD, issuer.owner.token))["id"]
    await api.mutate("updateProfile", {"bio": "Mój sekretny opis"}, "__typename", person.token)
    await act(api, "follow", person, friend)
    await act(api, "follow", friend, person)
    await api.runtime.services.stores.projector.flush()

    await api.mutate("deleteMyAccount", {"password": PASSWORD}, DELETE, person.token)
    again = award | {"idempotencyKey": "after-deletion"}
    refused = await api.mutate("awardBadge", again, AWARD, issuer.owner.token)
    assert refused["reason"] == "RECIPIENT_ACCOUNT_CLOSED"  # during the grace period
    bulk = await api.mutate(
        "bulkAwardBadge",
        {
            "badgeId": badge_id,
            "recipients": [f"@{person.handle}"],
            "idempotencyKey": "bulk-after-deletion",
        },
        "... on BulkAwardReport { rows { outcome } }",
        issuer.owner.token,
    )
    assert bulk.get("rows") == [{"outcome": "UNKNOWN_HANDLE"}], bulk.get("fields")
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await conn.execute(
            accounts.update()
            .where(accounts.c.deletion_due_at.is_not(None))
            .values(deletion_due_at=now() - timedelta(seconds=1))
        )
    assert await api.runtime.services.erasure.erase_due() == 1

    found = await api.query(
        "query($h: String!) { user(handle: $h) { handle } }", {"h": person.handle}
    )
    assert found["user"] is None
    ties = await api.query(
        "query($h: String!) { user(handle: $h) { followers { totalCount } "
        "following { totalCount } } }",
        {"h": friend.handle},
        token=friend.token,
    )
    assert ties["user"] == {"followers": {"totalCount": 0}, "following": {"totalCount": 0}}
    checked = await api.query(
        "query($a: ID!) { verifyCredential(awardId: $a) { status } }", {"a": award_id}
    )
    assert checked["verifyCredential"]["status"] == "AUTHENTIC_VALID"  # still theirs to show
    erased = await api.mutate("awardBadge", again, AWARD, issuer.owner.token)
    assert (erased["code"], erased["reason"]) == ("NOT_FOUND", "RECIPIENT_ACCOUNT_CLOSED")

    stored = await _stored_text(api)
    for trace in (person.email, person.handle, "Erasable.Person", "Mój sekretny opis"):
        assert trace not in stored, trace
    graph = await api.runtime.services.stores.graph.read(
        "MATCH (n) WHERE n.id = $id OR any(k IN keys(n) WHERE n[k] IN $traces) "
        "RETURN count(n) AS found",
        id=local_id(person.id, "User"),
        traces=[person.handle, "Erasable.Person", "Mój sekretny opis"],
    )
    assert graph[0]["found"] == 0
    login = await api.mutate("login", {"email": person.email, "password": PASSWORD}, AUTH)
    assert login["code"] == "UNAUTHENTICATED"  # (counts a throttle attempt: last)


async def test_a_parked_handler_replayed_after_the_erasure_finishes(
    api: Api,
    stubborn: tuple[Stubborn, Projector],  # noqa: F811 (the imported fixture)
) -> None:
    """An event handler parked on an award to the person, replayed once the erasure blanked
    the event's payload, finishes it instead of failing on what is no longer there."""
    handler, projector = stubborn
    issuer = await verified_issuer(api)
    person = await register(api)
    handler.refuse = {str(local_id(person.id, "User"))}
    await award(api, issuer, await published_badge(api, issuer), person)
    for _ in range(20):  # failed, then after its back-off failed again: parked
        if await _parked(api):
            break
        await asyncio.sleep(0.5)
        await projector.drain()
    assert [p.handler for p in await _parked(api)] == [NAME]

    await api.mutate("deleteMyAccount", {"password": PASSWORD}, DELETE, person.token)
    async with api.runtime.services.stores.ledger.transaction() as conn:
        a = accounts.c
        past = now() - timedelta(seconds=1)
        await conn.execute(
            accounts.update().where(a.handle == person.handle).values(deletion_due_at=past)
        )
    await api.runtime.services.erasure.erase_due()
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await handling.replay(conn, now(), NAME, None)
    await projector.drain()
    assert await _parked(api) == []  # the blanked event finished, nothing failed
    assert handler.seen == []


def test_every_table_naming_an_account_is_erased_or_kept_on_purpose() -> None:
    """A new table with a person's rows must be added to the erasure (or say why not)."""
    from odznaka_graph.ledger import account_erasure
    from odznaka_graph.ledger.tables import metadata

    naming = {
        table.name
        for table in metadata.sorted_tables
        if "account_id" in table.c
        or any(key.column.table.name == "accounts" for key in table.foreign_keys)
    }
    erased = {table.name for table in account_erasure.OWN}
    assert naming - erased - set(account_erasure.KEPT) == set()
