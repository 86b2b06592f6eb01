"""The data export's download link (issue 14, review finding 3): it goes to the address the
account signs in with, its token is in the fragment (never in a URL the server, its logs or
a Referer see), it downloads once, a new archive replaces the last, archives past their
expiry are dropped, and exports are limited per account per day."""

import re

import sqlalchemy as sa

from odznaka_graph.clock import now
from odznaka_graph.ledger.personal_data import purge_expired_exports
from odznaka_graph.ledger.tables import data_exports, mail_messages
from odznaka_graph.settings import Settings
from tests.helpers import Api, register
from tests.mail_helpers import SmtpServer, deliver

LINK = re.compile(r"(http://\S+/account/export)#(\S+)\.(\S+)")
VERIFY_LINK = re.compile(r"/account/verify-email\?token=(\S+)")
EXPORT = "mutation { exportMyData { __typename ... on MutationError { code reason } } }"
PASSWORD = "correct horse battery"


async def _links(api: Api, settings: Settings, smtp: SmtpServer, to: str) -> list[tuple[str, ...]]:
    await deliver(api.runtime.services.stores.ledger, settings, smtp)
    found = [LINK.search(m.part("plain")) for m in smtp.to(to) if "pobrania" in m.subject]
    return [link.groups() for link in found if link]


async def test_the_link_goes_to_the_sign_in_address_and_downloads_once_by_post(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [mail] = smtp_server.to(person.email)  # the person verifies their first address ...
    token = VERIFY_LINK.search(mail.part("plain")).group(1)  # type: ignore[union-attr]
    await api.mutate("verifyEmail", {"token": token}, "")
    new = f"new.{person.handle}@example.org"  # then signs in with a newer address
    changed = {"email": new, "password": PASSWORD}
    await api.mutate("changeEmail", changed, "", person.token)
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [mail] = smtp_server.to(new)
    token = VERIFY_LINK.search(mail.part("plain")).group(1)  # type: ignore[union-attr]
    await api.mutate("verifyEmail", {"token": token}, "")

    assert (await api.query(EXPORT, token=person.token))["exportMyData"]["__typename"] == (
        "DataExportStarted"
    )
    assert await _links(api, settings, smtp_server, person.email) == []  # the oldest one
    [(page, export_id, token)] = await _links(api, settings, smtp_server, new)
    assert page == f"{settings.public_base_url}/account/export"  # no query: nothing leaks

    shown = await api.client.get("/account/export")  # what the browser asks for
    assert shown.status_code == 200 and "<form method='post'>" in shown.text
    assert shown.headers["referrer-policy"] == "no-referrer"
    leaked = await api.client.get(f"/account/export?id={export_id}&token={token}")
    assert "application/json" not in leaked.headers["content-type"]  # GET never hands it out
    form = {"id": export_id, "token": token}
    first = await api.client.post("/account/export", data=form)
    assert first.status_code == 200 and first.json()["format"] == "odznaka-personal-data/1"
    again = await api.client.post("/account/export", data=form)
    assert again.status_code == 404  # once
    async with api.runtime.services.stores.ledger.reading() as conn:
        [content] = (await conn.execute(sa.select(data_exports.c.content))).scalars()
    assert content is None  # not kept once downloaded


async def test_a_new_export_replaces_the_last_and_exports_are_limited_per_day(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person = await register(api)
    answers = [(await api.query(EXPORT, token=person.token))["exportMyData"] for _ in range(4)]
    assert [a["__typename"] for a in answers[:3]] == ["DataExportStarted"] * 3
    assert (answers[3]["code"], answers[3]["reason"]) == ("RATE_LIMITED", "DATA_EXPORT_THROTTLED")
    links = await _links(api, settings, smtp_server, person.email)
    assert len(links) == 3
    for _, export_id, token in links[:2]:  # replaced by the newest
        gone = await api.client.post("/account/export", data={"id": export_id, "token": token})
        assert gone.status_code == 404
    _, export_id, token = links[2]
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await conn.execute(data_exports.update().values(expires_at=now().replace(year=2020)))
        assert await purge_expired_exports(conn, now()) == 1
        stored = (await conn.execute(sa.select(data_exports.c.content))).scalars()
        assert set(stored) == {None}
        data = (await conn.execute(sa.select(mail_messages.c.data))).scalars()
        assert all("token" not in d for d in data)  # sent: the token is gone from the row
    expired = await api.client.post("/account/export", data={"id": export_id, "token": token})
    assert expired.status_code == 404
