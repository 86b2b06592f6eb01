"""Merging two accounts of one person (issue 14): an award went to the address of an old
account; adding that address to the new account mails the address a merge link, and the
link, used while signed in to the new account, moves the old account's awards, points and
address there once — a retry moves nothing twice — and closes the old account."""

import re

import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import audit_log, awards
from odznaka_graph.settings import Settings
from tests.helpers import AWARD, Api, Person, published_badge, register, verified_issuer
from tests.mail_helpers import SmtpServer, deliver

PASSWORD = "correct horse battery"
VERIFY_LINK = re.compile(r"/account/verify-email\?token=(\S+)")
MERGE_LINK = re.compile(r"/account/merge#(\S+)")
MERGED = "... on AccountsMerged { email movedAwards }"


async def _mail(api: Api, settings: Settings, smtp: SmtpServer, to: str) -> str:
    await deliver(api.runtime.services.stores.ledger, settings, smtp)
    return smtp.to(to)[-1].part("plain")


async def _verified(api: Api, settings: Settings, smtp: SmtpServer) -> Person:
    person = await register(api)
    token = VERIFY_LINK.search(await _mail(api, settings, smtp, person.email)).group(1)  # type: ignore[union-attr]
    await api.mutate("verifyEmail", {"token": token}, "__typename")
    return person


async def _xp(api: Api, person: Person) -> int:
    found = await api.query("{ me { xp } }", token=person.token)
    return int(found["me"]["xp"])


async def test_merging_moves_the_awards_once_and_closes_the_other_account(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    old = await _verified(api, settings, smtp_server)
    new = await register(api)
    stranger = await register(api)
    issuer = await verified_issuer(api)
    award = {"badgeId": await published_badge(api, issuer), "recipientId": old.id}
    award_id = (await api.mutate("awardBadge", award, AWARD, issuer.owner.token))["id"]
    old_xp = await _xp(api, old)
    assert old_xp > 0

    added = await api.mutate(
        "addEmail", {"email": old.email, "password": PASSWORD}, "__typename", new.token
    )
    assert added["__typename"] == "EmailPayload"  # as for any address
    text = await _mail(api, settings, smtp_server, old.email)
    assert f"@{old.handle}" in text and f"@{new.handle}" in text
    token = MERGE_LINK.search(text).group(1)  # type: ignore[union-attr]

    for who in (old, stranger):  # the link works for the account the address was added to
        refused = await api.mutate("mergeAccounts", {"token": token}, MERGED, who.token)
        assert (refused["code"], refused["reason"]) == ("NOT_FOUND", "MERGE_LINK_INVALID")
    wrong = await api.mutate("mergeAccounts", {"token": "x" * 43}, MERGED, new.token)
    assert wrong["reason"] == "MERGE_LINK_INVALID"

    page = await api.client.get("/account/merge")  # the mailed link's page
    assert page.status_code == 200 and "password" in page.text
    guessed = {"token": token, "password": "not the password"}
    assert (await api.client.post("/account/merge", data=guessed)).status_code == 400

    merged = await api.mutate("mergeAccounts", {"token": token}, MERGED, new.token)
    assert merged == {"__typename": "AccountsMerged", "email": old.email, "movedAwards": 1}
    again = await api.mutate("mergeAccounts", {"token": token}, MERGED, new.token)
    assert again == merged  # the same answer; nothing moves twice
    await api.runtime.services.stores.projector.flush()

    async with api.runtime.services.stores.ledger.reading() as conn:
        found = sa.select(awards.c.recipient_id).where(awards.c.id == local_id(award_id, "Award"))
        assert list((await conn.execute(found)).scalars()) == [local_id(new.id, "User")]
        actions = await conn.execute(
            sa.select(audit_log.c.action).where(audit_log.c.subject_id == local_id(new.id, "User"))
        )
        assert list(actions.scalars()).count("account.merged") == 1
    assert await _xp(api, new) == old_xp  # the points came along
    shown = await api.query(
        "query($h: String!) { user(handle: $h) { awards { edges { node { id } } } } }",
        {"h": new.handle},
        token=new.token,
    )
    assert [e["node"]["id"] for e in shown["user"]["awards"]["edges"]] == [award_id]
    gone = await api.query("query($h: String!) { user(handle: $h) { handle } }", {"h": old.handle})
    assert gone["user"] is None
    checked = await api.query(
        "query($a: ID!) { verifyCredential(awardId: $a) { status } }", {"a": award_id}
    )
    assert checked["verifyCredential"]["status"] == "AUTHENTIC_VALID"

    assert (await api.raw("{ me { handle } }", token=old.token)).status_code != 200
    emails = await api.query("{ me { emails { email verified } } }", token=new.token)
    assert {"email": old.email, "verified": True} in emails["me"]["emails"]
    login = await api.mutate("login", {"email": new.email, "password": PASSWORD}, "__typename")
    assert login["__typename"] == "AuthPayload"
