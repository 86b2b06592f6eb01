"""What goes into the data export (issue 14, review finding 4): the person's own data only,
by an allow-list. Others' actions the person was not told of (who follows them, who asked
to be their contact, who blocks them) and who else acted (the staff member who awarded
them, the actor of a notification) stay out; the person's own ties and actions go in."""

import json
import re

from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer
from tests.mail_helpers import SmtpServer, deliver
from tests.social_helpers import act

LINK = re.compile(r"/account/export#(\S+)\.(\S+)")
EXPORT = "mutation { exportMyData { __typename } }"


async def test_the_archive_holds_the_persons_own_data_and_names_nobody_else(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person, followed = await register(api), await register(api)
    fan, asker, blocker = await register(api), await register(api), await register(api)
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    award = {"badgeId": badge_id, "recipientId": person.id}
    assert (await api.mutate("awardBadge", award, AWARD, issuer.owner.token))["id"]
    asked = {"badgeId": await published_badge(api, issuer), "narrative": "Prowadzę koło."}
    request = await api.mutate("requestBadge", asked, "... on BadgeRequest { id }", person.token)
    assert request["id"]
    await act(api, "follow", person, followed)  # the person's own: in
    await act(api, "follow", fan, person)  # others' doings: out
    await act(api, "requestContact", asker, person)
    await act(api, "blockUser", blocker, person)
    await api.runtime.services.stores.projector.flush()

    assert (await api.query(EXPORT, token=person.token))["exportMyData"]["__typename"] == (
        "DataExportStarted"
    )
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [mail] = [m for m in smtp_server.to(person.email) if "pobrania" in m.subject]
    export_id, token = LINK.search(mail.part("plain")).groups()  # type: ignore[union-attr]
    response = await api.client.post("/account/export", data={"id": export_id, "token": token})
    archive = json.loads(response.text)

    ties = {(r["relationship"], r["direction"], r["id"]) for r in archive["relationships"]}
    assert ("FOLLOWS", "OUT", local_id(followed.id, "User")) in ties
    assert ("EARNED", "OUT") in {t[:2] for t in ties}
    assert len(archive["awards"]) == 1
    assert [(r["narrative"], r["status"]) for r in archive["badgeRequests"]] == [
        ("Prowadzę koło.", "OPEN")
    ]
    assert archive["uploadedFiles"] == [] and archive["ageBand"] == []
    for other in (fan, asker, blocker, issuer.owner):
        plain = local_id(other.id, "User") or ""
        assert plain and plain not in response.text, other.handle
        assert other.handle not in response.text
    assert {"awarded_by", "idempotency_key", "actor_id", "password_hash", "decided_by"}.isdisjoint(
        key
        for section in archive.values()
        if isinstance(section, list)
        for row in section
        if isinstance(row, dict)
        for key in row
    )
