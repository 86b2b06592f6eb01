"""Your data (issue 14, GDPR articles 15 and 20): exportMyData makes one JSON archive of
both stores' data about the person, and mails a link that downloads it with its token
(by POST), once, within a week; secrets never go into it."""

import json
import re

from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer
from tests.mail_helpers import SmtpServer, deliver
from tests.social_helpers import act

LINK = re.compile(r"http://\S+/account/export#(\S+)\.(\S+)")
EXPORT = """mutation { exportMyData { __typename ... on DataExportStarted { exportId }
  ... on MutationError { code } } }"""


async def test_the_archive_holds_both_stores_data_and_is_mailed_behind_a_token(
    api: Api, settings: Settings, smtp_server: SmtpServer
) -> None:
    person, friend = await register(api), await register(api)
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer)
    award = {"badgeId": badge_id, "recipientId": person.id}
    assert (await api.mutate("awardBadge", award, AWARD, issuer.owner.token))["id"]
    await act(api, "follow", person, friend)
    await api.runtime.services.stores.projector.flush()

    anonymous = await api.query(EXPORT)
    assert anonymous["exportMyData"]["code"] == "UNAUTHENTICATED"
    started = await api.query(EXPORT, token=person.token)
    assert started["exportMyData"]["__typename"] == "DataExportStarted"
    await deliver(api.runtime.services.stores.ledger, settings, smtp_server)
    [mail] = [m for m in smtp_server.to(person.email) if "pobrania" in m.subject]
    export_id, token = LINK.search(mail.part("plain")).groups()  # type: ignore[union-attr]
    response = await api.client.post("/account/export", data={"id": export_id, "token": token})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    archive = json.loads(response.text)

    assert archive["format"] == "odznaka-personal-data/1"
    assert archive["account"]["handle"] == person.handle
    assert [e["email"] for e in archive["emails"]] == [person.email]
    assert [a["badge_id"] for a in archive["awards"]] == [local_id(badge_id, "Badge")]
    assert len(archive["points"]) >= 1 and archive["sessions"]
    assert archive["profile"]["handle"] == person.handle
    follows = [r for r in archive["relationships"] if r["relationship"] == "FOLLOWS"]
    assert [(r["direction"], r["id"]) for r in follows] == [("OUT", local_id(friend.id, "User"))]
    assert "account.registered" in {a["action"] for a in archive["activity"]}
    for secret in ("password_hash", "verification_hash", "token_hash", person.token):
        assert secret not in response.text

    wrong = await api.client.post("/account/export", data={"id": export_id, "token": "abcd"})
    assert wrong.status_code == 404
