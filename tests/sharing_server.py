"""A real uvicorn API for the sharing tests: it fetches its own hosted assertions over HTTP
(loopback is allowed for it), and its links carry its own address."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odznaka_graph.ids import local_id
from odznaka_graph.settings import Settings
from tests.api_process import AWARD, api_process, gql, published_badge, register, verify_address


@dataclass
class Server:
    base: str  # host:port
    var: Path

    @property
    def url(self) -> str:
        return f"http://{self.base}"


@contextmanager
def sharing_server(settings: Settings, var: Path, **env: str) -> Iterator[Server]:
    with api_process(settings, var, IMPORT_ALLOW_LOOPBACK="true", **env) as base:
        yield Server(base, var)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def verified_user(server: Server, handle: str) -> dict[str, str]:
    person = register(server.base, handle)
    person["handle"], person["email"] = handle, f"{handle}@example.org"
    verify_address(server.base, person["email"], server.var)
    return person


@dataclass
class Issued:
    learner: dict[str, str]
    owner: dict[str, str]
    award_id: str  # global
    plain_award_id: str


def issued(server: Server, checker: dict[str, str], learner_handle: str) -> Issued:
    learner = verified_user(server, learner_handle)
    owner = register(server.base, unique("wydawca"))
    badge_id = published_badge(server.base, owner["accessToken"], checker["accessToken"])
    done = gql(
        server.base,
        AWARD,
        {"i": {"badgeId": badge_id, "recipientId": learner["userId"]}},
        owner["accessToken"],
    )
    award_id = done["awardBadge"]["id"]
    return Issued(learner, owner, award_id, local_id(award_id, "Award") or "")


IMPORT = """mutation($i: ImportCredentialInput!) { importCredential(input: $i) {
  __typename ... on ExternalCredential { id name issuerName status reasons source format
  credentialUrl } ... on ValidationError { reason fields { field message } } } }"""


def import_credential(server: Server, token: str, **given: str) -> dict[str, Any]:
    return gql(server.base, IMPORT, {"i": given}, token)["importCredential"]  # type: ignore[no-any-return]
