"""Builders for the sharing tests: an awarded credential, verified e-mails, baked images."""

import base64
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import mail_messages
from tests.helpers import AWARD, Api, Issuer, Person, published_badge, register, verified_issuer
from tests.mail_helpers import queued_token


@dataclass
class Awarded:
    issuer: Issuer
    learner: Person
    badge_id: str  # global ids
    award_id: str

    @property
    def plain_award_id(self) -> str:
        return local_id(self.award_id, "Award") or ""

    @property
    def plain_badge_id(self) -> str:
        return local_id(self.badge_id, "Badge") or ""


async def verify_email(api: Api, person: Person) -> None:
    async with api.runtime.services.stores.ledger.reading() as conn:
        m = mail_messages.c  # the token is only in the queued mail (none sent in tests)
        rows = await conn.execute(
            sa.select(m.data).where(m.kind == "VERIFY_EMAIL", m.recipient == person.email)
        )
        token = next(queued_token(api.runtime.settings, data) for (data,) in rows)
    done = await api.mutate("verifyEmail", {"token": token}, "", person.token)
    assert done["__typename"] == "EmailPayload", done


async def awarded(api: Api, handle: str | None = None, **badge: Any) -> Awarded:
    issuer = await verified_issuer(api)
    badge_id = await published_badge(api, issuer, **badge)
    learner = await register(api, handle)
    await verify_email(api, learner)
    done = await api.mutate(
        "awardBadge",
        {"badgeId": badge_id, "recipientId": learner.id, "evidence": [{"narrative": "Projekt"}]},
        AWARD,
        issuer.owner.token,
    )
    assert done["__typename"] == "Award", done
    return Awarded(issuer, learner, badge_id, done["id"])


IMPORT = """... on ExternalCredential { id name issuerName status reasons format source
  credentialUrl issuedOn expiresAt }"""


async def import_document(api: Api, person: Person | None, **given: str) -> dict[str, Any]:
    token = person.token if person else None
    return await api.mutate("importCredential", given, IMPORT, token)


def b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.b64encode(raw).decode()


def pasted(document: dict[str, Any]) -> str:
    return json.dumps(document)
