"""Builders for the pupil tests (issue 15): a class, a roster enrolled without e-mail,
sign-in codes redeemed."""

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from odznaka_graph.ledger import mail as mail_rows
from odznaka_graph.ledger.tables import mail_messages
from odznaka_graph.mail.render import render
from tests.helpers import Api, Issuer, Person
from tests.mail_helpers import queued_token
from tests.team_helpers import create_team

SLIP = """... on EnrolledPupils { sheetUrl team { id memberCount }
  pupils { userId handle name shownName signInCode codeExpiresAt redeemUrl } }"""
SESSION = "... on AuthPayload { accessToken userId }"
PASSWORD = "kolorowe jablka 77"


async def enrol(
    api: Api, token: str, team_id: str, *pupils: dict[str, Any], age_band: str = "FROM_13_TO_15"
) -> dict[str, Any]:
    data = {"teamId": team_id, "ageBand": age_band, "pupils": list(pupils)}
    return await api.mutate("enrolPupils", data, SLIP, token)


async def redeem(api: Api, code: str, password: str = PASSWORD) -> dict[str, Any]:
    return await api.mutate("redeemSignInCode", {"code": code, "password": password}, SESSION)


async def class_with_pupils(
    api: Api, issuer: Issuer, *pupils: dict[str, Any], age_band: str = "FROM_13_TO_15"
) -> tuple[dict[str, Any], list[Person]]:
    """A class of `issuer`'s owner with the roster enrolled and every pupil signed in."""
    team = await create_team(api, issuer)
    done = await enrol(api, issuer.owner.token, team["id"], *pupils, age_band=age_band)
    assert done["__typename"] == "EnrolledPupils", done
    people = []
    for slip in done["pupils"]:
        session = await redeem(api, slip["signInCode"])
        assert session["__typename"] == "AuthPayload", session
        people.append(Person(session["userId"], session["accessToken"], "", slip["handle"]))
    return team, people


async def consent_token(api: Api, guardian: str) -> str:
    """The token of the guardian's mail; its link carries it in the fragment, which no
    server, log or Referer sees (issue 14's export link does the same)."""
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c
        rows = await conn.execute(
            sa.select(m.id).where(m.recipient == guardian, m.kind == "GUARDIAN_CONSENT")
        )
        (message_id,) = rows.scalars()
        message = await mail_rows.message(conn, message_id)
    assert message is not None
    token = queued_token(api.runtime.settings, message.data)
    opened = replace(message, data=message.data | {"token": token})
    text = render(opened, api.runtime.settings).text
    assert f"/guardian/consent#{token}" in text and "?token=" not in text
    return token
